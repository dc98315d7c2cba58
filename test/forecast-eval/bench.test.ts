import {
  buildSpendPrior,
  createRng,
  expectedSpendUsd,
  normalDraw,
  normalQuantile,
  type CostPoint,
} from "@quotacast/core";
import {
  ALL_STRATEGIES,
  QUANTILE_GRID,
  crpsFromQuantiles,
  crpsFromSamples,
  parseBenchDataset,
  pinballLoss,
  runForecastBench,
  syntheticWindows,
  toBenchDataset,
  windowsFromCosts,
} from "@quotacast/forecast-eval";

const H = 3600_000;

describe("scores", () => {
  it("CRPS of a point forecast is its absolute error, and pinball loss is asymmetric", () => {
    expect(
      crpsFromQuantiles(
        QUANTILE_GRID.map(() => 0.4),
        0.7,
      ),
    ).toBeCloseTo(0.3, 12);
    expect(crpsFromSamples([0.4, 0.4, 0.4], 0.7)).toBeCloseTo(0.3, 12);
    expect(pinballLoss(0.5, 0.9, 0.6)).toBeCloseTo(0.09, 12);
    expect(pinballLoss(0.5, 0.9, 0.4)).toBeCloseTo(0.01, 12);
  });

  it("grid CRPS agrees with the sample estimator and the closed form for a normal forecast", () => {
    const rng = createRng(11);
    const samples = Array.from({ length: 4000 }, () => 0.5 + 0.1 * normalDraw(rng));
    const quantiles = QUANTILE_GRID.map((q) => 0.5 + 0.1 * normalQuantile(q));
    for (const y of [0.3, 0.5, 0.62]) {
      // Closed form: sigma * (z(2Phi(z) - 1) + 2phi(z) - 1/sqrt(pi)).
      const z = (y - 0.5) / 0.1;
      const phi = Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
      const Phi = 0.5 * (1 + Math.sign(z) * Math.sqrt(1 - Math.exp((-2 * z * z) / Math.PI)));
      const exact = 0.1 * (z * (2 * Phi - 1) + 2 * phi - 1 / Math.sqrt(Math.PI));
      expect(Math.abs(crpsFromQuantiles(quantiles, y) - exact) / exact).toBeLessThan(0.05);
      expect(Math.abs(crpsFromSamples(samples, y) - exact) / exact).toBeLessThan(0.06);
    }
  });
});

