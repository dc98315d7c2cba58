import {
  FAN_QUANTILES,
  SYNTHETIC_REGIMES,
  createRng,
  fitForecastModel,
  forecastWindow,
  forecastWindows,
  syntheticWindows,
  type BenchWindow,
  type ForecastInput,
} from "@quotacast/core";

const FIVE_H = 5 * 3600_000;

/** A forecast input at a random moment of a random synthetic window, with some past windows. */
function randomInput(seed: number): ForecastInput {
  const rng = createRng(seed);
  const regime = SYNTHETIC_REGIMES[Math.floor(rng.next() * SYNTHETIC_REGIMES.length)];
  const windows = syntheticWindows(regime, { windows: 25, seed: seed + 100 });
  const current = windows[windows.length - 1];
  const past = windows.slice(0, Math.floor(rng.next() * 24));
  const start = current.resetsAtMs - FIVE_H;
  const nowMs = start + rng.next() * FIVE_H;
  return {
    window: "five_hour",
    nowMs,
    resetsAtMs: current.resetsAtMs,
    windowLengthMs: FIVE_H,
    readings: current.readings.filter((r) => r.observedAtMs <= nowMs),
    pastWindows: past,
  };
}

/** A 7-day window polled every 2 minutes, with 8 past weeks. */
function weeklyInput(): ForecastInput {
  const week = 7 * 24 * 3600_000;
  const rng = createRng(77);
  const weeks: BenchWindow[] = [];
  for (let k = 0; k < 9; k++) {
    const startMs = Date.UTC(2026, 5, 1) + k * week;
    const rate = (0.5 + rng.next()) / (7 * 24);
    const readings = [];
    for (let t = startMs; t < startMs + week; t += 120_000) {
      readings.push({ observedAtMs: t, utilizationRatio: Math.floor((100 * rate * (t - startMs)) / 3600_000) / 100 });
    }
    weeks.push({ resetsAtMs: startMs + week, windowLengthMs: week, finalUtilizationRatio: readings[readings.length - 1].utilizationRatio, readings, costs: [] });
  }
  const current = weeks.pop() as BenchWindow;
  const nowMs = current.resetsAtMs - 3 * 24 * 3600_000;
  return {
    window: "seven_day",
    nowMs,
    resetsAtMs: current.resetsAtMs,
    windowLengthMs: week,
    readings: current.readings.filter((r) => r.observedAtMs <= nowMs),
    pastWindows: weeks,
  };
}

