// Generated from core/src/forecast/learned-limit.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * "Your 5-hour limit is about $X of API-equivalent usage": the ratio between the local
 * cost and the utilization it produced, learned from segments of polls within one window.
 * Ratio of sums (robust to the whole-percent rounding of each segment), with a seeded
 * bootstrap interval over segments.
 */
import type { WindowName } from "../limits/snapshot";
import type { LearnedLimit } from "./types";
import { createRng } from "./random";
import { quantileSorted } from "./stats";
import { toSeries, type CostPoint, type UtilizationPoint } from "./series";

/** One stretch of one window: how much utilization moved and what was spent meanwhile. */
export interface LimitSegment {
  utilizationDelta: number;
  costUsdDelta: number;
  tokensDelta: number;
}

export interface LearnLimitOptions {
  /** Bootstrap resamples (default 400; 0 = no interval, the estimate alone). */
  resamples?: number;
  /** Central coverage of the interval (default 0.9). */
  coverage?: number;
  seed?: number;
}

/**
 * Cuts the readings of ONE window into segments of at least `minSegmentMs` between polls,
 * and sums the costs in each. Segments where utilization did not move are left out (the
 * rounding hides their cost), and so is anything across a reset (a drop in utilization).
 */
export function limitSegments(
  readings: readonly UtilizationPoint[],
  costs: readonly CostPoint[],
  minSegmentMs = 30 * 60_000,
): LimitSegment[] {
  const sorted = readings.slice().sort((a, b) => a.observedAtMs - b.observedAtMs);
  const series = toSeries(sorted);
  if (series.timesMs.length < 2) return [];
  // toSeries keeps only the part after the last reset; a reset inside means we drop the earlier part.
  const sortedCosts = costs.slice().sort((a, b) => a.timestampMs - b.timestampMs);
  const segments: LimitSegment[] = [];
  let startIdx = 0;
  for (let i = 1; i < series.timesMs.length; i++) {
    if (series.timesMs[i] - series.timesMs[startIdx] < minSegmentMs) continue;
    const du = series.ratios[i] - series.ratios[startIdx];
    if (du > 0) {
      let cost = 0;
      let tokens = 0;
      for (const c of sortedCosts) {
        if (c.timestampMs <= series.timesMs[startIdx]) continue;
        if (c.timestampMs > series.timesMs[i]) break;
        cost += c.costUsd;
        tokens += c.tokens ?? 0;
      }
      segments.push({ utilizationDelta: du, costUsdDelta: cost, tokensDelta: tokens });
    }
    startIdx = i;
  }
  return segments;
}

/** Estimates USD (and tokens) per 100% of the window; null without a segment that moved. */
export function learnLimit(
  window: WindowName,
  segments: readonly LimitSegment[],
  opts: LearnLimitOptions = {},
): LearnedLimit | null {
  const usable = segments.filter(
    (s) => s.utilizationDelta > 0 && Number.isFinite(s.costUsdDelta) && s.costUsdDelta >= 0,
  );
  if (usable.length === 0) return null;
  const ratioOfSums = (xs: readonly LimitSegment[], field: "costUsdDelta" | "tokensDelta"): number => {
    let num = 0;
    let den = 0;
    for (const s of xs) {
      num += s[field];
      den += s.utilizationDelta;
    }
    return den > 0 ? num / den : NaN;
  };
  const limitUsd = ratioOfSums(usable, "costUsdDelta");
  const resamples = opts.resamples ?? 400;
  const coverage = opts.coverage ?? 0.9;
  const rng = createRng(opts.seed ?? 20261122);
  const boot: number[] = [];
  for (let b = 0; b < resamples; b++) {
    let num = 0;
    let den = 0;
    for (let i = 0; i < usable.length; i++) {
      const s = usable[Math.floor(rng.next() * usable.length)];
      num += s.costUsdDelta;
      den += s.utilizationDelta;
    }
    if (den > 0) boot.push(num / den);
  }
  boot.sort((a, b) => a - b);
  const tail = (1 - coverage) / 2;
  return {
    window,
    limitUsd,
    limitUsdLow: boot.length ? Math.min(limitUsd, quantileSorted(boot, tail)) : limitUsd,
    limitUsdHigh: boot.length ? Math.max(limitUsd, quantileSorted(boot, 1 - tail)) : limitUsd,
    limitTokens: ratioOfSums(usable, "tokensDelta"),
    samples: usable.length,
  };
}

/** The limit learned from completed windows that carry their transcript costs (segments never span two windows). */
export function learnLimitFromWindows(
  window: WindowName,
  windows: ReadonlyArray<{ readings: readonly UtilizationPoint[]; costs?: readonly CostPoint[] }>,
  opts: LearnLimitOptions = {},
): LearnedLimit | null {
  const segments = windows.flatMap((w) =>
    w.costs && w.costs.length ? limitSegments(w.readings, w.costs) : [],
  );
  return learnLimit(window, segments, opts);
}
