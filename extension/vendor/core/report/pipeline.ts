// Generated from core/src/report/pipeline.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * The one way to build a Summary: ledger -> poll -> history -> cost points -> forecasts ->
 * `buildSummary`. The CLI and the extension run all of it (`collectSummary`); the exporter
 * refreshes its ledger and polls its sources in jobs of their own, then enters at the last
 * stage (`summarizeUsage`) with what its jobs hold. I/O only through ports: the ledger's
 * store, the poll context, the snapshot history and a reader of recent events.
 */
import type { UsageEvent } from "../ingest/usage-event";
import type { Diagnostics, RefreshResult, UsageLedger } from "../ingest/ledger";
import type { SnapshotHistory } from "../limits/history";
import type { RateLimitSnapshot } from "../limits/snapshot";
import { sourceStatus, type SourceStatus } from "../limits/source";
import type { PollAllResult } from "../limits/poll";
import type { OrgUsage } from "../limits/admin/org-usage";
import type { Clock } from "../io/ports";
import type { PriceTable } from "../pricing/price";
import { costPoints } from "../usage/cost-points";
import {
  forecastCurrentWindows,
  recentSpendPrior,
  type FittedWindow,
  type WindowForecastEntry,
} from "../forecast/current";
import type { SpendPrior } from "../forecast/transcript-prior";
import { DAY_MS } from "../time";
import { buildSummary, summaryUsage, SUMMARY_DAYS, type SummaryUsage } from "./build";
import type { CostPoint } from "../forecast/series";
import type { Summary } from "./summary";

/** The name under which the transcripts appear among the Summary's sources. */
export const TRANSCRIPTS_SOURCE = "transcripts";

/**
 * How far back the pipeline reads events: the Summary's days plus two days of margin for
 * any time zone. The forecasts' cost points cover the same span (a 7-day window fits in it).
 */
export const SUMMARY_EVENTS_SPAN_MS = (SUMMARY_DAYS + 2) * DAY_MS;

/** Where the pipeline reads usage: every counted event with `timestampMs >= sinceMs`. */
export interface RecentEventsPort {
  /** Called with `sinceMs >= now - SUMMARY_EVENTS_SPAN_MS`; must return every event from there on. */
  recentEvents(sinceMs: number): readonly UsageEvent[] | Promise<readonly UsageEvent[]>;
  /**
   * Optional: what the pipeline computes from those events, kept up to date by a reader that
   * remembers it between runs (the extension), so one new event does not recompute everything.
   * Must equal `recentUsageOf(recentEvents(sinceMs), ...)` exactly; null = read the events.
   */
  recentUsage?(query: RecentUsageQuery): RecentUsage | null | Promise<RecentUsage | null>;
}

export interface RecentUsageQuery {
  sinceMs: number;
  nowMs: number;
  timezone: string;
  prices?: PriceTable;
}

/** The events' part of the pipeline: their sorted cost points and the Summary's usage part. */
export interface RecentUsage {
  costs: CostPoint[];
  usage: SummaryUsage;
}

/** What `summarizeUsage` computes from the recent events (the reference for `recentUsage`). */
export function recentUsageOf(events: readonly UsageEvent[], query: RecentUsageQuery): RecentUsage {
  return {
    costs: costPoints(events, query.prices),
    usage: summaryUsage({ nowMs: query.nowMs, timezone: query.timezone, events, prices: query.prices }),
  };
}

/** What a front learned earlier (the exporter's daily refit); missing parts are fitted now. */
export interface LearnedForecasts {
  fitted?: ReadonlyMap<string, FittedWindow>;
  spendPrior?: SpendPrior | null;
}

export interface SummarizeInput {
  nowMs: number;
  timezone: string;
  usage: RecentEventsPort;
  /** The merged snapshot of every source (`mergeSnapshots`), or null when none has data. */
  limits: RateLimitSnapshot | null;
  /** Every source's status; disabled ones are left out of the Summary (it lists the sources in use). */
  sources: SourceStatus[];
  history: SnapshotHistory;
  diagnostics: Diagnostics;
  /** The organization's month from the Admin API, when that source is on. */
  orgUsage?: OrgUsage | null;
  prices?: PriceTable;
  learned?: LearnedForecasts;
  /** Warning level of the forecast (probability of reaching it); the model's default otherwise. */
  warningLevelRatio?: number;
  /** Called after each stage with its name (the extension's benchmark times them). */
  onStage?: (stage: "events" | "forecasts" | "summary") => void;
}

export interface SummarizeResult {
  summary: Summary;
  /** Forecast and learned limit per open window (the exporter's metrics read them). */
  forecasts: Map<string, WindowForecastEntry>;
}

/**
 * Cost points -> forecasts -> Summary. The cost stream is complete from the instant the
 * events were asked from (`now - SUMMARY_EVENTS_SPAN_MS`), so that is where the costs begin
 * for the forecasts: not the first event, which only says when the user happened to start
 * working (a quiet first day of a window would otherwise exclude the window from learning).
 */
