/**
 * Running totals of everything the ledger holds: per model (the counters), per project,
 * per day and model (the daily API), plus the events the Summary pipeline reads (`SUMMARY_EVENTS_SPAN_MS`). Built once by streaming the stored events, then kept exact by
 * applying each commit's (previous, current) pairs: subtract the replaced copy, add the new.
 */
import {
  bundledPriceTable,
  costUsd,
  dayKey,
  periodFromModels,
  SUMMARY_EVENTS_SPAN_MS,
  totalTokens,
  type ModelUsage,
  type PeriodUsage,
  type PriceTable,
  type UsageChange,
  type UsageEvent,
} from "@quotacast/core";

export interface ModelTotals {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  messages: number;
  /**
   * Cost of the priced messages only, in whole nano-USD: integer sums are exact whatever
   * the order, so a restart (which sums again from the ledger) gives the very same total
   * and the cost counter never appears to go down. Use `usd()` to read it.
   */
  costNanoUsd: number;
  /** Messages whose model has no price. */
  unpricedMessages: number;
}

const NANO = 1e9;

export function usd(nanoUsd: number): number {
  return nanoUsd / NANO;
}

export class UsageTotals {
  readonly byModel = new Map<string, ModelTotals>();
  /** Per project, in nano-USD (see `ModelTotals.costNanoUsd`). */
  readonly projectCostNanoUsd = new Map<string, number>();
  private readonly byDay = new Map<string, Map<string, ModelTotals>>();
  private readonly recent = new Map<string, UsageEvent>();
  /** Moves with every change of the totals (what `/api/v1/daily` caches its body by). */
  version = 0;

  constructor(
    readonly timezone: string,
    private readonly prices: PriceTable = bundledPriceTable(),
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** Adds one stored event (used while loading the ledger). */
  add(event: UsageEvent): void {
    this.version++;
    this.accumulate(event, 1);
    this.remember(event);
  }

  apply(changes: readonly UsageChange[]): void {
    this.version++;
    for (const { previous, current } of changes) {
      if (previous) {
        this.accumulate(previous, -1);
        this.recent.delete(previous.key);
      }
      this.accumulate(current, 1);
      this.remember(current);
    }
  }

  /** Events with `timestampMs >= sinceMs` among the recent ones. */
  recentEvents(sinceMs: number): UsageEvent[] {
    const out: UsageEvent[] = [];
    const cutoffMs = this.nowMs() - SUMMARY_EVENTS_SPAN_MS;
    for (const [key, event] of this.recent) {
      if (event.timestampMs < cutoffMs) this.recent.delete(key);
      else if (event.timestampMs >= sinceMs) out.push(event);
    }
    return out;
  }

  /** Days that have usage, oldest first. */
  days(): string[] {
    return [...this.byDay.keys()].sort();
  }

  /** One PeriodUsage over the given days (a day, or the days of a week). */
  period(label: string, days: readonly string[]): PeriodUsage {
    const models = new Map<string, ModelTotals>();
    for (const day of days) {
      for (const [model, totals] of this.byDay.get(day) ?? []) {
        let into = models.get(model);
        if (!into) {
          into = zeroTotals();
          models.set(model, into);
        }
        addInto(into, totals, 1);
      }
    }
    return toPeriodUsage(label, models);
  }

  /** One PeriodUsage per day with usage from `sinceDay` (inclusive), oldest first. */
  daily(sinceDay?: string): PeriodUsage[] {
    return this.days()
      .filter((day) => sinceDay === undefined || day >= sinceDay)
      .map((day) => this.period(day, [day]));
  }

  private accumulate(event: UsageEvent, sign: 1 | -1): void {
    const cost = costUsd(event, this.prices);
    const delta: ModelTotals = {
      inputTokens: event.inputTokens,
      outputTokens: event.outputTokens,
      cacheCreationTokens: event.cacheCreationTokens,
      cacheReadTokens: event.cacheReadTokens,
      messages: 1,
      costNanoUsd: cost === null ? 0 : Math.round(cost * NANO),
      unpricedMessages: cost === null ? 1 : 0,
    };
    addInto(entry(this.byModel, event.model), delta, sign);
    const day = dayKey(event.timestampMs, this.timezone);
    let models = this.byDay.get(day);
    if (!models) {
      models = new Map();
      this.byDay.set(day, models);
    }
    addInto(entry(models, event.model), delta, sign);
    if (cost !== null) {
      const project = this.projectCostNanoUsd.get(event.project) ?? 0;
      this.projectCostNanoUsd.set(event.project, project + sign * delta.costNanoUsd);
    }
  }

  private remember(event: UsageEvent): void {
    if (event.timestampMs >= this.nowMs() - SUMMARY_EVENTS_SPAN_MS) this.recent.set(event.key, event);
  }
}

function entry(map: Map<string, ModelTotals>, key: string): ModelTotals {
  let totals = map.get(key);
  if (!totals) {
    totals = zeroTotals();
    map.set(key, totals);
  }
  return totals;
}

function zeroTotals(): ModelTotals {
  return {
    inputTokens: 0,
    outputTokens: 0,
    cacheCreationTokens: 0,
    cacheReadTokens: 0,
    messages: 0,
    costNanoUsd: 0,
    unpricedMessages: 0,
  };
}

function addInto(into: ModelTotals, from: ModelTotals, sign: 1 | -1): void {
  into.inputTokens += sign * from.inputTokens;
  into.outputTokens += sign * from.outputTokens;
  into.cacheCreationTokens += sign * from.cacheCreationTokens;
  into.cacheReadTokens += sign * from.cacheReadTokens;
  into.messages += sign * from.messages;
  into.costNanoUsd += sign * from.costNanoUsd;
  into.unpricedMessages += sign * from.unpricedMessages;
}

/** Same shape and order as core's `periodUsage`. */
function toPeriodUsage(label: string, byModel: Map<string, ModelTotals>): PeriodUsage {
  const models: ModelUsage[] = [...byModel]
    .filter(([, t]) => t.messages > 0)
    .map(([model, t]) => {
      const tokens = {
        inputTokens: t.inputTokens,
        outputTokens: t.outputTokens,
        cacheCreationTokens: t.cacheCreationTokens,
        cacheReadTokens: t.cacheReadTokens,
      };
      return {
        model,
        ...tokens,
        totalTokens: totalTokens(tokens),
        costUsd: t.unpricedMessages > 0 ? null : usd(t.costNanoUsd),
      };
    });
  return periodFromModels(label, models);
}
