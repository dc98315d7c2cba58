/**
 * The Summary's usage part and the forecasts' cost points, kept between menu-bar runs so that
 * one appended line does not re-read and re-price two weeks of events (5,000+ in a heavy
 * history: their decoding, pricing and aggregation were most of such a run).
 *
 * Kept in `usage-state.bin` beside the ledger: per day and per model the totals of the last
 * SUMMARY_DAYS days, this week's per-model totals, the sorted cost points, and the events of
 * today and the last 10 hours (today's sessions and the active block are recomputed from them).
 * A run applies the ledger's new events to them and returns exactly what core computes from the
 * recent events (`recentUsageOf`): every sum is added in the same order as core adds it (events
 * in the recent log's order, the week day by day), so even the floating-point costs are equal.
 *
 * Anything the order argument does not cover is computed from the events again (the recent log
 * is read, as before): the first run of a day, a replaced copy of a message (it keeps its place
 * in the log), an event dated before a day that the week already holds or after today, another
 * price table or time zone, a recent log that changed other than by this run's appends.
 */
import * as fs from "node:fs";
import type { UsageChange, UsageEvent } from "../vendor/core/ingest";
import { fnv1a32 } from "../vendor/core/hash";
import { bundledPriceTable, costUsd, type PriceTable } from "../vendor/core/pricing";
import { addDays, daysFrom, SUMMARY_DAYS, type RecentUsage, type RecentUsageQuery } from "../vendor/core/report";
import {
  activeBlock,
  addEventTokens,
  aggregateSessions,
  BLOCK_LENGTH_MS,
  dayKey,
  DEFAULT_WEEK_STARTS_ON,
  periodFromModels,
  weekStartKey,
  zeroTokenTotals,
  type ModelUsage,
} from "../vendor/core/usage";
import { writeFileAtomic } from "../vendor/core/statusline/atomic-write";
import { decodeEvents, encodeBlock } from "./event-log";

const MAGIC = "QCKU";
/** Bumped when the layout or the meaning of a field changes: an older file is not used. */
const KEPT_VERSION = 1;
const HEAD_BYTES = 16;
/** Events kept whole: today's and the last two blocks' length (the active block's reach). */
const TAIL_MS = 2 * BLOCK_LENGTH_MS;

/** The recent log as the ledger store reports it (FileLedgerStore.recentLogBytes). */
export interface RecentLogPort {
  recentEvents(sinceMs: number): Promise<UsageEvent[]>;
  recentLogBytes(): { startBytes: number; nowBytes: number; rewritten: boolean; ownWritesOnly: boolean };
}

/** One model's totals: `ModelUsage` as core's `periodUsage` accumulates it. */
type ModelRow = ModelUsage;

interface KeptMeta {
  timezone: string;
  pricesFingerprint: string;
  /** The recent log's size these totals describe. */
  recentBytes: number;
  today: string;
  weekStart: string;
  /** The latest day added to the week (its sums run day by day). */
  weekLastDay: string | null;
  /** Per day (firstDay..today), per model. */
  days: Record<string, ModelRow[]>;
  week: ModelRow[];
}

interface Kept extends KeptMeta {
  /** Sorted cost points: [timestampMs, costUsd, tokens] per point. */
  costs: Float64Array;
  /** Events of today and of the last TAIL_MS, in the recent log's order. */
  tail: UsageEvent[];
}

export interface KeptUsageStats {
  /** How the last answer was made: from the kept totals, or from the events. */
  mode: "kept" | "rebuilt" | null;
  /** Why the events were read again (for diagnostics and tests). */
  rebuildReason: string | null;
}

export class KeptUsage {
  readonly stats: KeptUsageStats = { mode: null, rebuildReason: null };

  constructor(
    private readonly file: string,
    private readonly log: RecentLogPort,
  ) {}

  /** `recentUsageOf(recent events)`, from the kept totals and this run's changes when they allow it. */
  async recentUsage(query: RecentUsageQuery, changes: readonly UsageChange[]): Promise<RecentUsage> {
    const { nowMs, timezone } = query;
    const today = dayKey(nowMs, timezone);
    const fingerprint = pricesFingerprint(query.prices);
    const bytes = this.log.recentLogBytes();
    const kept = readKept(this.file);
    let reason: string | null = null;
    if (kept === null) reason = "no kept totals";
    else if (kept.timezone !== timezone || kept.pricesFingerprint !== fingerprint) reason = "zone or prices changed";
    else if (kept.today !== today) reason = "another day";
    else if (bytes.rewritten || kept.recentBytes !== bytes.startBytes) reason = "recent log changed";
    else reason = applyChanges(kept, changes, query);

    let result: Kept;
    if (reason === null && kept !== null) {
      result = kept;
      this.stats.mode = "kept";
    } else {
      result = fromEvents(await this.log.recentEvents(query.sinceMs), query, fingerprint);
      this.stats.mode = "rebuilt";
    }
    this.stats.rebuildReason = reason;
    const after = this.log.recentLogBytes();
    if (after.ownWritesOnly && !hasFutureDays(result)) {
      result.recentBytes = after.nowBytes;
      writeFileAtomic(this.file, encodeKept(result));
    } else {
      fs.rmSync(this.file, { force: true }); // not a description of the log any more
    }
    return { costs: costPointsOf(result.costs), usage: usageOf(result, query) };
  }
}

