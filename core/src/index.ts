// Public face of @quotacast/core ("."): every name another workspace imports from it, listed
// explicitly, name by name. Narrower entry points for bundles: package.json `exports`.

// --- shared types and I/O ports
export { totalTokens, type UsageEvent } from "./ingest/usage-event";
export {
  type ExtraUsage,
  FIVE_HOURS_MS,
  isCurrentReading,
  type RateLimitSnapshot,
  SEVEN_DAYS_MS,
  type WindowName,
  type WindowReading,
  type WindowStatus,
} from "./limits/snapshot";
export { type LearnedLimit, type WindowForecast } from "./forecast/types";
export { type Summary, type WindowSummary } from "./report/summary";
export {
  type Clock,
  type FilePort,
  type HttpPort,
  type HttpResponse,
  type StatePort,
  systemClock,
} from "./io/ports";
export { nodeFiles, nodeHttp } from "./io/node";
export { DAY_MS, HOUR_MS, MINUTE_MS, zonedFormatter } from "./time";

// --- ingest, pricing, usage (transcripts)
export { candidateConfigDirs, claudeConfigDirs, projectsDir, transcriptOrigin } from "./ingest/discover";
export { type FileCursor, type LedgerCommit, type LedgerStore, MemoryLedgerStore } from "./ingest/store";
export { type Diagnostics, type RefreshProgress, type UsageChange, UsageLedger } from "./ingest/ledger";
export { parseUsageLine } from "./ingest/parse";
export { isBetterCopy, keepBestCopies } from "./ingest/dedup";
export { type ScanSink, scanUsageLines } from "./ingest/reader";
export { defaultScanThreads } from "./ingest/scan-pool";
export { type PriceTable } from "./pricing/table";
export { bundledPriceTable, costUsd, findModelPrice, refreshPriceTable } from "./pricing/price";
export { dayKey, normalizeDayKey, weekStartKey } from "./usage/daykey";
export {
  addEventTokens,
  addTokenTotals,
  aggregateByPeriod,
  aggregateSessions,
  DEFAULT_WEEK_STARTS_ON,
  type ModelUsage,
  type Period,
  periodFromModels,
  type PeriodUsage,
  periodUsage,
  type TokenTotals,
  zeroTokenTotals,
} from "./usage/aggregate";
export { BLOCK_LENGTH_MS, type BlockSummary, buildBlocks } from "./usage/blocks";
export { costPoints } from "./usage/cost-points";

// --- limits (rate-limit sources, snapshot history)
export {
  completedOnly,
  DEFAULT_HISTORY_RETENTION_MS,
  groupIntoWindows,
  occurrenceKey,
  type ReadingQuery,
  roundResetToMinute,
  SAME_WINDOW_TOLERANCE_MS,
  type SnapshotHistory,
  type WindowOccurrence,
} from "./limits/history";
export { FileSnapshotHistory } from "./limits/file-history";
export {
  type LimitsConfig,
  type LimitSource,
  type PollContext,
  type PollResult,
  type SourceDefinition,
  type SourceStatus,
  sourceStatus,
} from "./limits/source";
export { redactSecrets } from "./limits/redact";
export { nextAfterFailure, parseRetryAfterMs } from "./limits/backoff";
export { mergeSnapshots, mergeWindows } from "./limits/merge";
export { DuePoller, isDue, pollAll, type PollAllResult, pollSource } from "./limits/poll";
export type {
  RawStatuslineRateLimits,
  StatuslineFeed,
  StatuslineSessionCost,
} from "./limits/statusline-feed";
export {
  checkStatuslineCommand,
  type CommandProbe,
  planStatuslineCommand,
  type StatuslineCommandCheck,
  type StatuslineCommandPlan,
  transientPlaceOf,
} from "./limits/statusline-command";
export { type OrgUsage, projectMonthEnd, samplesFromDays } from "./limits/admin/org-usage";
// The sources and the parsers of what they read (they load valibot) have entries of their
// own, so the report commands that import this index never load them: "./limits/sources"
// (the registry), "./limits/sources/<name>", "./limits/statusline-feed".

// --- forecast (the model; its evaluation lives in forecast-eval/)
export {
  type CompletedWindow,
  completedWindowOf,
  type CostPoint,
  type UtilizationPoint,
} from "./forecast/series";
export { createRng, exponentialDraw, normalDraw } from "./forecast/random";
export { normalQuantile } from "./forecast/stats";
export {
  FAN_QUANTILES,
  fitForecastModel,
  type ForecastInput,
  forecastWindow,
  forecastWindows,
} from "./forecast/model";
export { learnLimit, learnLimitFromWindows, limitSegments } from "./forecast/learned-limit";
export { buildSpendPrior, expectedSpendUsd, type SpendPrior } from "./forecast/transcript-prior";
export {
  type FittedWindow,
  fitWindow,
  forecastCurrentWindows,
  recentSpendPrior,
  SPEND_PRIOR_SPAN_MS,
  type WindowForecastEntry,
} from "./forecast/current";

// --- report (Summary builder, formatting)
export {
  collectSummary,
  type LearnedForecasts,
  summarizeUsage,
  SUMMARY_EVENTS_SPAN_MS,
  TRANSCRIPTS_SOURCE,
  transcriptsStatus,
} from "./report/pipeline";
// Formatters: "@quotacast/core/report/format" (the one formatting module; no second way in).
