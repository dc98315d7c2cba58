/**
 * What the report commands show beyond core's aggregates: per-session and per-block
 * breakdowns with the token types and first/last times that ccusage's JSON carries.
 * Everything here is pure: events in, rows out.
 */
import type { UsageEvent } from "@quotacast/core/ingest";
import type { PriceTable } from "@quotacast/core/pricing";
import {
  addEventTokens,
  BLOCK_LENGTH_MS,
  buildBlocks,
  dayKey,
  DEFAULT_WEEK_STARTS_ON,
  normalizeDayKey,
  periodFromModels,
  periodUsage,
  weekStartKey,
  zeroTokenTotals,
  type BlockSummary,
  type ModelUsage,
  type Period,
  type PeriodUsage,
  type TokenTotals,
} from "@quotacast/core/usage";
import type { DayTotalRow } from "../db/day-totals";

export interface EventFilter {
  timezone: string;
  /** Inclusive `YYYY-MM-DD` in `timezone`. */
  sinceDay?: string;
  untilDay?: string;
  project?: string;
}

/** Events inside the day range and project (days are calendar days in the filter's zone). */
export function filterEvents(events: readonly UsageEvent[], filter: EventFilter): UsageEvent[] {
  const since = filter.sinceDay === undefined ? null : normalizeDayKey(filter.sinceDay);
  const until = filter.untilDay === undefined ? null : normalizeDayKey(filter.untilDay);
  return events.filter((e) => {
    if (filter.project !== undefined && e.project !== filter.project) return false;
    if (since === null && until === null) return true;
    const day = dayKey(e.timestampMs, filter.timezone);
    return (since === null || day >= since) && (until === null || day <= until);
  });
}

/** A stored per-day total (db/day-totals.ts): one day of a zone, one project, one model. */
export type DayModelTotals = Omit<DayTotalRow, "events">;

/**
 * Days, weeks or months from per-day totals, as `aggregateByPeriod` makes them from events
 * (same labels, model order and unknown costs); rows of other projects are left out.
 */
export function periodsFromDayTotals(
  rows: readonly DayModelTotals[],
  opts: { period: Period; project?: string },
): PeriodUsage[] {
  const groups = new Map<string, Map<string, ModelUsage>>();
  for (const row of rows) {
    if (opts.project !== undefined && row.project !== opts.project) continue;
    const label =
      opts.period === "day"
        ? row.day
        : opts.period === "week"
          ? weekStartKey(row.day, DEFAULT_WEEK_STARTS_ON)
          : row.day.slice(0, 7);
    let models = groups.get(label);
    if (!models) groups.set(label, (models = new Map()));
    let model = models.get(row.model);
    if (!model) {
      model = { model: row.model, ...zeroTokenTotals(), costUsd: 0 };
      models.set(row.model, model);
    }
    model.inputTokens += row.inputTokens;
    model.outputTokens += row.outputTokens;
    model.cacheCreationTokens += row.cacheCreationTokens;
    model.cacheReadTokens += row.cacheReadTokens;
    model.totalTokens += row.inputTokens + row.outputTokens + row.cacheCreationTokens + row.cacheReadTokens;
    model.costUsd = row.unpricedEvents > 0 || model.costUsd === null ? null : model.costUsd + row.costUsd;
  }
  return [...groups.keys()].sort().map((label) => periodFromModels(label, [...groups.get(label)!.values()]));
}

export interface SessionReport {
  sessionId: string;
  project: string;
  firstActivityMs: number;
  lastActivityMs: number;
  /** Totals, cost and per-model breakdown of the session (`period` = the session id). */
  usage: PeriodUsage;
}

/** One row per (project, session), oldest last activity first. */
export function sessionReports(events: readonly UsageEvent[], prices?: PriceTable): SessionReport[] {
  const groups = new Map<string, UsageEvent[]>();
  for (const e of events) {
    const id = `${e.project}\u0000${e.sessionId}`;
    const group = groups.get(id);
    if (group) group.push(e);
    else groups.set(id, [e]);
  }
  return [...groups.values()]
    .map((group) => {
      const times = group.map((e) => e.timestampMs);
      return {
        sessionId: group[0].sessionId,
        project: group[0].project,
        firstActivityMs: Math.min(...times),
        lastActivityMs: Math.max(...times),
        usage: periodUsage(group[0].sessionId, group, { prices }),
      };
    })
    .sort((a, b) => a.lastActivityMs - b.lastActivityMs || a.sessionId.localeCompare(b.sessionId));
}

export interface ActivityBlock {
  kind: "block";
  summary: BlockSummary;
  entries: number;
  firstEventMs: number;
  lastEventMs: number;
  tokens: TokenTotals;
}

/** A stretch of more than 5 hours without activity between two blocks (ccusage lists these too). */
export interface GapBlock {
  kind: "gap";
  startMs: number;
  endMs: number;
}

export type BlockRow = ActivityBlock | GapBlock;

/** core's 5-hour blocks with their token types and event counts, and the gaps between them. */
export function blockRows(events: readonly UsageEvent[], nowMs: number, prices?: PriceTable): BlockRow[] {
  const sorted = [...events].sort((a, b) => a.timestampMs - b.timestampMs);
  const summaries = buildBlocks(sorted, { nowMs, prices });
  const rows: BlockRow[] = [];
  let next = 0;
  for (let b = 0; b < summaries.length; b++) {
    const nextStart = b + 1 < summaries.length ? summaries[b + 1].startMs : Infinity;
    const members: UsageEvent[] = [];
    // Blocks partition the sorted events: each takes events until the next block starts.
    while (next < sorted.length && (sorted[next].timestampMs < nextStart || members.length === 0)) {
      members.push(sorted[next++]);
    }
    const block = activityBlock(summaries[b], members);
    const previous = rows[rows.length - 1];
    if (previous?.kind === "block" && block.firstEventMs - previous.lastEventMs > BLOCK_LENGTH_MS) {
      rows.push({ kind: "gap", startMs: previous.lastEventMs + BLOCK_LENGTH_MS, endMs: block.firstEventMs });
    }
    rows.push(block);
  }
  return rows;
}

function activityBlock(summary: BlockSummary, members: UsageEvent[]): ActivityBlock {
  const tokens = zeroTokenTotals();
  for (const e of members) addEventTokens(tokens, e);
  return {
    kind: "block",
    summary,
    entries: members.length,
    firstEventMs: members[0]?.timestampMs ?? summary.startMs,
    lastEventMs: members[members.length - 1]?.timestampMs ?? summary.startMs,
    tokens,
  };
}
