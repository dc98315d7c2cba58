/**
 * A worked example built from claumon v2.1's published description: two past windows give
 * the prior, the last 30 minutes give the observed rate, precision weighting blends them;
 * no forecast before two completed windows; ETA only when most paths cross 100%.
 */
import type { CompletedWindow } from "@quotacast/core";
import { claumonForecast, claumonRate, fitClaumon, protocolPoints } from "@quotacast/forecast-eval";

const H = 3600_000;
const FIVE_H = 5 * H;

function linearWindow(resetsAtMs: number, finalRatio: number): CompletedWindow {
  const startMs = resetsAtMs - FIVE_H;
  const readings = [];
  for (let t = startMs; t <= resetsAtMs - 120_000; t += 120_000) {
    readings.push({
      observedAtMs: t,
      utilizationRatio: Math.floor((100 * finalRatio * (t - startMs)) / FIVE_H) / 100,
    });
  }
  return { resetsAtMs, windowLengthMs: FIVE_H, finalUtilizationRatio: finalRatio, readings };
}

describe("claumon v2.1 re-implementation", () => {
  const t0 = Date.UTC(2026, 10, 1, 8);
  // u* = 0.5 and 0.7 over 5 h: rates 0.10 and 0.14 per hour.
  const past = [linearWindow(t0 + FIVE_H, 0.5), linearWindow(t0 + 2 * FIVE_H, 0.7)];

  it("waits for two completed windows (cold start)", () => {
    expect(fitClaumon([], FIVE_H)).toBeNull();
    expect(fitClaumon(past.slice(0, 1), FIVE_H)).toBeNull();
    const model = fitClaumon(past, FIVE_H);
    expect(model).not.toBeNull();
    // The prior: mean and sample variance of u*/D.
    expect(model!.prior.rateMean).toBeCloseTo(0.12, 12);
    expect(model!.prior.rateVariance).toBeCloseTo(((0.1 - 0.12) ** 2 + (0.14 - 0.12) ** 2) / 1, 12);
    expect(model!.noise.a).toBeGreaterThanOrEqual(0);
    expect(model!.noise.b).toBeGreaterThanOrEqual(0);
  });

  it("blends the 30-minute OLS rate with the prior by precision", () => {
    const prior = { rateMean: 0.12, rateVariance: 0.0008 };
    const nowMs = t0 + 10 * H;
    // Four points in the last 30 minutes (and an older one that must be ignored).
    const ys = [0.3, 0.31, 0.33, 0.34];
    const xsH = [-0.5, -1 / 3, -1 / 6, 0];
    const readings = [
      { observedAtMs: nowMs - H, utilizationRatio: 0.1 },
      ...xsH.map((x, i) => ({ observedAtMs: nowMs + x * H, utilizationRatio: ys[i] })),
    ];
    // OLS by hand.
    const mx = xsH.reduce((a, b) => a + b) / 4;
    const my = ys.reduce((a, b) => a + b) / 4;
    const sxx = xsH.reduce((s, x) => s + (x - mx) ** 2, 0);
    const slope = xsH.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0) / sxx;
    const sse = xsH.reduce((s, x, i) => s + (ys[i] - my - slope * (x - mx)) ** 2, 0);
    const slopeVariance = sse / 2 / sxx;
    const expected = (slope / slopeVariance + 0.12 / 0.0008) / (1 / slopeVariance + 1 / 0.0008);
    const r = claumonRate(readings, nowMs, prior);
    expect(r.observedRate).toBeCloseTo(slope, 10);
    expect(r.observedVariance).toBeCloseTo(slopeVariance, 12);
    expect(r.rate).toBeCloseTo(expected, 10);
    // Strictly between the observed rate (0.08/h) and the prior mean (0.12/h).
    expect(r.rate).toBeGreaterThan(Math.min(slope, 0.12));
    expect(r.rate).toBeLessThan(Math.max(slope, 0.12));
    // Fewer than 3 points in 30 minutes: the prior alone.
    expect(claumonRate(readings.slice(0, 3), nowMs - H / 6 + 1, prior).observedRate).toBeNull();
    expect(claumonRate(readings.slice(0, 3), nowMs - H / 6 + 1, prior).rate).toBe(0.12);
  });

  it("reports an ETA only when fewer than half the paths never cross 100%", () => {
    const nowMs = t0 + 20 * H;
    const resetsAtMs = nowMs + H;
    // No noise and a zero-variance prior: every path follows the blended rate exactly.
    const model = {
      windowLengthMs: FIVE_H,
      prior: { rateMean: 0.2, rateVariance: 0 },
      noise: { a: 0, b: 0 },
      pastWindows: 2,
    };
    const fast = claumonForecast(model, [{ observedAtMs: nowMs, utilizationRatio: 0.9 }], nowMs, resetsAtMs);
    // 0.9 + 0.2/h reaches 1.0 after 30 minutes: the end of the 6th 5-minute step.
    expect(fast.etaMs).toBe(nowMs + 30 * 60_000);
    expect(fast.p10Ratio).toBeCloseTo(1.1, 10);
    const slow = claumonForecast(
      { ...model, prior: { rateMean: 0.05, rateVariance: 0 } },
      [{ observedAtMs: nowMs, utilizationRatio: 0.9 }],
      nowMs,
      resetsAtMs,
    );
    expect(slow.etaMs).toBeNull();
    // With noise, about half the paths cross: the rule decides by the count of non-crossing paths.
    const noisy = claumonForecast(
      { ...model, prior: { rateMean: 0.1, rateVariance: 0 }, noise: { a: 0.002, b: 0 } },
      [{ observedAtMs: nowMs, utilizationRatio: 0.9 }],
      nowMs,
      resetsAtMs,
      7,
    );
    const crossing = noisy.pathEnds.filter((e) => e >= 1).length;
    expect(noisy.etaMs === null).toBe(crossing <= 250);
  });

  it("is deterministic and uses the protocol's 6 forecast points", () => {
    const model = fitClaumon(past, FIVE_H)!;
    const w = linearWindow(t0 + 3 * FIVE_H, 0.6);
    const points = protocolPoints(w.readings[0].observedAtMs, w.resetsAtMs);
    expect(points).toHaveLength(6);
    expect(points[0]).toBe(w.readings[0].observedAtMs + 30 * 60_000 + (0.5 / 6) * (FIVE_H - 60 * 60_000));
    const a = claumonForecast(model, w.readings, points[2], w.resetsAtMs);
    const b = claumonForecast(model, w.readings, points[2], w.resetsAtMs);
    expect(a).toEqual(b);
    expect(a.p10Ratio).toBeLessThanOrEqual(a.p50Ratio);
    expect(a.p50Ratio).toBeLessThanOrEqual(a.p90Ratio);
  });
});