export async function summarizeUsage(input: SummarizeInput): Promise<SummarizeResult> {
  const { nowMs, timezone } = input;
  const costsSinceMs = nowMs - SUMMARY_EVENTS_SPAN_MS;
  const query: RecentUsageQuery = { sinceMs: costsSinceMs, nowMs, timezone, prices: input.prices };
  const kept = (await input.usage.recentUsage?.(query)) ?? null;
  const events = kept ? null : await input.usage.recentEvents(costsSinceMs);
  input.onStage?.("events");
  const costs = kept ? kept.costs : costPoints(events ?? [], input.prices);
  const forecasts = await forecastCurrentWindows(input.limits?.windows ?? [], {
    nowMs,
    history: input.history,
    costs,
    costsSinceMs,
    spendPrior: input.learned?.spendPrior ?? recentSpendPrior(costs, nowMs, timezone),
    ...(input.learned?.fitted ? { fitted: input.learned.fitted } : {}),
    ...(input.warningLevelRatio !== undefined ? { warningLevelRatio: input.warningLevelRatio } : {}),
  });
  input.onStage?.("forecasts");
  const summary = buildSummary({
    nowMs,
    timezone,
    ...(kept ? { usage: kept.usage } : { events: events ?? [] }),
    prices: input.prices,
    limits: input.limits,
    sources: orderSources(input.sources),
    forecasts,
    orgUsage: input.orgUsage ?? null,
    diagnostics: input.diagnostics,
  });
  input.onStage?.("summary");
  return { summary, forecasts };
}

/**
 * The transcripts as a source after a successful read. No transcript yet is not a failure
 * (the exporter may start before Claude Code is first used): the state stays `ok` and the
 * message says where they were looked for.
 */
export function transcriptsStatus(
  configDirs: readonly string[],
  filesScanned: number,
  nowMs: number,
): SourceStatus {
  const where = configDirs.length > 0 ? configDirs.join(", ") : "any Claude config dir";
  const message =
    filesScanned === 0 ? `no Claude Code transcripts yet in ${where}` : `${filesScanned} transcript files`;
  return sourceStatus(TRANSCRIPTS_SOURCE, "ok", message, nowMs);
}

/** The sources in use: transcripts first, then the rate-limit sources in the registry's order. */
function orderSources(sources: readonly SourceStatus[]): SourceStatus[] {
  const inUse = sources.filter((s) => s.state !== "disabled");
  return [
    ...inUse.filter((s) => s.source === TRANSCRIPTS_SOURCE),
    ...inUse.filter((s) => s.source !== TRANSCRIPTS_SOURCE),
  ];
}

export interface CollectSummaryInput {
  ledger: Pick<UsageLedger, "refresh" | "diagnostics">;
  configDirs: readonly string[];
  /** One round of polling: `pollAll(sources, ctx)`, or a `DuePoller` that polls only what is due. */
  poll: () => Promise<PollAllResult>;
  clock: Clock;
  history: SnapshotHistory;
  usage: RecentEventsPort;
  timezone: string;
  prices?: PriceTable;
  warningLevelRatio?: number;
  /** The Summary's diagnostics from this refresh's; default the ledger's running totals. */
  diagnostics?: (refresh: RefreshResult) => Diagnostics;
  /**
   * Asked after the ledger refresh and the poll, before any other work: a Summary to serve
   * again when nothing it shows has changed (the extension's cache), or null to build one.
   */
  reuse?: (read: { refresh: RefreshResult; polled: PollAllResult; nowMs: number }) => Summary | null;
  onStage?: (stage: "ingest" | "history" | "events" | "forecasts" | "summary") => void;
}

export interface CollectSummaryResult {
  summary: Summary;
  refresh: RefreshResult;
  polled: PollAllResult;
  reused: boolean;
}

/** The whole pipeline, for fronts that run it on demand (the CLI's `status`, the extension). */
export async function collectSummary(input: CollectSummaryInput): Promise<CollectSummaryResult> {
  const [refresh, polled] = await Promise.all([input.ledger.refresh(), input.poll()]);
  input.onStage?.("ingest");
  const nowMs = input.clock.nowMs();
  const reused = input.reuse?.({ refresh, polled, nowMs }) ?? null;
  if (reused) return { summary: reused, refresh, polled, reused: true };

  if (polled.merged) await input.history.append(polled.merged);
  input.onStage?.("history");
  const { summary } = await summarizeUsage({
    nowMs,
    timezone: input.timezone,
    usage: input.usage,
    limits: polled.merged,
    sources: [transcriptsStatus(input.configDirs, refresh.filesScanned, nowMs), ...polled.statuses],
    history: input.history,
    orgUsage: polled.orgUsage,
    diagnostics: input.diagnostics ? input.diagnostics(refresh) : input.ledger.diagnostics(),
    ...(input.prices ? { prices: input.prices } : {}),
    ...(input.warningLevelRatio !== undefined ? { warningLevelRatio: input.warningLevelRatio } : {}),
    ...(input.onStage ? { onStage: input.onStage } : {}),
  });
  return { summary, refresh, polled, reused: false };
}
