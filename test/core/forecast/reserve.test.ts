import {
  FileSnapshotHistory,
  forecastCurrentWindows,
  forecastWindow,
  type StatePort,
  type UtilizationPoint,
  type WindowReading,
} from "@quotacast/core";

const HOUR_MS = 3600_000;
const FIVE_H = 5 * HOUR_MS;
const START_MS = Date.UTC(2026, 10, 20, 9);
const RESET_MS = START_MS + FIVE_H;

/** Readings every 5 minutes from `fromMs` to `toMs`, utilization growing linearly by `ratioPerHour`. */
function climb(fromMs: number, toMs: number, startRatio: number, ratioPerHour: number): UtilizationPoint[] {
  const out: UtilizationPoint[] = [];
  for (let t = fromMs; t <= toMs; t += 5 * 60_000) {
    out.push({ observedAtMs: t, utilizationRatio: startRatio + ((t - fromMs) / HOUR_MS) * ratioPerHour });
  }
  return out;
}

function forecastAt(nowMs: number, readings: UtilizationPoint[]) {
  return forecastWindow({
    window: "five_hour",
    nowMs,
    resetsAtMs: RESET_MS,
    windowLengthMs: FIVE_H,
    readings,
    pastWindows: [],
  });
}

describe("reserve = expected exhaustion at the current burn - reset", () => {
  test("negative when the window runs out before its reset, by how long before", () => {
    // 2 h in at 40%, burning 30%/h: 100% two hours from now, one hour before the reset.
    const nowMs = START_MS + 2 * HOUR_MS;
    const f = forecastAt(nowMs, climb(nowMs - HOUR_MS, nowMs, 0.1, 0.3));
    expect(f.burnRatioPerHour).toBeCloseTo(0.3, 5);
    expect(f.reserveMs! / HOUR_MS).toBeCloseTo(-1, 3);
  });

  test("positive when the window outlasts its reset, by how long after", () => {
    // 4 h in at 60%, burning 10%/h: 100% four hours from now, three hours after the reset.
    const nowMs = START_MS + 4 * HOUR_MS;
    const f = forecastAt(nowMs, climb(START_MS + 10 * 60_000, nowMs, 0.2 + (10 / 60) * 0.1, 0.1));
    expect(f.burnRatioPerHour).toBeCloseTo(0.1, 5);
    expect(f.reserveMs! / HOUR_MS).toBeCloseTo(3, 3);
  });

  test("the window's length when no exhaustion is expected within one window after the reset", () => {
    const nowMs = START_MS + 4 * HOUR_MS;
    const flat = forecastAt(nowMs, [
      { observedAtMs: START_MS + 5 * 60_000, utilizationRatio: 0.2 },
      { observedAtMs: nowMs, utilizationRatio: 0.2 },
    ]);
    expect(flat.burnRatioPerHour).toBe(0);
    expect(flat.reserveMs).toBe(FIVE_H);
    const slow = forecastAt(nowMs, climb(START_MS + 10 * 60_000, nowMs, 0.1, 0.02));
    expect(slow.reserveMs).toBe(FIVE_H);
  });
});

describe("a first reading in the middle of a window", () => {
  test("invents no history: burn, reserve and time of exhaustion are not known yet", () => {
    // 42% seen once with 2 h left (the case: it read as burn 84%/h, limit in 41 min).
    const nowMs = RESET_MS - 2 * HOUR_MS;
    const f = forecastAt(nowMs, [{ observedAtMs: nowMs, utilizationRatio: 0.42 }]);
    expect(f.burnRatioPerHour).toBeNull();
    expect(f.projectedExhaustionAtMs).toBeNull();
    expect(f.exhaustionAtMs).toBeNull();
    expect(f.reserveMs).toBeNull();
  });

  test("uses the window's start only when a reading there said 0%", () => {
    const nowMs = RESET_MS - 2 * HOUR_MS;
    const f = forecastAt(nowMs, [
      { observedAtMs: START_MS, utilizationRatio: 0 },
      { observedAtMs: nowMs, utilizationRatio: 0.42 },
    ]);
    expect(f.burnRatioPerHour).not.toBeNull();
  });

  test("the rate is known once readings span enough of the recent half hour", () => {
    const nowMs = RESET_MS - 2 * HOUR_MS;
    const f = forecastAt(nowMs, [
      { observedAtMs: nowMs - 20 * 60_000, utilizationRatio: 0.4 },
      { observedAtMs: nowMs, utilizationRatio: 0.42 },
    ]);
    expect(f.burnRatioPerHour).toBeCloseTo(0.06, 5);
  });
});

class MemoryState implements StatePort {
  private readonly values = new Map<string, string>();
  async load(key: string) {
    return this.values.get(key) ?? null;
  }
  async save(key: string, value: string) {
    this.values.set(key, value);
  }
}

describe("the forecasts users see", () => {
  test("never put utilization at reset above 100%; the chance and time of the limit say the rest", async () => {
    const history = new FileSnapshotHistory(new MemoryState());
    const nowMs = START_MS + 2 * HOUR_MS;
    const readings: WindowReading[] = climb(START_MS + 5 * 60_000, nowMs, 0.05, 0.45).map((p) => ({
      window: "five_hour",
      utilizationRatio: p.utilizationRatio,
      resetsAtMs: RESET_MS,
      windowLengthMs: FIVE_H,
      status: "allowed",
      source: "oauth",
      observedAtMs: p.observedAtMs,
    }));
    for (const r of readings)
      await history.append({ observedAtMs: r.observedAtMs, source: "oauth", windows: [r] });
    const uncapped = forecastAt(nowMs, readings);
    expect(uncapped.p50Ratio).toBeGreaterThan(1);
    const entries = await forecastCurrentWindows([readings[readings.length - 1]], {
      nowMs,
      history,
      costs: [],
      costsSinceMs: nowMs,
      spendPrior: null,
    });
    const f = entries.get("five_hour")!.forecast!;
    expect(Math.max(...f.quantiles.map((q) => q.utilizationRatio), f.p10Ratio, f.p50Ratio, f.p90Ratio)).toBe(
      1,
    );
    expect(f.exhaustionProbability).toBeGreaterThan(0.5);
    expect(f.exhaustionAtMs!.p50Ms).toBeLessThan(RESET_MS);
  });
});
