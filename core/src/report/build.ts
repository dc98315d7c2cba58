/**
 * Builds the one Summary that every front renders. Pure: the caller hands in what it
 * read (events, the merged rate-limit snapshot, source statuses, forecasts) and gets the
 * view model back; nothing here does I/O.
 */
import type { Diagnostics } from "../ingest/ledger";
import type { UsageEvent } from "../ingest/usage-event";
import type { RateLimitSnapshot } from "../limits/snapshot";
import type { OrgUsage } from "../limits/admin/org-usage";
import type { SourceStatus } from "../limits/source";
import type { LearnedLimit, WindowForecast } from "../forecast/types";
import type { PriceTable } from "../pricing/price";
import { aggregateSessions, periodUsage, type PeriodUsage, type SessionUsage } from "../usage/aggregate";
import { activeBlock, BLOCK_LENGTH_MS, type BlockSummary } from "../usage/blocks";
import { DEFAULT_WEEK_STARTS_ON } from "../usage/aggregate";
import { dayKey, weekStartKey, type Weekday } from "../usage/daykey";
import { DAY_MS } from "../time";
import type { Summary, WindowSummary } from "./summary";

export const SUMMARY_DAYS = 14;

/** The part of a Summary that comes from usage events (the rest is limits, sources, forecasts). */
export interface SummaryUsage {
  today: PeriodUsage;
  thisWeek: PeriodUsage;
  lastDays: PeriodUsage[];
  activeBlock: BlockSummary | null;
  sessionsToday: SessionUsage[];
}

export interface SummaryUsageInput {
  nowMs: number;
  /** IANA zone of the user's calendar days. */
  timezone: string;
  /** Every counted usage event (older ones are ignored cheaply). */
  events: readonly UsageEvent[];
  prices?: PriceTable;
  weekStartsOn?: Weekday;
}

/**
 * Either the events, or their part computed already (`summaryUsage` over the same events, or a
 * front that keeps those totals between runs and must produce exactly what it would).
 */
export type SummaryInput = SummaryInputBase &
  ({ events: readonly UsageEvent[]; usage?: undefined } | { usage: SummaryUsage; events?: undefined });

interface SummaryInputBase {
  nowMs: number;
  /** IANA zone of the user's calendar days. */
  timezone: string;
  prices?: PriceTable;
  /** The merged snapshot of all rate-limit sources, or null when none has data. */
  limits: RateLimitSnapshot | null;
  sources: SourceStatus[];
  /** Forecast and learned limit per window name, when the caller computed them. */
  forecasts?: ReadonlyMap<string, { forecast: WindowForecast | null; learnedLimit: LearnedLimit | null }>;
  diagnostics: Diagnostics;
  /** The Admin API's organization usage, when that source has data. */
  orgUsage?: Pick<OrgUsage, "monthToDateUsd" | "projectedMonthUsd"> | null;
  weekStartsOn?: Weekday;
}

export function buildSummary(input: SummaryInput): Summary {
  const usage =
    input.usage ??
    summaryUsage({
      nowMs: input.nowMs,
      timezone: input.timezone,
      events: input.events,
      prices: input.prices,
      weekStartsOn: input.weekStartsOn,
    });
  return {
    generatedAtMs: input.nowMs,
    timezone: input.timezone,
    today: usage.today,
    thisWeek: usage.thisWeek,
    lastDays: usage.lastDays,
    activeBlock: usage.activeBlock,
    sessionsToday: usage.sessionsToday,
    windows: windowSummaries(input),
    sources: input.sources,
    extraUsage: input.limits?.extraUsage ?? null,
    plan: input.limits?.plan ?? null,
    organization: input.orgUsage
      ? { monthToDateUsd: input.orgUsage.monthToDateUsd, projectedMonthUsd: input.orgUsage.projectedMonthUsd }
      : null,
    diagnostics: input.diagnostics,
  };
}

/** Today, this week, the last SUMMARY_DAYS days, the active block and today's sessions. */
export function summaryUsage(input: SummaryUsageInput): SummaryUsage {
  const { nowMs, timezone } = input;
  const today = dayKey(nowMs, timezone);
  const weekStart = weekStartKey(today, input.weekStartsOn ?? DEFAULT_WEEK_STARTS_ON);
  const firstDay = addDays(today, -(SUMMARY_DAYS - 1));
  // Two extra days of margin cover any time-zone offset; older events cannot matter here.
  const recent = input.events.filter((e) => e.timestampMs >= nowMs - (SUMMARY_DAYS + 2) * DAY_MS);

  const byDay = new Map<string, UsageEvent[]>();
  for (const event of recent) {
    const day = dayKey(event.timestampMs, timezone);
    if (day < firstDay || day > today) continue;
    const list = byDay.get(day);
    if (list) list.push(event);
    else byDay.set(day, [event]);
  }
  const priceOpts = { prices: input.prices };
  const lastDays = daysFrom(firstDay, today).map((day) => periodUsage(day, byDay.get(day) ?? [], priceOpts));
  const weekEvents = daysFrom(weekStart, today).flatMap((day) => byDay.get(day) ?? []);
  const todayEvents = byDay.get(today) ?? [];

  return {
    today: lastDays[lastDays.length - 1],
    thisWeek: periodUsage(weekStart, weekEvents, priceOpts),
    lastDays,
    activeBlock: activeBlock(
      recent.filter((e) => e.timestampMs >= nowMs - 2 * BLOCK_LENGTH_MS),
      { nowMs, prices: input.prices },
    ),
    sessionsToday: aggregateSessions(todayEvents, { timezone, prices: input.prices }),
  };
}

function windowSummaries(input: SummaryInput): WindowSummary[] {
  const readings = input.limits?.windows ?? [];
  return readings.map((reading) => {
    const f = input.forecasts?.get(reading.window);
    return { reading, forecast: f?.forecast ?? null, learnedLimit: f?.learnedLimit ?? null };
  });
}

/** Calendar arithmetic on `YYYY-MM-DD` labels (no time zone involved). */
export function addDays(day: string, days: number): string {
  const utc = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
  return new Date(utc + days * DAY_MS).toISOString().slice(0, 10);
}

/** Every day label from `first` to `last`, inclusive. */
export function daysFrom(first: string, last: string): string[] {
  const days: string[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) days.push(day);
  return days;
}