/** Applies new events to the kept totals; the reason they cannot be, or null when applied. */
function applyChanges(kept: Kept, changes: readonly UsageChange[], query: RecentUsageQuery): string | null {
  const { sinceMs, nowMs, timezone, prices } = query;
  for (const change of changes) if (change.previous !== null) return "a message was replaced";
  const added = changes.map((c) => c.current).filter((e) => e.timestampMs >= sinceMs);
  const firstDay = addDays(kept.today, -(SUMMARY_DAYS - 1));
  for (const event of added) {
    const day = dayKey(event.timestampMs, timezone);
    if (day > kept.today) return "an event after today";
    if (day >= kept.weekStart && kept.weekLastDay !== null && day < kept.weekLastDay)
      return "an event before a day the week holds";
    if (day >= kept.weekStart) kept.weekLastDay = day;
  }
  // Checked first, applied after: a refused change leaves nothing half applied.
  const points = trimCosts(kept.costs, sinceMs);
  const inserted: number[][] = [];
  for (const event of added) {
    const day = dayKey(event.timestampMs, timezone);
    const cost = costUsd(event, prices);
    if (day >= firstDay) addToRows((kept.days[day] ??= []), event, cost);
    if (day >= kept.weekStart) addToRows(kept.week, event, cost);
    inserted.push([event.timestampMs, cost ?? 0, tokensOf(event)]);
  }
  kept.costs = insertPoints(points, inserted);
  kept.tail = keepTail([...kept.tail, ...added], nowMs, kept.today, timezone);
  return null;
}

/** What core's pipeline computes, from the events themselves (also the reference for the kept path). */
function fromEvents(events: readonly UsageEvent[], query: RecentUsageQuery, fingerprint: string): Kept {
  const { nowMs, timezone, prices } = query;
  const today = dayKey(nowMs, timezone);
  const weekStart = weekStartKey(today, DEFAULT_WEEK_STARTS_ON);
  const firstDay = addDays(today, -(SUMMARY_DAYS - 1));
  const days: Record<string, ModelRow[]> = {};
  const byDay = new Map<string, UsageEvent[]>();
  const recent = events.filter((e) => e.timestampMs >= query.sinceMs);
  const costs: number[][] = [];
  for (const event of recent) {
    const day = dayKey(event.timestampMs, timezone);
    const cost = costUsd(event, prices);
    costs.push([event.timestampMs, cost ?? 0, tokensOf(event)]);
    if (day > today) (days[day] ??= []).length = 0; // marks a future day: never kept
    if (day < firstDay || day > today) continue;
    addToRows((days[day] ??= []), event, cost);
    const list = byDay.get(day);
    if (list) list.push(event);
    else byDay.set(day, [event]);
  }
  // The week's sums run day by day, as core's summary adds them.
  const week: ModelRow[] = [];
  let weekLastDay: string | null = null;
  for (const day of daysFrom(weekStart, today)) {
    for (const event of byDay.get(day) ?? []) {
      addToRows(week, event, costUsd(event, prices));
      weekLastDay = day;
    }
  }
  costs.sort((a, b) => a[0] - b[0]); // stable, as core's costPoints
  return {
    timezone,
    pricesFingerprint: fingerprint,
    recentBytes: 0,
    today,
    weekStart,
    weekLastDay,
    days,
    week,
    costs: Float64Array.from(costs.flat()),
    tail: keepTail(recent, nowMs, today, timezone),
  };
}

/** `periodUsage`'s accumulation of one event, on its rows. */
function addToRows(rows: ModelRow[], event: UsageEvent, cost: number | null): void {
  let row = rows.find((r) => r.model === event.model);
  if (!row) {
    row = { model: event.model, ...zeroTokenTotals(), costUsd: 0 };
    rows.push(row);
  }
  addEventTokens(row, event);
  row.costUsd = cost === null || row.costUsd === null ? null : row.costUsd + cost;
}

function tokensOf(e: UsageEvent): number {
  return e.inputTokens + e.outputTokens + e.cacheCreationTokens + e.cacheReadTokens;
}

function hasFutureDays(kept: Kept): boolean {
  return Object.keys(kept.days).some((day) => day > kept.today);
}

function keepTail(events: readonly UsageEvent[], nowMs: number, today: string, timezone: string): UsageEvent[] {
  return events.filter((e) => e.timestampMs >= nowMs - TAIL_MS || dayKey(e.timestampMs, timezone) >= today);
}