describe("benchmark protocol", () => {
  it("round-trips the reference JSON format and rejects bad input with the field's path", () => {
    const windows = syntheticWindows("linear", { windows: 3, seed: 2 });
    const json = JSON.parse(JSON.stringify(toBenchDataset("x", windows)));
    const parsed = parseBenchDataset(json);
    expect(parsed.name).toBe("x");
    expect(parsed.windows.map((w) => w.finalUtilizationRatio)).toEqual(
      windows.map((w) => w.finalUtilizationRatio),
    );
    expect(parsed.windows[1].readings).toEqual(windows[1].readings);
    json.sessions[1].snapshots[4].t = "yesterday";
    expect(() => parseBenchDataset(json)).toThrow(
      'dataset: sessions[1].snapshots[4].t: must be an RFC 3339 time, not "yesterday"',
    );
    expect(() => parseBenchDataset({ name: "y" })).toThrow("dataset: sessions: missing");
    expect(() => parseBenchDataset({ sessions: {} })).toThrow("dataset: sessions: must be an array");
    expect(() => parseBenchDataset("x")).toThrow("dataset: expected an object with name and sessions");
    json.sessions[1].snapshots[4].t = json.sessions[1].snapshots[3].t;
    json.sessions[0].duration_hours = 0;
    expect(() => parseBenchDataset(json)).toThrow("dataset: sessions[0].duration_hours: must be positive");
    json.sessions[0].duration_hours = "5";
    expect(() => parseBenchDataset(json)).toThrow('sessions[0].duration_hours: must be a number, not "5"');
    // Fields of other tools are ignored.
    json.sessions[0].duration_hours = 5;
    json.sessions[0].plan = "max";
    expect(parseBenchDataset({ ...json, exported_by: "claumon" }).windows).toHaveLength(windows.length);
  });

  it("scores every strategy on the same 6 points per window, leave-one-out and temporal", () => {
    const windows = syntheticWindows("abandonment", { windows: 10, seed: 3 });
    const loso = runForecastBench("t", windows, "loso");
    expect(loso.strategies.map((s) => s.name)).toEqual(ALL_STRATEGIES.map((s) => s.name));
    for (const s of loso.strategies) {
      expect(s.overall.n).toBe(60);
      expect(s.overall.crps).toBeGreaterThanOrEqual(0);
      expect(s.segments.near.n + s.segments.far.n).toBe(60);
      expect(s.segments.engaged.n + s.segments.abandoned.n).toBe(60);
    }
    const flat = loso.strategies.find((s) => s.name === "flat")!;
    // A point forecast: CRPS equals MAE, and it never over-predicts.
    expect(flat.overall.crps * 100).toBeCloseTo(flat.overall.maePp, 8);
    expect(flat.overall.biasPp).toBeLessThanOrEqual(0);
    const temporal = runForecastBench("t", windows, "temporal");
    // 60/40: the last 4 windows are tested.
    expect(temporal.strategies.find((s) => s.name === "quotacast")!.overall.n).toBe(24);
  });

  it("generates the five regimes deterministically, polled every 2 minutes in whole percents", () => {
    const a = syntheticWindows("bursty", { windows: 5, seed: 1 });
    expect(syntheticWindows("bursty", { windows: 5, seed: 1 })).toEqual(a);
    for (const w of a) {
      expect(w.readings).toHaveLength(150);
      for (const r of w.readings)
        expect(Math.round(r.utilizationRatio * 100)).toBeCloseTo(r.utilizationRatio * 100, 9);
      expect(w.finalUtilizationRatio).toBe(Math.max(...w.readings.map((r) => r.utilizationRatio)));
    }
  });

  it("builds windows from a cost stream: start at the first event's hour, utilization = cost / limit", () => {
    const t0 = Date.UTC(2026, 9, 5, 9, 17);
    const costs: CostPoint[] = [
      { timestampMs: t0, costUsd: 2 },
      { timestampMs: t0 + 30 * 60_000, costUsd: 3 },
      // Outside the first window (which ends at 14:00): starts the next one at 15:00.
      { timestampMs: t0 + 6 * H, costUsd: 1 },
      { timestampMs: t0 + 12 * H, costUsd: 1 },
    ];
    const windows = windowsFromCosts(costs, { windowLengthMs: 5 * H, limitUsd: 10 });
    expect(windows).toHaveLength(2);
    expect(windows[0].resetsAtMs).toBe(Date.UTC(2026, 9, 5, 14));
    expect(windows[0].finalUtilizationRatio).toBeCloseTo(0.5, 12);
    expect(windows[0].readings[0].observedAtMs).toBe(Date.UTC(2026, 9, 5, 9));
    // The first poll after the first event (at 9:18) sees $2 = 20%.
    expect(windows[0].readings.find((r) => r.observedAtMs >= t0)!.utilizationRatio).toBeCloseTo(0.2, 12);
    expect(windows[1].resetsAtMs).toBe(Date.UTC(2026, 9, 5, 20));
    expect(windows[1].finalUtilizationRatio).toBeCloseTo(0.1, 12);
  });

  it("labels each minute's costs with the minute's end: a forecast sees no cost not yet spent", () => {
    const t0 = Date.UTC(2026, 9, 5, 9, 17, 40);
    const costs: CostPoint[] = [
      { timestampMs: t0, costUsd: 2 },
      { timestampMs: t0 + 10_000, costUsd: 1 },
    ];
    const [window] = windowsFromCosts(costs, { windowLengthMs: 5 * H, limitUsd: 10, nowMs: t0 + 6 * H });
    expect(window.costs).toEqual([{ timestampMs: Date.UTC(2026, 9, 5, 9, 18), costUsd: 3 }]);
  });
});

describe("spend prior from the transcript history", () => {
  it("learns when this user works, by hour of week", () => {
    const from = Date.UTC(2026, 8, 7); // a Monday
    const costs: CostPoint[] = [];
    for (let d = 0; d < 21; d++) {
      if (d % 7 >= 5) continue; // weekdays only
      for (let h = 9; h < 17; h++)
        costs.push({ timestampMs: from + d * 24 * H + h * H + 60_000, costUsd: 2 });
    }
    const prior = buildSpendPrior(costs, { fromMs: from, toMs: from + 21 * 24 * H })!;
    const monday = from + 21 * 24 * H;
    const workHours = expectedSpendUsd(prior, monday + 10 * H, monday + 13 * H);
    const night = expectedSpendUsd(prior, monday + 1 * H, monday + 4 * H);
    const saturday = expectedSpendUsd(prior, monday + 5 * 24 * H + 10 * H, monday + 5 * 24 * H + 13 * H);
    expect(workHours).toBeGreaterThan(4);
    expect(night).toBeLessThan(workHours / 4);
    expect(saturday).toBeLessThan(workHours / 2);
    expect(buildSpendPrior(costs, { fromMs: from, toMs: from + 3 * H })).toBeNull();
  });
});
