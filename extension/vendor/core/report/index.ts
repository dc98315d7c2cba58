// Generated from core/src/report/index.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
// "@quotacast/core/report": the Summary view model (its parts come from the layers that
// produce them) and its builder. Formatters: "@quotacast/core/report/format".
export { addDays, buildSummary, daysFrom, summaryUsage, SUMMARY_DAYS, type SummaryUsage } from "./build";
export {
  collectSummary,
  recentUsageOf,
  SUMMARY_EVENTS_SPAN_MS,
  type RecentEventsPort,
  type RecentUsage,
  type RecentUsageQuery,
} from "./pipeline";
export type { Summary, WindowSummary } from "./summary";
export type { Diagnostics } from "../ingest/ledger";
export type { SourceStatus } from "../limits/source";
export type { WindowForecast } from "../forecast/types";
export type { PeriodUsage, SessionUsage } from "../usage/aggregate";
export type { BlockSummary } from "../usage/blocks";
