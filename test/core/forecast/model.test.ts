import {
  FAN_QUANTILES,
  buildSpendPrior,
  completedWindowOf,
  groupIntoWindows,
  createRng,
  fitForecastModel,
  forecastWindow,
  forecastWindows,
  type ForecastInput,
} from "@quotacast/core";
import {
  SYNTHETIC_REGIMES,
  latencyFixture,
  syntheticWindows,
  type SyntheticRegime,
} from "@quotacast/forecast-eval";

const FIVE_H = 5 * 3600_000;

/** A 5-hour window from `startMs`, and a model fitted on `windows` past windows of `regime`. */
function windowWithModel(regime: SyntheticRegime, windows: number, seed: number, startMs: number) {
  const model = fitForecastModel(syntheticWindows(regime, { windows, seed }), FIVE_H);
  return { model, startMs, resetsAtMs: startMs + FIVE_H };
}

/** A reading every 2 minutes from `startMs` to `untilMs`, at `ratioAt(minutes since the start)`. */
function readingsEvery2Minutes(startMs: number, untilMs: number, ratioAt: (minutes: number) => number) {
  const readings = [];
  for (let t = startMs; t <= untilMs; t += 120_000)
    readings.push({ observedAtMs: t, utilizationRatio: ratioAt((t - startMs) / 60_000) });
  return readings;
}

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

