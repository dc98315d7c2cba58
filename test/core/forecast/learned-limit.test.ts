import {
  createRng,
  exponentialDraw,
  learnLimit,
  learnLimitFromWindows,
  limitSegments,
  type CostPoint,
} from "@quotacast/core";

const H = 3600_000;

/** A window with a known limit: utilization = cumulative cost / limit, polled every 2 min in whole percents. */
function knownLimitWindow(seed: number, limitUsd: number, startMs: number) {
  const rng = createRng(seed);
  const costs: CostPoint[] = [];
  for (let t = startMs + rng.next() * 60_000; t < startMs + 5 * H; t += exponentialDraw(rng, 90_000)) {
    // Bursty work: some quiet stretches, some heavy ones.
    const heavy = Math.floor((t - startMs) / (40 * 60_000)) % 3 !== 2;
    if (heavy) costs.push({ timestampMs: t, costUsd: exponentialDraw(rng, 0.08), tokens: 20_000 });
  }
  const readings = [];
  let cum = 0;
  let j = 0;
  for (let t = startMs; t < startMs + 5 * H; t += 120_000) {
    while (j < costs.length && costs[j].timestampMs <= t) cum += costs[j++].costUsd;
    readings.push({ observedAtMs: t, utilizationRatio: Math.floor((100 * cum) / limitUsd) / 100 });
  }
  return { readings, costs };
}

describe("learned limits", () => {
  it("recovers a known limit within its interval", () => {
    const limitUsd = 40;
    const segments = [];
    for (let k = 0; k < 12; k++) {
      const w = knownLimitWindow(k + 1, limitUsd, Date.UTC(2026, 9, 1) + k * 6 * H);
      segments.push(...limitSegments(w.readings, w.costs));
    }
    const learned = learnLimit("five_hour", segments)!;
    expect(learned.samples).toBe(segments.length);
    expect(learned.limitUsdLow).toBeLessThanOrEqual(learned.limitUsd);
    expect(learned.limitUsd).toBeLessThanOrEqual(learned.limitUsdHigh);
    expect(learned.limitUsdLow).toBeLessThan(limitUsd);
    expect(learned.limitUsdHigh).toBeGreaterThan(limitUsd);
    expect(Math.abs(learned.limitUsd - limitUsd) / limitUsd).toBeLessThan(0.05);
    // 20k tokens per event: tokens per 100% follow from the same ratio.
    const totalCost = segments.reduce((s, x) => s + x.costUsdDelta, 0);
    const totalTokens = segments.reduce((s, x) => s + x.tokensDelta, 0);
    expect(learned.limitTokens).toBeCloseTo((learned.limitUsd * totalTokens) / totalCost, 6);
  });

  it("ignores segments where utilization did not move, and never spans a reset", () => {
    const start = Date.UTC(2026, 9, 1);
    const readings = [
      { observedAtMs: start, utilizationRatio: 0.5 },
      { observedAtMs: start + 40 * 60_000, utilizationRatio: 0.6 },
      // Reset: utilization falls; only what follows counts.
      { observedAtMs: start + 80 * 60_000, utilizationRatio: 0.0 },
      { observedAtMs: start + 120 * 60_000, utilizationRatio: 0.0 },
      { observedAtMs: start + 160 * 60_000, utilizationRatio: 0.1 },
    ];
    const costs = [
      { timestampMs: start + 10 * 60_000, costUsd: 100 },
      { timestampMs: start + 100 * 60_000, costUsd: 3 },
      { timestampMs: start + 140 * 60_000, costUsd: 4 },
    ];
    const segments = limitSegments(readings, costs);
    expect(segments).toEqual([{ utilizationDelta: 0.1, costUsdDelta: 4, tokensDelta: 0 }]);
    expect(learnLimit("five_hour", [{ utilizationDelta: 0, costUsdDelta: 5, tokensDelta: 0 }])).toBeNull();
  });

  it("learns from completed windows carrying their costs, never across two windows", () => {
    const a = knownLimitWindow(21, 30, Date.UTC(2026, 9, 3));
    const b = knownLimitWindow(22, 30, Date.UTC(2026, 9, 3, 6));
    const learned = learnLimitFromWindows("five_hour", [a, b, { readings: b.readings }])!;
    const direct = learnLimit("five_hour", [
      ...limitSegments(a.readings, a.costs),
      ...limitSegments(b.readings, b.costs),
    ]);
    expect(learned).toEqual(direct);
    expect(learned.limitUsdLow).toBeLessThan(30);
    expect(learned.limitUsdHigh).toBeGreaterThan(30);
  });

  it("is deterministic", () => {
    const w = knownLimitWindow(3, 25, Date.UTC(2026, 9, 2));
    const s = limitSegments(w.readings, w.costs);
    expect(learnLimit("five_hour", s)).toEqual(learnLimit("five_hour", s));
  });
});
