// Generated from core/src/usage/aggregate.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
import { totalTokens, type UsageEvent } from "../ingest/usage-event";
import { costUsd, type CostOptions, type PriceTable } from "../pricing/price";
import { dayKey, normalizeDayKey, weekStartKey, type Weekday } from "./daykey";

export type { Weekday } from "./daykey";

export interface TokenTotals {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
}

export interface PeriodUsage extends TokenTotals {
  /** Label: `2026-11-22` (day), `2026-11-16` (week start), `2026-11` (month). */
  period: string;
  /** API-equivalent cost of the priced models. */
  costUsd: number;
  /** Models seen in the period that have no price (cost excluded from `costUsd`). */
  unpricedModels: string[];
  /** The model with the most tokens (not the costliest: an unpriced model has no cost to rank by). */
  topModel: string | null;
  models: ModelUsage[];
}

export interface ModelUsage extends TokenTotals {
  model: string;
  /** Null when the model has no known price. */
  costUsd: number | null;
}

export interface SessionUsage extends TokenTotals {
  sessionId: string;
  project: string;
  lastActivityMs: number;
  costUsd: number;
  models: string[];
}

export type Period = "day" | "week" | "month";

export interface UsageFilter {
  /** IANA zone for calendar days (`Intl.DateTimeFormat().resolvedOptions().timeZone` for the user's). */
  timezone: string;
  /** Inclusive, `YYYY-MM-DD` or `YYYYMMDD`, in `timezone`. */
  sinceDay?: string;
  untilDay?: string;
  project?: string;
  prices?: PriceTable;
  longContext?: CostOptions["longContext"];
}

export interface PeriodOptions extends UsageFilter {
  period: Period;
  /** First day of a week, 0 = Sunday (ccusage 20's default), 1 = Monday. */
  weekStartsOn?: Weekday;
}

export const DEFAULT_WEEK_STARTS_ON: Weekday = 0;

/** Totals per day, week or month, oldest first, with a per-model breakdown. */
export function aggregateByPeriod(events: UsageEvent[], opts: PeriodOptions): PeriodUsage[] {
  const weekStartsOn = opts.weekStartsOn ?? DEFAULT_WEEK_STARTS_ON;
  const groups = new Map<string, UsageEvent[]>();
  for (const { event, day } of selectEvents(events, opts)) {
    const label =
      opts.period === "day"
        ? day
        : opts.period === "week"
          ? weekStartKey(day, weekStartsOn)
          : day.slice(0, 7);
    const group = groups.get(label);
    if (group) group.push(event);
    else groups.set(label, [event]);
  }
  return [...groups.keys()].sort().map((label) => periodUsage(label, groups.get(label) ?? [], opts));
}

/** One PeriodUsage over the given events (all of them, whatever their dates). */
export function periodUsage(
  label: string,
  events: UsageEvent[],
  opts: { prices?: PriceTable; longContext?: CostOptions["longContext"] } = {},
): PeriodUsage {
  const byModel = new Map<string, ModelUsage>();
  for (const event of events) {
    let model = byModel.get(event.model);
    if (!model) {
      model = { model: event.model, ...zeroTokenTotals(), costUsd: 0 };
      byModel.set(event.model, model);
    }
    addEventTokens(model, event);
    const cost = costUsd(event, opts.prices, { longContext: opts.longContext });
    model.costUsd = cost === null || model.costUsd === null ? null : model.costUsd + cost;
  }
  return periodFromModels(label, [...byModel.values()]);
}

/**
 * The model with the most tokens (the first in cost order on a tie). Not the costliest: a
 * model without a price has no cost to rank by, and "mostly X" must not hide it behind $0.
 */
function mostTokens(models: readonly ModelUsage[]): ModelUsage | undefined {
  let top: ModelUsage | undefined;
  for (const m of models) if (top === undefined || m.totalTokens > top.totalTokens) top = m;
  return top;
}

/** The one order of models in every front: cost, then tokens, descending (then name); no price counts as 0. */
function compareModels(
  a: { model: string; costUsd: number | null; totalTokens: number },
  b: { model: string; costUsd: number | null; totalTokens: number },
): number {
  return (
    (b.costUsd ?? 0) - (a.costUsd ?? 0) || b.totalTokens - a.totalTokens || a.model.localeCompare(b.model)
  );
}

