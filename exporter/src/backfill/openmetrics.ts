/**
 * Renders the transcript and snapshot history as OpenMetrics text with timestamps, for
 * `promtool tsdb create-blocks-from openmetrics`. Pure: events and readings in, text out.
 *
 * Counters are cumulative from the beginning of history, exactly like the live
 * exporter's, so `increase()` across the join of backfilled and scraped data counts
 * nothing twice. Each counter sample at time t holds the total of the events before t, and
 * every local midnight gets a sample, so `increase(x[1d])` evaluated at a day's end is
 * that day's total with no extrapolation.
 *
 * Only the samples Prometheus needs are written: a series gets every step-grid sample
 * within an hour of one of its changes (so `increase` over any window of up to an hour on
 * the grid has samples at both ends and needs no extrapolation), plus the pinned instants
 * (midnights, their 1 ms copies, the first and last instants) that make day windows exact.
 * Stretches more than an hour from any change write nothing: the file stays a fraction of
 * the transcripts it summarizes, and promtool has that much less to read.
 */
import {
  completedOnly,
  costUsd,
  groupIntoWindows,
  type PriceTable,
  type UsageEvent,
  type WindowReading,
} from "@quotacast/core";
import { TOKEN_TYPES } from "../metrics/registry";
import { dayBoundariesBetween } from "./day-boundaries";

export interface BackfillInput {
  events: readonly UsageEvent[];
  readings: readonly WindowReading[];
  /** No sample after this instant. */
  untilMs: number;
  /** No sample before this instant (counters still count from the beginning of history). */
  sinceMs?: number;
  /** Spacing of counter samples; at least one second. */
  stepMs: number;
  /** IANA zone whose midnights get a sample. */
  timezone: string;
  /** Extra labels on every series (`instance`, `job`) so backfilled series match scraped ones. */
  extraLabels?: Readonly<Record<string, string>>;
  prices?: PriceTable;
}

/** Names and help of the backfilled families: the live exporter's (metrics/registry.ts, docs/metrics.md). */
const BACKFILL_FAMILIES = {
  tokens: { name: "quotacast_tokens", help: "Deduplicated tokens from transcripts." },
  cost: { name: "quotacast_cost_usd", help: "API-equivalent cost in USD (priced models only)." },
  messages: { name: "quotacast_messages", help: "Deduplicated API responses." },
  utilization: {
    name: "quotacast_window_utilization_ratio",
    help: "Latest utilization of the window, 0-1 (may exceed 1), per source.",
  },
  finalUtilization: {
    name: "quotacast_window_final_utilization_ratio",
    help: "Final utilization of the window's last completed occurrence (its highest reading before it reset).",
  },
  finalReset: {
    name: "quotacast_window_final_reset_timestamp_seconds",
    help: "When the window's last completed occurrence reset (the time of quotacast_window_final_utilization_ratio).",
  },
} as const;

export const MIN_STEP_MS = 1000;
const LINES_PER_CHUNK = 2000;

/**
 * A sample instant and the cutoff of the events it counts (those with timestamp < cutoff).
 * The cutoff is the instant itself, except for the copy 1 ms after each midnight: it repeats
 * the midnight value, so that a left-open range (Prometheus 3) still starts at the day's
 * first value and extrapolates over 1 ms only.
 */
export interface SamplePoint {
  atMs: number;
  cutoffMs: number;
}

/** Sample instants: every step (aligned to the epoch), every local midnight, and `untilMs`. */
export function samplePoints(
  fromMs: number,
  untilMs: number,
  stepMs: number,
  timezone: string,
): SamplePoint[] {
  if (!(stepMs >= MIN_STEP_MS)) throw new Error(`step must be at least ${MIN_STEP_MS / 1000} s`);
  if (fromMs > untilMs) return [];
  const byTime = new Map<number, number>();
  for (let t = Math.ceil(fromMs / stepMs) * stepMs; t <= untilMs; t += stepMs) byTime.set(t, t);
  byTime.set(untilMs, untilMs);
  const firstGridMs = Math.floor(fromMs / stepMs) * stepMs;
  byTime.set(firstGridMs, firstGridMs);
  for (const midnightMs of dayBoundariesBetween(firstGridMs, untilMs, timezone)) {
    byTime.set(midnightMs, midnightMs);
    if (midnightMs + 1 <= untilMs && !byTime.has(midnightMs + 1)) byTime.set(midnightMs + 1, midnightMs);
  }
  return [...byTime.entries()]
    .map(([atMs, cutoffMs]) => ({ atMs, cutoffMs }))
    .sort((a, b) => a.atMs - b.atMs);
}