/** The Summary's usage part from the kept totals, as core's `summaryUsage` makes it. */
function usageOf(kept: Kept, query: RecentUsageQuery): RecentUsage["usage"] {
  const { nowMs, timezone, prices } = query;
  const firstDay = addDays(kept.today, -(SUMMARY_DAYS - 1));
  const lastDays = daysFrom(firstDay, kept.today).map((day) => periodFromModels(day, copyRows(kept.days[day])));
  const inSpan = kept.tail.filter((e) => e.timestampMs >= query.sinceMs);
  return {
    today: lastDays[lastDays.length - 1],
    thisWeek: periodFromModels(kept.weekStart, copyRows(kept.week)),
    lastDays,
    activeBlock: activeBlock(
      inSpan.filter((e) => e.timestampMs >= nowMs - TAIL_MS),
      { nowMs, prices },
    ),
    sessionsToday: aggregateSessions(
      inSpan.filter((e) => dayKey(e.timestampMs, timezone) === kept.today),
      { timezone, prices },
    ),
  };
}

function copyRows(rows: readonly ModelRow[] | undefined): ModelRow[] {
  return (rows ?? []).map((row) => ({ ...row }));
}

// --- cost points: [timestampMs, costUsd, tokens] triples, sorted by time

function costPointsOf(costs: Float64Array): RecentUsage["costs"] {
  const points: RecentUsage["costs"] = new Array(costs.length / 3);
  for (let i = 0, n = 0; n < costs.length; i++, n += 3)
    points[i] = { timestampMs: costs[n], costUsd: costs[n + 1], tokens: costs[n + 2] };
  return points;
}

/** Without the points before `sinceMs` (the span moved on). */
function trimCosts(costs: Float64Array, sinceMs: number): Float64Array {
  let lo = 0;
  let hi = costs.length / 3;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (costs[mid * 3] < sinceMs) lo = mid + 1;
    else hi = mid;
  }
  return costs.subarray(lo * 3);
}

/** Each new point after every point of the same time or earlier: where a stable sort puts a later event. */
function insertPoints(costs: Float64Array, added: readonly number[][]): Float64Array {
  let result = costs;
  for (const point of added) {
    let lo = 0;
    let hi = result.length / 3;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (result[mid * 3] <= point[0]) lo = mid + 1;
      else hi = mid;
    }
    const grown = new Float64Array(result.length + 3);
    grown.set(result.subarray(0, lo * 3));
    grown.set(point, lo * 3);
    grown.set(result.subarray(lo * 3), lo * 3 + 3);
    result = grown;
  }
  return result;
}

// --- the file: `QCKU`, u32 version, u32 JSON bytes, u32 cost points; JSON; padding to 8;
// f64 cost triples; the tail as one event-log block (event-log.ts).

function encodeKept(kept: Kept): Buffer {
  const { costs, tail, ...meta } = kept;
  const json = Buffer.from(JSON.stringify(meta), "utf8");
  const costsAt = align8(HEAD_BYTES + json.length);
  const head = Buffer.alloc(costsAt);
  head.write(MAGIC, 0, "latin1");
  head.writeUInt32LE(KEPT_VERSION, 4);
  head.writeUInt32LE(json.length, 8);
  head.writeUInt32LE(costs.length / 3, 12);
  json.copy(head, HEAD_BYTES);
  const costBytes = new Uint8Array(costs.buffer, costs.byteOffset, costs.byteLength);
  return Buffer.concat([head, costBytes, encodeBlock(tail)]);
}

function readKept(file: string): Kept | null {
  try {
    const bytes = fs.readFileSync(file);
    if (bytes.length < HEAD_BYTES || bytes.toString("latin1", 0, 4) !== MAGIC) return null;
    if (bytes.readUInt32LE(4) !== KEPT_VERSION) return null;
    const jsonBytes = bytes.readUInt32LE(8);
    const points = bytes.readUInt32LE(12);
    const meta = JSON.parse(bytes.toString("utf8", HEAD_BYTES, HEAD_BYTES + jsonBytes)) as KeptMeta;
    const costsAt = align8(HEAD_BYTES + jsonBytes);
    const tailAt = costsAt + points * 3 * 8;
    if (tailAt > bytes.length) return null;
    // A copy: the file's buffer may not be 8-aligned, and the copy outlives it.
    const costs = new Float64Array(points * 3);
    new Uint8Array(costs.buffer).set(bytes.subarray(costsAt, tailAt));
    const tail = decodeEvents(bytes.subarray(tailAt));
    if (tail === null || typeof meta.today !== "string" || !Array.isArray(meta.week)) return null;
    return { ...meta, costs, tail };
  } catch {
    return null;
  }
}

function align8(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}

/** Kept totals hold prices: another table (an update of the bundled one) means computing them again. */
const fingerprints = new WeakMap<PriceTable, string>();
function pricesFingerprint(prices: PriceTable | undefined): string {
  // The bundled table is part of this build: its source line names the file and the day it was made.
  if (prices === undefined || prices === bundledPriceTable()) return `bundled ${bundledPriceTable().source}`;
  let fingerprint = fingerprints.get(prices);
  if (fingerprint === undefined) {
    const text = JSON.stringify(prices);
    fingerprint = `${text.length}:${fnv1a32(text).toString(16)}`;
    fingerprints.set(prices, fingerprint);
  }
  return fingerprint;
}
