// Generated from core/src/forecast/current.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * Forecasts of the windows that are open right now, from the snapshot history and the
 * local cost stream: the one wiring that the exporter (which fits daily and caches) and
 * the CLI and Raycast extension (which fit on the spot) share.
 */
import { DAY_MS, utcOffsetMinutesWithoutIntl } from "../time";
import { SAME_WINDOW_TOLERANCE_MS, type SnapshotHistory, type WindowOccurrence } from "../limits/history";
import type { WindowName, WindowReading } from "../limits/snapshot";
import { learnLimit, limitSegments } from "./learned-limit";
import { fitForecastModel, forecastWindow, type FittedForecastModel } from "./model";
import { completedWindowOf, type CostPoint } from "./series";
import { buildSpendPrior, type SpendPrior } from "./transcript-prior";
import type { LearnedLimit, WindowForecast } from "./types";

/** How far back the hour-of-week spend prior looks. */
export const SPEND_PRIOR_SPAN_MS = 28 * DAY_MS;

export interface FittedWindow {
  model: FittedForecastModel;
  learnedLimit: LearnedLimit | null;
}

export interface WindowForecastEntry {
  forecast: WindowForecast | null;
  learnedLimit: LearnedLimit | null;
}

/** The points in [fromMs, toMs] of a sorted array (binary search, no scan of the rest). */
function costsBetween(points: readonly CostPoint[], fromMs: number, toMs: number): CostPoint[] {
  return points.slice(lowerBound(points, fromMs), lowerBound(points, toMs + 1));
}

function lowerBound(points: readonly CostPoint[], ms: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid].timestampMs < ms) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Minutes east of UTC in `timezone` at `atMs` (for the hour-of-week spend prior); 0 for an unknown zone. */
function utcOffsetMinutes(timezone: string, atMs: number): number {
  const known = utcOffsetMinutesWithoutIntl(timezone, atMs);
  if (known !== null) return known;
  try {
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    }).formatToParts(atMs);
    const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
    const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
    return Math.round((asUtc - Math.floor(atMs / 60_000) * 60_000) / 60_000);
  } catch {
    return 0;
  }
}

/** The spend prior over the last SPEND_PRIOR_SPAN_MS of costs (null with under a day of history). */
export function recentSpendPrior(
  costs: readonly CostPoint[],
  nowMs: number,
  timezone: string,
): SpendPrior | null {
  return buildSpendPrior(costs, {
    fromMs: Math.max(costs[0]?.timestampMs ?? nowMs, nowMs - SPEND_PRIOR_SPAN_MS),
    toMs: nowMs,
    utcOffsetMinutes: utcOffsetMinutes(timezone, nowMs),
  });
}

/**
 * Fits one window kind from its completed occurrences. `costsSinceMs` is where the cost
 * points begin: occurrences that started earlier have incomplete costs (a missing cost
 * would read as 0), so they do not teach the learned limit.
 */
export function fitWindow(
  window: WindowName,
  occurrences: readonly WindowOccurrence[],
  costs: readonly CostPoint[],
  costsSinceMs: number,
): FittedWindow | null {
  const last = occurrences[occurrences.length - 1];
  if (!last) return null;
  const completed = occurrences.map((o) =>
    completedWindowOf(o, costsBetween(costs, o.startsAtMs, o.resetsAtMs)),
  );
  const segments = occurrences
    .filter((o) => o.startsAtMs >= costsSinceMs)
    .flatMap((o) => limitSegments(o.readings, costsBetween(costs, o.startsAtMs, o.resetsAtMs)));
  const learnedLimit = learnLimit(window, segments);
  return { model: fitForecastModel(completed, last.windowLengthMs, { learnedLimit }), learnedLimit };
}