/** Model names of a group of events (a session, a block) in the order of compareModels. */
export class ModelRanking {
  private readonly byModel = new Map<string, { model: string; costUsd: number; totalTokens: number }>();

  add(model: string, costUsd: number | null, tokens: number): void {
    let row = this.byModel.get(model);
    if (!row) this.byModel.set(model, (row = { model, costUsd: 0, totalTokens: 0 }));
    row.costUsd += costUsd ?? 0;
    row.totalTokens += tokens;
  }

  names(): string[] {
    return [...this.byModel.values()].sort(compareModels).map((row) => row.model);
  }
}

/** A PeriodUsage from its per-model rows, models ordered by cost, then tokens, then name. */
export function periodFromModels(label: string, modelRows: ModelUsage[]): PeriodUsage {
  const models = [...modelRows].sort(compareModels);
  const totals = zeroTokenTotals();
  let periodCost = 0;
  for (const model of models) {
    addTokenTotals(totals, model);
    periodCost += model.costUsd ?? 0;
  }
  return {
    period: label,
    ...totals,
    costUsd: periodCost,
    unpricedModels: models.filter((m) => m.costUsd === null).map((m) => m.model),
    topModel: mostTokens(models)?.model ?? null,
    models,
  };
}

/** Totals per session, most recently active first. */
export function aggregateSessions(events: UsageEvent[], opts: UsageFilter): SessionUsage[] {
  const sessions = new Map<string, SessionUsage & { ranking: ModelRanking }>();
  for (const { event } of selectEvents(events, opts)) {
    const id = `${event.project}\u0000${event.sessionId}`;
    let session = sessions.get(id);
    if (!session) {
      session = {
        sessionId: event.sessionId,
        project: event.project,
        lastActivityMs: event.timestampMs,
        costUsd: 0,
        models: [],
        ranking: new ModelRanking(),
        ...zeroTokenTotals(),
      };
      sessions.set(id, session);
    }
    addEventTokens(session, event);
    const cost = costUsd(event, opts.prices, { longContext: opts.longContext });
    session.costUsd += cost ?? 0;
    session.lastActivityMs = Math.max(session.lastActivityMs, event.timestampMs);
    session.ranking.add(event.model, cost, totalTokens(event));
  }
  return [...sessions.values()]
    .map(({ ranking, ...session }) => ({ ...session, models: ranking.names() }))
    .sort((a, b) => b.lastActivityMs - a.lastActivityMs);
}

function* selectEvents(
  events: UsageEvent[],
  opts: UsageFilter,
): Generator<{ event: UsageEvent; day: string }> {
  const since = opts.sinceDay === undefined ? null : requireDay(opts.sinceDay);
  const until = opts.untilDay === undefined ? null : requireDay(opts.untilDay);
  for (const event of events) {
    if (opts.project !== undefined && event.project !== opts.project) continue;
    const day = dayKey(event.timestampMs, opts.timezone);
    if ((since !== null && day < since) || (until !== null && day > until)) continue;
    yield { event, day };
  }
}

function requireDay(day: string): string {
  const normalized = normalizeDayKey(day);
  if (normalized === null) throw new RangeError(`not a day (YYYY-MM-DD or YYYYMMDD): ${day}`);
  return normalized;
}

export function zeroTokenTotals(): TokenTotals {
  return { inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0, totalTokens: 0 };
}

export function addEventTokens(into: TokenTotals, e: UsageEvent): void {
  into.inputTokens += e.inputTokens;
  into.outputTokens += e.outputTokens;
  into.cacheCreationTokens += e.cacheCreationTokens;
  into.cacheReadTokens += e.cacheReadTokens;
  into.totalTokens += totalTokens(e);
}

export function addTokenTotals(into: TokenTotals, from: TokenTotals): void {
  into.inputTokens += from.inputTokens;
  into.outputTokens += from.outputTokens;
  into.cacheCreationTokens += from.cacheCreationTokens;
  into.cacheReadTokens += from.cacheReadTokens;
  into.totalTokens += from.totalTokens;
}
