/**
 * Forecasts for the exporter: a daily refit (per window: a model from completed windows
 * and the learned limit in USD; the spend prior from the transcripts; the last two saved
 * as learned parameters). The forecast of every open window after each refresh is core's
 * Summary pipeline (`summarizeUsage`), fed with what the refit learned.
 */
import {
  costPoints,
  fitWindow,
  recentSpendPrior,
  SPEND_PRIOR_SPAN_MS,
  type FittedWindow,
  type LearnedForecasts,
  type LearnedLimit,
  type SpendPrior,
  type StatePort,
} from "@quotacast/core";
import type { SqliteSnapshotHistory } from "../db/snapshot-history";
import type { SqliteLedgerStore } from "../db/ledger-store";

const SPEND_PRIOR_KEY = "forecast:spend_prior";
const learnedLimitKey = (window: string): string => `forecast:learned_limit:${window}`;

export class Forecaster {
  private readonly fitted = new Map<string, FittedWindow>();
  private readonly learnedLimits = new Map<string, LearnedLimit>();
  private spendPrior: SpendPrior | null = null;

  constructor(
    private readonly history: SqliteSnapshotHistory,
    private readonly store: SqliteLedgerStore,
    private readonly params: StatePort,
    private readonly timezone: string,
  ) {}

  /** Restores the learned parameters saved by the last refit. */
  async load(): Promise<void> {
    const prior = await this.params.load(SPEND_PRIOR_KEY);
    if (prior) this.spendPrior = JSON.parse(prior) as SpendPrior;
    for (const window of this.history.windowNames()) {
      const saved = await this.params.load(learnedLimitKey(window));
      if (saved) this.learnedLimits.set(window, JSON.parse(saved) as LearnedLimit);
    }
  }

  /** Refits every window kind from the stored history and saves the learned parameters. */
  async refit(nowMs: number, sinceMs: number): Promise<{ windows: number; completed: number }> {
    const occurrencesByWindow = new Map<
      string,
      Awaited<ReturnType<SqliteSnapshotHistory["completedWindows"]>>
    >();
    let earliestMs = nowMs - SPEND_PRIOR_SPAN_MS;
    for (const window of this.history.windowNames()) {
      const occurrences = await this.history.completedWindows(window, nowMs, sinceMs);
      occurrencesByWindow.set(window, occurrences);
      for (const o of occurrences) earliestMs = Math.min(earliestMs, o.startsAtMs);
    }
    const costs = costPoints(this.store.eventsSince(earliestMs));
    let completed = 0;
    for (const [window, occurrences] of occurrencesByWindow) {
      completed += occurrences.length;
      const fitted = fitWindow(window, occurrences, costs, earliestMs);
      if (!fitted) continue;
      this.fitted.set(window, fitted);
      if (fitted.learnedLimit) {
        this.learnedLimits.set(window, fitted.learnedLimit);
        await this.params.save(learnedLimitKey(window), JSON.stringify(fitted.learnedLimit));
      }
    }
    const prior = recentSpendPrior(costs, nowMs, this.timezone);
    if (prior) {
      this.spendPrior = prior;
      await this.params.save(SPEND_PRIOR_KEY, JSON.stringify(prior));
    }
    return { windows: occurrencesByWindow.size, completed };
  }

  /** What the last refit learned, for core's Summary pipeline (`summarizeUsage`). */
  learned(): LearnedForecasts {
    return { fitted: this.fittedWithSavedLimits(), spendPrior: this.spendPrior };
  }

  /** Fitted models, with limits learned by an earlier run for windows not refitted yet. */
  private fittedWithSavedLimits(): Map<string, FittedWindow> {
    const fitted = new Map(this.fitted);
    for (const [window, entry] of fitted) {
      if (!entry.learnedLimit && this.learnedLimits.has(window)) {
        fitted.set(window, { ...entry, learnedLimit: this.learnedLimits.get(window) ?? null });
      }
    }
    return fitted;
  }
}