/** Readings of the occurrence that `reading` belongs to (the previous one may overlap in time). */
async function occurrenceReadings(
  history: SnapshotHistory,
  reading: WindowReading,
  nowMs: number,
): Promise<WindowReading[]> {
  const resetsAtMs = reading.resetsAtMs ?? nowMs;
  const readings = (
    await history.readings({
      window: reading.window,
      fromMs: resetsAtMs - reading.windowLengthMs,
      toMs: nowMs,
    })
  ).filter((r) => r.resetsAtMs !== null && Math.abs(r.resetsAtMs - resetsAtMs) <= SAME_WINDOW_TOLERANCE_MS);
  if (!readings.some((r) => r.observedAtMs === reading.observedAtMs)) readings.push(reading);
  return readings;
}

export interface CurrentForecastOptions {
  nowMs: number;
  history: SnapshotHistory;
  /** Sorted cost points (usage's costPoints) covering at least the open windows. */
  costs: readonly CostPoint[];
  /** Where `costs` begin. */
  costsSinceMs: number;
  spendPrior: SpendPrior | null;
  /** Models fitted earlier (the exporter's daily refit); windows missing here are fitted now. */
  fitted?: ReadonlyMap<string, FittedWindow>;
  warningLevelRatio?: number;
}

/** Forecast and learned limit of every open window; windows without a future reset get nulls. */
export async function forecastCurrentWindows(
  readings: readonly WindowReading[],
  opts: CurrentForecastOptions,
): Promise<Map<string, WindowForecastEntry>> {
  const result = new Map<string, WindowForecastEntry>();
  for (const reading of readings) {
    const resetsAtMs = reading.resetsAtMs;
    if (resetsAtMs === null || resetsAtMs <= opts.nowMs) {
      result.set(reading.window, { forecast: null, learnedLimit: null });
      continue;
    }
    const fitted = await fittedFor(reading, opts);
    const startMs = resetsAtMs - reading.windowLengthMs;
    const current = await occurrenceReadings(opts.history, reading, opts.nowMs);
    const costStream = costsBetween(opts.costs, startMs, opts.nowMs);
    // Before any window has completed, the open one already pairs utilization with cost.
    const learnedLimit =
      fitted?.learnedLimit ??
      (startMs >= opts.costsSinceMs ? learnLimit(reading.window, limitSegments(current, costStream)) : null);
    // A source's clock may run slightly ahead of ours: never forecast from before its reading.
    const atMs = Math.max(opts.nowMs, ...current.map((r) => r.observedAtMs));
    const forecast = forecastWindow({
      window: reading.window,
      nowMs: atMs,
      resetsAtMs,
      windowLengthMs: reading.windowLengthMs,
      readings: current,
      ...(fitted ? { model: fitted.model } : { pastWindows: [] }),
      costStream,
      learnedLimit,
      spendPrior: opts.spendPrior,
      ...(opts.warningLevelRatio !== undefined ? { warningLevelRatio: opts.warningLevelRatio } : {}),
    });
    result.set(reading.window, { forecast: withinLimit(forecast), learnedLimit });
  }
  return result;
}

/**
 * The forecast as users see it: a window cannot be used past 100%, so utilization at reset
 * is capped there (or at the current value, when a source already reports more); how likely
 * and when the limit is hit say the rest (`exhaustionProbability`, `exhaustionAtMs`).
 */
function withinLimit(forecast: WindowForecast): WindowForecast {
  const cap = Math.max(1, forecast.currentUtilizationRatio);
  const capped = (ratio: number): number => Math.min(ratio, cap);
  return {
    ...forecast,
    quantiles: forecast.quantiles.map((x) => ({ q: x.q, utilizationRatio: capped(x.utilizationRatio) })),
    p10Ratio: capped(forecast.p10Ratio),
    p50Ratio: capped(forecast.p50Ratio),
    p90Ratio: capped(forecast.p90Ratio),
  };
}

async function fittedFor(reading: WindowReading, opts: CurrentForecastOptions): Promise<FittedWindow | null> {
  const cached = opts.fitted?.get(reading.window);
  if (cached && cached.model.windowLengthMs === reading.windowLengthMs) return cached;
  const occurrences = await opts.history.completedWindows(reading.window, opts.nowMs);
  return fitWindow(reading.window, occurrences, opts.costs, opts.costsSinceMs);
}