/** One model's events, oldest first. */
function eventsByModel(events: readonly UsageEvent[]): Map<string, UsageEvent[]> {
  const byModel = new Map<string, UsageEvent[]>();
  for (const event of events) {
    let list = byModel.get(event.model);
    if (!list) byModel.set(event.model, (list = []));
    list.push(event);
  }
  for (const list of byModel.values()) list.sort((a, b) => a.timestampMs - b.timestampMs);
  return new Map([...byModel.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A counter series: label set and its cumulative value at each sample point from `startIndex`. */
interface CounterSeries {
  labels: Record<string, string>;
  startIndex: number;
  values: Float64Array;
}

/**
 * Cumulative sums of `amount(event)` at each point. `startIndex` is the last point whose
 * value is still 0 (so the series begins at 0 and its first increase is counted), or 0
 * when history starts before the first point.
 */
function cumulativeSeries(
  events: readonly UsageEvent[],
  points: readonly SamplePoint[],
  amounts: ReadonlyArray<(e: UsageEvent, index: number) => number>,
): { startIndex: number; values: Float64Array[] } {
  const values = amounts.map(() => new Float64Array(points.length));
  const totals = amounts.map(() => 0);
  let next = 0;
  let startIndex = 0;
  for (let i = 0; i < points.length; i++) {
    while (next < events.length && events[next].timestampMs < points[i].cutoffMs) {
      for (let k = 0; k < amounts.length; k++) totals[k] += amounts[k](events[next], next);
      next++;
    }
    if (next === 0) startIndex = i;
    for (let k = 0; k < amounts.length; k++) values[k][i] = totals[k];
  }
  return { startIndex, values };
}

function counterFamilies(input: BackfillInput, points: readonly SamplePoint[]) {
  const tokens: CounterSeries[] = [];
  const cost: CounterSeries[] = [];
  const messages: CounterSeries[] = [];
  // Events at or after `untilMs` belong to the live exporter's part of the timeline.
  const counted = input.events.filter((e) => e.timestampMs < input.untilMs);
  for (const [model, modelEvents] of eventsByModel(counted)) {
    const tokenSums = cumulativeSeries(
      modelEvents,
      points,
      TOKEN_TYPES.map(
        ([, field]) =>
          (e: UsageEvent) =>
            e[field],
      ),
    );
    TOKEN_TYPES.forEach(([type], k) =>
      tokens.push({ labels: { model, type }, startIndex: tokenSums.startIndex, values: tokenSums.values[k] }),
    );
    const messageCounts = cumulativeSeries(modelEvents, points, [() => 1]);
    messages.push({
      labels: { model },
      startIndex: messageCounts.startIndex,
      values: messageCounts.values[0],
    });

    // Unknown models are never priced as another model: no cost series for them.
    const costs = modelEvents.map((e) => costUsd(e, input.prices));
    if (costs.some((usd) => usd !== null)) {
      const costSums = cumulativeSeries(modelEvents, points, [(_e, index) => costs[index] ?? 0]);
      cost.push({ labels: { model }, startIndex: costSums.startIndex, values: costSums.values[0] });
    }
  }
  return { tokens, cost, messages };
}

/** `{a="1",b="2"}` with OpenMetrics escaping. */
function formatLabels(labels: Readonly<Record<string, string>>): string {
  const parts = Object.entries(labels).map(
    ([name, value]) => `${name}="${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`,
  );
  return parts.length === 0 ? "" : `{${parts.join(",")}}`;
}

/** Epoch seconds with millisecond precision. */
function formatTimestamp(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function* familyHeader(name: string, type: "counter" | "gauge", help: string): Generator<string> {
  yield `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`;
}

function* chunked(lines: Iterable<string>): Generator<string> {
  let buffer: string[] = [];
  for (const line of lines) {
    buffer.push(line);
    if (buffer.length >= LINES_PER_CHUNK) {
      yield buffer.join("");
      buffer = [];
    }
  }
  if (buffer.length > 0) yield buffer.join("");
}

/** Points every series keeps: the first and last, each local midnight and its 1 ms copy. */
function pinnedPoints(points: readonly SamplePoint[], timezone: string): boolean[] {
  if (points.length === 0) return [];
  const midnights = new Set(dayBoundariesBetween(points[0].atMs, points[points.length - 1].atMs, timezone));
  return points.map(
    (p, i) => i === 0 || i === points.length - 1 || p.cutoffMs !== p.atMs || midnights.has(p.atMs),
  );
}

/** Around each change, samples are kept this far either side (the longest exact window). */
const DENSE_AROUND_CHANGE_MS = 3_600_000;

/** Which points of a series are written (see the file comment). */
function neededPoints(
  s: CounterSeries,
  points: readonly SamplePoint[],
  pinned: readonly boolean[],
): boolean[] {
  const changes: number[] = [];
  for (let j = s.startIndex + 1; j < points.length; j++) {
    if (s.values[j] !== s.values[j - 1]) changes.push(points[j].atMs);
  }
  const needed = pinned.slice();
  needed[s.startIndex] = true;
  let next = 0; // first change not more than the padding before point i
  for (let i = s.startIndex; i < points.length; i++) {
    const atMs = points[i].atMs;
    while (next < changes.length && changes[next] < atMs - DENSE_AROUND_CHANGE_MS) next++;
    if (next < changes.length && changes[next] <= atMs + DENSE_AROUND_CHANGE_MS) needed[i] = true;
  }
  return needed;
}

function* counterLines(
  sampleName: string,
  series: readonly CounterSeries[],
  points: readonly SamplePoint[],
  pinned: readonly boolean[],
  extraLabels: Readonly<Record<string, string>>,
): Generator<string> {
  for (const s of series) {
    const prefix = `${sampleName}${formatLabels({ ...s.labels, ...extraLabels })} `;
    const needed = neededPoints(s, points, pinned);
    for (let i = s.startIndex; i < points.length; i++) {
      if (needed[i]) yield `${prefix}${s.values[i]} ${formatTimestamp(points[i].atMs)}\n`;
    }
  }
}

function* utilizationLines(
  input: BackfillInput,
  extraLabels: Readonly<Record<string, string>>,
): Generator<string> {
  const sinceMs = input.sinceMs ?? -Infinity;
  const bySeries = new Map<string, { window: string; source: string; byTime: Map<number, number> }>();
  for (const r of input.readings) {
    if (r.observedAtMs < sinceMs || r.observedAtMs > input.untilMs || !Number.isFinite(r.utilizationRatio))
      continue;
    const key = `${r.window}\u0000${r.source}`;
    let series = bySeries.get(key);
    if (!series) bySeries.set(key, (series = { window: r.window, source: r.source, byTime: new Map() }));
    // Two readings at the same millisecond: the later one in the input wins (one sample per instant).
    series.byTime.set(Math.round(r.observedAtMs), r.utilizationRatio);
  }
  const keys = [...bySeries.keys()].sort();
  for (const key of keys) {
    const series = bySeries.get(key)!;
    const prefix = `${BACKFILL_FAMILIES.utilization.name}${formatLabels({ window: series.window, source: series.source, ...extraLabels })} `;
    const times = [...series.byTime.keys()].sort((a, b) => a - b);
    for (const t of times) yield `${prefix}${series.byTime.get(t)} ${formatTimestamp(t)}\n`;
  }
}

/**
 * The live exporter's final-window gauges as they would have been at each past reset: one
 * sample of each at the reset time of every completed occurrence in the readings.
 */
function* finalWindowLines(
  input: BackfillInput,
  extraLabels: Readonly<Record<string, string>>,
): Generator<string> {
  const sinceMs = input.sinceMs ?? -Infinity;
  const completed = completedOnly(groupIntoWindows(input.readings), input.untilMs).filter(
    (o) => o.resetsAtMs >= sinceMs && Number.isFinite(o.maxUtilizationRatio),
  );
  for (const [family, value] of [
    [BACKFILL_FAMILIES.finalUtilization, (o: (typeof completed)[number]) => o.maxUtilizationRatio],
    [BACKFILL_FAMILIES.finalReset, (o: (typeof completed)[number]) => o.resetsAtMs / 1000],
  ] as const) {
    yield* familyHeader(family.name, "gauge", family.help);
    // groupIntoWindows sorts by window, then reset time: each series in time order.
    for (const o of completed) {
      yield `${family.name}${formatLabels({ window: o.window, ...extraLabels })} ${value(o)} ${formatTimestamp(o.resetsAtMs)}\n`;
    }
  }
}

/** The first instant worth a sample: the oldest event, or `sinceMs` when later. */
function historyStartMs(input: BackfillInput): number | null {
  let first = Infinity;
  for (const e of input.events) if (e.timestampMs < first) first = e.timestampMs;
  if (!Number.isFinite(first)) return null;
  if (input.sinceMs === undefined) return first;
  // With --since, start on the step grid at or after it, so no sample falls before it.
  const onGrid = (ms: number) => Math.ceil(ms / input.stepMs) * input.stepMs;
  return Math.max(Math.floor(first / input.stepMs) * input.stepMs, onGrid(input.sinceMs));
}

/** The whole OpenMetrics exposition, in chunks of lines, ending with `# EOF`. */
export function* renderBackfill(input: BackfillInput): Generator<string> {
  const extraLabels = input.extraLabels ?? {};
  const startMs = historyStartMs(input);
  const points = startMs === null ? [] : samplePoints(startMs, input.untilMs, input.stepMs, input.timezone);
  const counters = counterFamilies(input, points);
  const pinned = pinnedPoints(points, input.timezone);
  const families = [
    [BACKFILL_FAMILIES.tokens, counters.tokens],
    [BACKFILL_FAMILIES.cost, counters.cost],
    [BACKFILL_FAMILIES.messages, counters.messages],
  ] as const;
  for (const [family, series] of families) {
    yield* familyHeader(family.name, "counter", family.help);
    yield* chunked(counterLines(`${family.name}_total`, series, points, pinned, extraLabels));
  }
  yield* familyHeader(BACKFILL_FAMILIES.utilization.name, "gauge", BACKFILL_FAMILIES.utilization.help);
  yield* chunked(utilizationLines(input, extraLabels));
  yield* chunked(finalWindowLines(input, extraLabels));
  yield "# EOF\n";
}
