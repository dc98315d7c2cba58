// Generated from core/src/forecast/series.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * The inputs of every forecasting strategy, and the one place that reads a window's
 * readings into features at a moment: utilization so far, recent rates, idle time.
 */
import type { WindowOccurrence } from "../limits/history";
import type { WindowName } from "../limits/snapshot";

import { HOUR_MS } from "../time";

/** One utilization reading (a WindowReading has these two fields). */
export interface UtilizationPoint {
  observedAtMs: number;
  utilizationRatio: number;
}

/** A window that has reset: its final value is the maximum observed. */
export interface CompletedWindow {
  window?: WindowName;
  resetsAtMs: number;
  windowLengthMs: number;
  finalUtilizationRatio: number;
  readings: readonly UtilizationPoint[];
  /** Transcript costs during the window, when known (lets the replay use the cost stream too). */
  costs?: readonly CostPoint[];
}

/** API-equivalent cost of local transcript events (one per event or per minute). */
export interface CostPoint {
  timestampMs: number;
  costUsd: number;
  tokens?: number;
}

/** Readings sorted, as a running maximum (utilization never falls inside a window). */
export interface UtilizationSeries {
  timesMs: number[];
  ratios: number[];
  /** When the running maximum at index i was first reached. */
  lastIncreaseMs: number[];
}

/**
 * Sorts readings and keeps the running maximum. A drop of more than 5 points means the
 * window reset under us: only readings after the last such drop are kept.
 */
export function toSeries(readings: readonly UtilizationPoint[]): UtilizationSeries {
  const sorted = readings
    .filter((r) => Number.isFinite(r.observedAtMs) && Number.isFinite(r.utilizationRatio))
    .slice()
    .sort((a, b) => a.observedAtMs - b.observedAtMs);
  let start = 0;
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].utilizationRatio < sorted[i - 1].utilizationRatio - 0.05) start = i;
  }
  const timesMs: number[] = [];
  const ratios: number[] = [];
  const lastIncreaseMs: number[] = [];
  let max = -Infinity;
  let since = 0;
  for (let i = start; i < sorted.length; i++) {
    const r = sorted[i];
    if (r.utilizationRatio > max) {
      max = r.utilizationRatio;
      since = r.observedAtMs;
    }
    timesMs.push(r.observedAtMs);
    ratios.push(Math.max(0, max));
    lastIncreaseMs.push(since);
  }
  return { timesMs, ratios, lastIncreaseMs };
}

/** Index of the last reading at or before `atMs`, or -1. */
function lastIndexAtOrBefore(timesMs: readonly number[], atMs: number): number {
  let lo = 0;
  let hi = timesMs.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (timesMs[mid] <= atMs) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Utilization known at `atMs` (0 before the first reading). */
function utilizationAt(series: UtilizationSeries, atMs: number): number {
  const i = lastIndexAtOrBefore(series.timesMs, atMs);
  return i < 0 ? 0 : series.ratios[i];
}

/** A rate needs readings over at least this share of its span (a quarter: 7.5 of 30 minutes). */
const MIN_SEEN_SPAN_FRACTION = 0.25;

/** What a forecaster sees at one moment of a window. Rates are utilization per hour. */
export interface Situation {
  nowMs: number;
  resetsAtMs: number;
  windowLengthMs: number;
  utilizationRatio: number;
  elapsedH: number;
  horizonH: number;
  /** Elapsed fraction of the nominal window, 0-1. */
  elapsedFraction: number;
  /** u / elapsed time since the window started. */
  toDateRate: number;
  /**
   * Increase over the last tenth of the window (30 min of 5 h), per hour. Only what was seen
   * counts: before the first reading utilization is unknown (not 0) unless that reading is
   * 0. When too little was seen (see `rateKnown`), the to-date rate stands in.
   */
  shortRate: number;
  /** Increase over the last 30% of the window (90 min of 5 h), per hour; as shortRate. */
  longRate: number;
  /** Whether shortRate rests on readings (or costs) seen over enough of its span. */
  rateKnown: boolean;
  /** Time since utilization last increased (since the window start when it never did). */
  idleH: number;
  /** Readings visible at this moment. */
  visibleCount: number;
}

export function situationAt(
  series: UtilizationSeries,
  nowMs: number,
  resetsAtMs: number,
  windowLengthMs: number,
): Situation {
  const idx = lastIndexAtOrBefore(series.timesMs, nowMs);
  const u = idx < 0 ? 0 : series.ratios[idx];
  const startMs = resetsAtMs - windowLengthMs;
  const elapsedMs = Math.max(nowMs - startMs, 60_000);
  const windowH = windowLengthMs / HOUR_MS;
  const toDateRate = u / Math.max(elapsedMs / HOUR_MS, windowH / 20);
  // Utilization is known from the first reading on, or from the window's start when the
  // first reading says nothing was used yet: a first reading mid-window invents no history.
  const knownFromMs =
    idx < 0 ? nowMs : series.ratios[0] <= 0 ? startMs : Math.max(startMs, series.timesMs[0]);
  const rateOver = (spanMs: number): number | null => {
    const span = Math.max(Math.min(spanMs, elapsedMs), 60_000);
    const fromMs = Math.max(nowMs - span, knownFromMs);
    if (nowMs - fromMs < span * MIN_SEEN_SPAN_FRACTION) return null;
    return (u - utilizationAt(series, fromMs)) / ((nowMs - fromMs) / HOUR_MS);
  };
  const shortRate = rateOver(windowLengthMs * 0.1);
  const longRate = rateOver(windowLengthMs * 0.3);
  const lastUpMs = idx < 0 || u <= 0 ? startMs : series.lastIncreaseMs[idx];
  return {
    nowMs,
    resetsAtMs,
    windowLengthMs,
    utilizationRatio: u,
    elapsedH: elapsedMs / HOUR_MS,
    horizonH: Math.max(resetsAtMs - nowMs, 0) / HOUR_MS,
    elapsedFraction: Math.min(1, Math.max(0, elapsedMs / windowLengthMs)),
    toDateRate,
    shortRate: Math.max(0, shortRate ?? toDateRate),
    longRate: Math.max(0, longRate ?? shortRate ?? toDateRate),
    rateKnown: shortRate !== null,
    idleH: Math.max(0, nowMs - Math.max(lastUpMs, startMs)) / HOUR_MS,
    visibleCount: idx + 1,
  };
}

/**
 * Typical pause inside a window: a high quantile of the runs without increase that ended
 * with an increase (so the user came back). Longer idle than this suggests the user stopped.
 */
export function closedPauseDurationsH(series: UtilizationSeries): number[] {
  const pauses: number[] = [];
  for (let i = 1; i < series.ratios.length; i++) {
    if (series.ratios[i] > series.ratios[i - 1] && series.lastIncreaseMs[i - 1] > 0) {
      pauses.push((series.timesMs[i] - series.lastIncreaseMs[i - 1]) / HOUR_MS);
    }
  }
  return pauses;
}

/** A completed occurrence from the snapshot history, as the forecaster takes it. */
export function completedWindowOf(
  occurrence: WindowOccurrence,
  costs?: readonly CostPoint[],
): CompletedWindow {
  return {
    window: occurrence.window,
    resetsAtMs: occurrence.resetsAtMs,
    windowLengthMs: occurrence.windowLengthMs,
    finalUtilizationRatio: occurrence.maxUtilizationRatio,
    readings: occurrence.readings,
    ...(costs ? { costs } : {}),
  };
}