describe("forecastWindow", () => {
  it("gives sorted quantiles never below the current value, with ordered intervals (property, 150 seeded inputs)", () => {
    for (let seed = 1; seed <= 150; seed++) {
      const input = randomInput(seed);
      const f = forecastWindow(input);
      expect(f.quantiles.map((q) => q.q)).toEqual([...FAN_QUANTILES]);
      for (let i = 0; i < f.quantiles.length; i++) {
        expect(Number.isFinite(f.quantiles[i].utilizationRatio)).toBe(true);
        expect(f.quantiles[i].utilizationRatio).toBeGreaterThanOrEqual(f.currentUtilizationRatio);
        if (i > 0) expect(f.quantiles[i].utilizationRatio).toBeGreaterThanOrEqual(f.quantiles[i - 1].utilizationRatio);
      }
      expect(f.p10Ratio).toBeLessThanOrEqual(f.p50Ratio);
      expect(f.p50Ratio).toBeLessThanOrEqual(f.p90Ratio);
      // Time remains and the user may keep working: never a degenerate "49%-49%" interval.
      if (f.resetsAtMs - f.atMs > 10 * 60_000 && f.abandonedProbability < 0.9) expect(f.p90Ratio).toBeGreaterThan(f.p10Ratio);
      for (const p of [f.exhaustionProbability, f.warningProbability, f.abandonedProbability]) {
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
      }
      expect(f.warningProbability).toBeGreaterThanOrEqual(f.exhaustionProbability);
      if (f.exhaustionAtMs) {
        expect(f.exhaustionAtMs.p10Ms).toBeGreaterThanOrEqual(f.atMs);
        expect(f.exhaustionAtMs.p10Ms).toBeLessThanOrEqual(f.exhaustionAtMs.p50Ms);
        expect(f.exhaustionAtMs.p50Ms).toBeLessThanOrEqual(f.exhaustionAtMs.p90Ms);
        expect(f.exhaustionAtMs.p90Ms).toBeLessThanOrEqual(f.resetsAtMs);
      }
      if (f.reserveMs !== null) expect(f.reserveMs).toBe(f.resetsAtMs - (f.projectedExhaustionAtMs as number));
    }
  });

  it("is deterministic: the same input gives an identical forecast", () => {
    for (const seed of [3, 17, 42]) {
      expect(forecastWindow(randomInput(seed))).toEqual(forecastWindow(randomInput(seed)));
    }
  });

  it("forecasts from the first minutes with no past window, with an honest interval", () => {
    const [w] = syntheticWindows("linear", { windows: 1, seed: 9 });
    const nowMs = w.resetsAtMs - FIVE_H + 40 * 60_000;
    const f = forecastWindow({
      window: "five_hour",
      nowMs,
      resetsAtMs: w.resetsAtMs,
      windowLengthMs: FIVE_H,
      readings: w.readings.filter((r) => r.observedAtMs <= nowMs),
      pastWindows: [],
    });
    expect(f.pastWindows).toBe(0);
    expect(f.p90Ratio - f.p10Ratio).toBeGreaterThan(0.1);
    expect(f.p50Ratio).toBeGreaterThan(f.currentUtilizationRatio);
  });

  it("sees that a user who went quiet has probably stopped", () => {
    const past = syntheticWindows("abandonment", { windows: 60, seed: 5 });
    const model = fitForecastModel(past, FIVE_H);
    const startMs = Date.UTC(2026, 10, 1, 9);
    const resetsAtMs = startMs + FIVE_H;
    const nowMs = startMs + 150 * 60_000;
    // Same utilization now; one kept climbing until now, the other stopped an hour ago.
    const climbing = [];
    const stopped = [];
    for (let t = startMs; t <= nowMs; t += 120_000) {
      const m = (t - startMs) / 60_000;
      climbing.push({ observedAtMs: t, utilizationRatio: Math.floor(m * 0.2 + 1e-9) / 100 });
      stopped.push({ observedAtMs: t, utilizationRatio: Math.floor(Math.min(m, 90) / 3 + 1e-9) / 100 });
    }
    const base = { window: "five_hour", nowMs, resetsAtMs, windowLengthMs: FIVE_H, model } as const;
    const active = forecastWindow({ ...base, readings: climbing });
    const quiet = forecastWindow({ ...base, readings: stopped });
    expect(quiet.currentUtilizationRatio).toBeCloseTo(active.currentUtilizationRatio, 2);
    expect(quiet.abandonedProbability).toBeGreaterThan(active.abandonedProbability + 0.2);
    expect(quiet.p50Ratio).toBeLessThan(active.p50Ratio);
    // No Claude Code process running makes stopping more likely still.
    const noProcess = forecastWindow({ ...base, readings: climbing, claudeProcessRunning: false });
    expect(noProcess.abandonedProbability).toBeGreaterThan(active.abandonedProbability);
  });

  it("moves between polls with the transcript cost stream and the learned limit", () => {
    const past: BenchWindow[] = syntheticWindows("linear", { windows: 20, seed: 2 });
    const model = fitForecastModel(past, FIVE_H);
    const startMs = Date.UTC(2026, 10, 2, 9);
    const resetsAtMs = startMs + FIVE_H;
    const lastPollMs = startMs + 120 * 60_000;
    const readings = [];
    for (let t = startMs; t <= lastPollMs; t += 120_000) readings.push({ observedAtMs: t, utilizationRatio: Math.floor((t - startMs) / 600_000) / 100 });
    const nowMs = lastPollMs + 90_000;
    const learnedLimit = { window: "five_hour", limitUsd: 50, limitUsdLow: 45, limitUsdHigh: 55, limitTokens: 1e7, samples: 20 };
    const base = { window: "five_hour", nowMs, resetsAtMs, windowLengthMs: FIVE_H, readings, model, learnedLimit } as const;
    const without = forecastWindow(base);
    const withSpend = forecastWindow({ ...base, costStream: [{ timestampMs: lastPollMs + 60_000, costUsd: 5 }] });
    // $5 of a $50 limit since the last poll: 10 more points right now.
    expect(withSpend.currentUtilizationRatio).toBeCloseTo(without.currentUtilizationRatio + 0.1, 6);
    expect(withSpend.p50Ratio).toBeGreaterThan(without.p50Ratio);
  });

  it("forecasts all windows quickly (5-hour with 200 past windows and a weekly window)", () => {
    const past = [...syntheticWindows("bursty", { windows: 100, seed: 3 }), ...syntheticWindows("linear", { windows: 100, seed: 4 })];
    const current = past.pop() as BenchWindow;
    const nowMs = current.resetsAtMs - 2 * 3600_000;
    const input: ForecastInput = {
      window: "five_hour",
      nowMs,
      resetsAtMs: current.resetsAtMs,
      windowLengthMs: FIVE_H,
      readings: current.readings.filter((r) => r.observedAtMs <= nowMs),
      pastWindows: past,
    };
    const weekly = weeklyInput();
    const times: number[] = [];
    for (let k = 0; k < 7; k++) {
      const started = performance.now();
      const f = forecastWindows([input, weekly]);
      times.push(performance.now() - started);
      expect(f[0].pastWindows).toBe(199);
    }
    times.sort((a, b) => a - b);
    // Median after JIT warm-up; generous bound for a loaded shared machine (measured: see bench/FORECAST.md).
    expect(times[3]).toBeLessThan(100);
  });
});