describe("forecastWindow", () => {
  it("gives sorted quantiles never below the current value, with ordered intervals (property, 150 seeded inputs)", () => {
    for (let seed = 1; seed <= 150; seed++) {
      const input = randomInput(seed);
      const f = forecastWindow(input);
      expect(f.quantiles.map((q) => q.q)).toEqual([...FAN_QUANTILES]);
      for (let i = 0; i < f.quantiles.length; i++) {
        expect(Number.isFinite(f.quantiles[i].utilizationRatio)).toBe(true);
        expect(f.quantiles[i].utilizationRatio).toBeGreaterThanOrEqual(f.currentUtilizationRatio);
        if (i > 0)
          expect(f.quantiles[i].utilizationRatio).toBeGreaterThanOrEqual(f.quantiles[i - 1].utilizationRatio);
      }
      expect(f.p10Ratio).toBeLessThanOrEqual(f.p50Ratio);
      expect(f.p50Ratio).toBeLessThanOrEqual(f.p90Ratio);
      // Time remains and the user may keep working: never a degenerate "49%-49%" interval.
      if (f.resetsAtMs - f.atMs > 10 * 60_000 && f.abandonedProbability < 0.9)
        expect(f.p90Ratio).toBeGreaterThan(f.p10Ratio);
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
      // The reserve: expected exhaustion minus reset, negative exactly when it comes first.
      if (f.projectedExhaustionAtMs !== null)
        expect(f.reserveMs).toBe(f.projectedExhaustionAtMs - f.resetsAtMs);
      if (f.reserveMs !== null) expect(f.reserveMs).toBeLessThanOrEqual(FIVE_H);
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
    const { model, startMs, resetsAtMs } = windowWithModel("abandonment", 60, 5, Date.UTC(2026, 10, 1, 9));
    const nowMs = startMs + 150 * 60_000;
    // Same utilization now; one kept climbing until now, the other stopped an hour ago.
    const climbing = readingsEvery2Minutes(startMs, nowMs, (m) => Math.floor(m * 0.2 + 1e-9) / 100);
    const stopped = readingsEvery2Minutes(
      startMs,
      nowMs,
      (m) => Math.floor(Math.min(m, 90) / 3 + 1e-9) / 100,
    );
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
    const { model, startMs, resetsAtMs } = windowWithModel("linear", 20, 2, Date.UTC(2026, 10, 2, 9));
    const lastPollMs = startMs + 120 * 60_000;
    // One point every 10 minutes.
    const readings = readingsEvery2Minutes(startMs, lastPollMs, (m) => Math.floor(m / 10) / 100);
    const nowMs = lastPollMs + 90_000;
    const learnedLimit = {
      window: "five_hour",
      limitUsd: 50,
      limitUsdLow: 45,
      limitUsdHigh: 55,
      limitTokens: 1e7,
      samples: 20,
    };
    const base = {
      window: "five_hour",
      nowMs,
      resetsAtMs,
      windowLengthMs: FIVE_H,
      readings,
      model,
      learnedLimit,
    } as const;
    const without = forecastWindow(base);
    const withSpend = forecastWindow({
      ...base,
      costStream: [{ timestampMs: lastPollMs + 60_000, costUsd: 5 }],
    });
    // $5 of a $50 limit since the last poll: 10 more points right now.
    expect(withSpend.currentUtilizationRatio).toBeCloseTo(without.currentUtilizationRatio + 0.1, 6);
    expect(withSpend.p50Ratio).toBeGreaterThan(without.p50Ratio);
  });

  it("with no past window, leans on the transcript spend profile of the hours ahead", () => {
    const H = 3600_000;
    const monday = Date.UTC(2026, 8, 7);
    // Four weeks of history: this user works hard 14:00-18:00 UTC on weekdays, little otherwise.
    const history = [];
    for (let d = 0; d < 28; d++) {
      for (let h = 0; h < 24; h++) {
        const heavy = d % 7 < 5 && h >= 14 && h < 18;
        history.push({ timestampMs: monday + d * 24 * H + h * H + 60_000, costUsd: heavy ? 6 : 0.2 });
      }
    }
    const spendPrior = buildSpendPrior(history, { fromMs: monday, toMs: monday + 28 * 24 * H })!;
    // Two windows with the same first 90 minutes, one starting 12:00 (heavy hours ahead), one 02:00.
    const forecastFrom = (startMs: number) => {
      const costs = [];
      const readings = [];
      for (let m = 0; m <= 90; m += 2) {
        if (m % 10 === 1 || m % 10 === 0)
          costs.push({ timestampMs: startMs + m * 60_000 + 30_000, costUsd: 0.5 });
        const spent = costs
          .filter((c) => c.timestampMs <= startMs + m * 60_000)
          .reduce((x, c) => x + c.costUsd, 0);
        readings.push({
          observedAtMs: startMs + m * 60_000,
          utilizationRatio: Math.floor(spent / 0.4) / 100,
        });
      }
      return forecastWindow({
        window: "five_hour",
        nowMs: startMs + 90 * 60_000,
        resetsAtMs: startMs + FIVE_H,
        windowLengthMs: FIVE_H,
        readings,
        costStream: costs,
        pastWindows: [],
        spendPrior,
      });
    };
    const day = monday + 28 * 24 * H;
    const beforeRush = forecastFrom(day + 12 * H);
    const night = forecastFrom(day + 2 * H);
    expect(beforeRush.pastWindows).toBe(0);
    expect(beforeRush.currentUtilizationRatio).toBeCloseTo(night.currentUtilizationRatio, 9);
    expect(beforeRush.p50Ratio).toBeGreaterThan(night.p50Ratio + 0.05);
    expect(beforeRush.p90Ratio).toBeGreaterThan(beforeRush.p10Ratio);
  });

  it("with no past weekly window, widens the weekly interval by how much the user's days differ", () => {
    const H = 3600_000;
    const DAY = 24 * H;
    const WEEK = 7 * DAY;
    const monday = Date.UTC(2026, 8, 7);
    // Two users who spend $70 a week in four weeks of history: one $10 every day, one $35 on two days.
    const history = (perDay: (d: number) => number) =>
      Array.from({ length: 28 }, (_, d) => ({ timestampMs: monday + d * DAY + 15 * H, costUsd: perDay(d) }));
    const steadyHistory = history(() => 10);
    const burstyHistory = history((d) => (d % 7 === 1 || d % 7 === 3 ? 35 : 0));
    const range = { fromMs: monday, toMs: monday + 28 * DAY };
    const steady = buildSpendPrior(steadyHistory, range)!;
    const bursty = buildSpendPrior(burstyHistory, range)!;
    expect(steady.dailySpendCv).toBeCloseTo(0, 9);
    // Two days of 35 in seven over 28 days: mean 10, sample variance 250 x 28/27.
    expect(bursty.dailySpendCv).toBeCloseTo(Math.sqrt((250 * 28) / 27) / 10, 9);

    // The same weekly window, six days in at 60%, forecast with each profile.
    const startMs = monday + 28 * DAY;
    const nowMs = startMs + 6 * DAY;
    const readings = Array.from({ length: 7 }, (_, d) => ({
      observedAtMs: startMs + d * DAY,
      utilizationRatio: d * 0.1,
    }));
    const forecast = (spendPrior: typeof steady) =>
      forecastWindow({
        window: "seven_day",
        nowMs,
        resetsAtMs: startMs + WEEK,
        windowLengthMs: WEEK,
        readings,
        pastWindows: [],
        spendPrior,
      });
    const calm = forecast(steady);
    const wild = forecast(bursty);
    expect(wild.p90Ratio - wild.p10Ratio).toBeGreaterThan(1.5 * (calm.p90Ratio - calm.p10Ratio));
    // Wider around the same median: a busy last day is as likely as a quiet one.
    expect(Math.abs(wild.p50Ratio - calm.p50Ratio)).toBeLessThan(0.03);
  });

  it("takes completed windows straight from the snapshot history", () => {
    const t0 = Date.UTC(2026, 10, 3, 10);
    const readings = [0, 10, 25, 40].map((p, i) => ({
      window: "five_hour",
      utilizationRatio: p / 100,
      resetsAtMs: t0 + FIVE_H + i * 1000,
      windowLengthMs: FIVE_H,
      status: "allowed" as const,
      source: "oauth",
      observedAtMs: t0 + i * 3600_000,
    }));
    const [occurrence] = groupIntoWindows(readings);
    const w = completedWindowOf(occurrence);
    expect(w.finalUtilizationRatio).toBe(0.4);
    expect(w.windowLengthMs).toBe(FIVE_H);
    expect(w.readings).toHaveLength(4);
    const f = forecastWindow({
      window: "five_hour",
      nowMs: t0 + FIVE_H + 3 * 3600_000,
      resetsAtMs: t0 + 2 * FIVE_H,
      windowLengthMs: FIVE_H,
      readings: [{ observedAtMs: t0 + FIVE_H + 3 * 3600_000, utilizationRatio: 0.2 }],
      pastWindows: [w, w],
    });
    expect(f.pastWindows).toBe(2);
  });

  it("stacks the analog forecast with the regression by their out-of-sample errors", () => {
    // Steady sessions: the current pace predicts the rest well, so the regression carries most weight.
    const steady = fitForecastModel(syntheticWindows("linear", { windows: 40, seed: 3 }), FIVE_H);
    expect(steady.analogShare).toBeGreaterThan(0);
    expect(steady.analogShare).toBeLessThan(0.5);
    // What past windows added from each tenth on shrinks as the window runs out.
    const analogs = steady.analogIncrements.filter((v) => Number.isFinite(v));
    expect(analogs.length).toBeGreaterThanOrEqual(8);
    for (let i = 1; i < analogs.length; i++) expect(analogs[i]).toBeLessThan(analogs[i - 1]);
    // Too few windows to judge: the regression alone.
    expect(fitForecastModel(syntheticWindows("linear", { windows: 2, seed: 3 }), FIVE_H).analogShare).toBe(0);
  });

  // Its speed (under 20 ms for all windows) is measured by `npm run bench:forecast`, not here.
  it("forecasts a 5-hour window with 199 past windows and a weekly window in one call", () => {
    const f = forecastWindows(latencyFixture());
    expect(f.map((w) => w.pastWindows)).toEqual([199, 8]);
  });
});
