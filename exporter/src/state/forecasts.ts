/**
 * Forecasts for the exporter: a daily refit (per window: a model from completed windows,
 * the learned limit in USD, and the spend prior from the transcripts, the last two saved
 * as learned parameters), and a cheap forecast of every current window after each refresh.
 */
import {
  buildSpendPrior,
  costUsd,
  fitForecastModel,
  forecastWindow,
  learnLimit,
  limitSegments,
  SAME_WINDOW_TOLERANCE_MS,
  totalTokens,
  type CompletedWindow,
  type CostPoint,
  type FittedForecastModel,
  type LearnedLimit,
  type SpendPrior,
  type StatePort,
  type UsageEvent,
  type WindowReading,
} from "@quotacast/core";
import type { SqliteSnapshotHistory } from "../db/snapshot-history";
import type { SqliteLedgerStore } from "../db/ledger-store";
import type { WindowModel } from "./state";

const DAY_MS = 86_400_000;
/** The spend prior looks at the last four weeks. */
const PRIOR_SPAN_MS = 28 * DAY_MS;
const SPEND_PRIOR_KEY = "forecast:spend_prior";
const learnedLimitKey = (window: string): string => `forecast:learned_limit:${window}`;

interface FittedWindow {
  model: FittedForecastModel;
  learnedLimit: LearnedLimit | null;
}

export function costPoints(events: readonly UsageEvent[]): CostPoint[] {
  return events
    .map((e) => ({ timestampMs: e.timestampMs, costUsd: costUsd(e) ?? 0, tokens: totalTokens(e) }))
    .sort((a, b) => a.timestampMs - b.timestampMs);
}

/** Cost points in [fromMs, toMs] of a sorted array (binary search, no copy of the rest). */
function slice(points: readonly CostPoint[], fromMs: number, toMs: number): CostPoint[] {
  const first = lowerBound(points, fromMs);
  const end = lowerBound(points, toMs + 1);
  return points.slice(first, end);
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

export class Forecaster {
  private readonly fitted = new Map<string, FittedWindow>();
  private readonly learnedLimits = new Map<string, LearnedLimit>();
  private spendPrior: SpendPrior | null = null;

  constructor(
    private readonly history: SqliteSnapshotHistory,
    private readonly store: SqliteLedgerStore,
    private readonly params: StatePort,
    private readonly utcOffsetMinutes: number,
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
    let earliestMs = nowMs - PRIOR_SPAN_MS;
    const completedByWindow = new Map<string, CompletedWindow[]>();
    for (const window of this.history.windowNames()) {
      const occurrences = await this.history.completedWindows(window, nowMs, sinceMs);
      completedByWindow.set(
        window,
        occurrences.map((o) => ({
          window,
          resetsAtMs: o.resetsAtMs,
          windowLengthMs: o.windowLengthMs,
          finalUtilizationRatio: o.maxUtilizationRatio,
          readings: o.readings,
        })),
      );
      for (const o of occurrences) earliestMs = Math.min(earliestMs, o.startsAtMs);
    }
    const costs = costPoints(this.store.eventsSince(earliestMs));
    let completedCount = 0;
    for (const [window, completed] of completedByWindow) {
      completedCount += completed.length;
      const withCosts = completed.map((w) => ({
        ...w,
        costs: slice(costs, w.resetsAtMs - w.windowLengthMs, w.resetsAtMs),
      }));
      const segments = withCosts.flatMap((w) => limitSegments(w.readings, w.costs));
      const learnedLimit = learnLimit(window, segments);
      if (learnedLimit) {
        this.learnedLimits.set(window, learnedLimit);
        await this.params.save(learnedLimitKey(window), JSON.stringify(learnedLimit));
      }
      const lengthMs = withCosts[withCosts.length - 1]?.windowLengthMs;
      if (lengthMs !== undefined) {
        this.fitted.set(window, {
          model: fitForecastModel(withCosts, lengthMs, { learnedLimit }),
          learnedLimit,
        });
      }
    }
    const prior = buildSpendPrior(costs, {
      fromMs: Math.max(costs[0]?.timestampMs ?? nowMs, nowMs - PRIOR_SPAN_MS),
      toMs: nowMs,
      utcOffsetMinutes: this.utcOffsetMinutes,
    });
    if (prior) {
      this.spendPrior = prior;
      await this.params.save(SPEND_PRIOR_KEY, JSON.stringify(prior));
    }
    return { windows: completedByWindow.size, completed: completedCount };
  }

  /** A forecast for each current window (merged readings), from its readings so far and the recent costs. */
  async forecast(
    current: readonly WindowReading[],
    recentEvents: readonly UsageEvent[],
    nowMs: number,
  ): Promise<Map<string, WindowModel>> {
    const out = new Map<string, WindowModel>();
    const costs = costPoints(recentEvents);
    for (const reading of current) {
      if (reading.resetsAtMs === null || reading.resetsAtMs <= nowMs) continue;
      const resetsAtMs = reading.resetsAtMs;
      const startMs = resetsAtMs - reading.windowLengthMs;
      const readings = (
        await this.history.readings({ window: reading.window, fromMs: startMs, toMs: nowMs })
      ).filter(
        (r) => r.resetsAtMs !== null && Math.abs(r.resetsAtMs - resetsAtMs) <= SAME_WINDOW_TOLERANCE_MS,
      );
      if (!readings.some((r) => r.observedAtMs === reading.observedAtMs)) readings.push(reading);
      const fitted = this.fitted.get(reading.window);
      const model = fitted?.model.windowLengthMs === reading.windowLengthMs ? fitted.model : undefined;
      const learnedLimit = fitted?.learnedLimit ?? this.learnedLimits.get(reading.window) ?? null;
      const forecast = forecastWindow({
        window: reading.window,
        nowMs,
        resetsAtMs,
        windowLengthMs: reading.windowLengthMs,
        readings,
        ...(model ? { model } : { pastWindows: [] }),
        costStream: slice(costs, startMs, nowMs),
        learnedLimit,
        spendPrior: this.spendPrior,
      });
      out.set(reading.window, { forecast, learnedLimit });
    }
    return out;
  }
}

/** Minutes east of UTC in a time zone, now (for the hour-of-week spend profile). */
export function utcOffsetMinutes(timezone: string, atMs: number): number {
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
}
