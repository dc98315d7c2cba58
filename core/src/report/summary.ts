import type { WindowForecast, LearnedLimit } from "../forecast/types";
import type { ExtraUsage, PlanInfo, SourceName, WindowReading } from "../limits/snapshot";

/**
 * The one view model that the CLI's `status`, the JSON API (`/api/v1/summary`), the
 * metrics and the Raycast extension all render. Built once by core; nobody recomputes it.
 */

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

export interface BlockSummary {
  startMs: number;
  endMs: number;
  isActive: boolean;
  costUsd: number;
  totalTokens: number;
  /** Over the block's active span. */
  burnUsdPerHour: number;
  burnTokensPerMinute: number;
  /** Cost at block end if the current burn rate holds. */
  projectedCostUsd: number;
  projectedTokens: number;
  models: string[];
}

export interface SessionUsage extends TokenTotals {
  sessionId: string;
  project: string;
  lastActivityMs: number;
  costUsd: number;
  models: string[];
}

export interface WindowSummary {
  reading: WindowReading;
  forecast: WindowForecast | null;
  learnedLimit: LearnedLimit | null;
}

export type SourceState = "ok" | "disabled" | "missing" | "error" | "backoff" | "stale";

export interface SourceStatus {
  source: SourceName;
  state: SourceState;
  /** What the user should know or do ("run claude to log in again"). */
  message: string;
  lastSuccessMs: number | null;
  /** Bounded set: `auth_expired`, `forbidden`, `scope`, `rate_limited`, `server_error`, `timeout`, `bad_response`, `no_credentials`, `none`. */
  lastErrorReason: string;
}

export interface Diagnostics {
  filesScanned: number;
  linesSkippedInvalidJson: number;
  linesSkippedOther: number;
  filesUnreadable: number;
  unknownModels: string[];
}

/** The organization's spend from the Admin API: what a front shows, nothing per person. */
export interface OrganizationSummary {
  monthToDateUsd: number;
  /** At the recent rate, by the end of the month; null until there is a rate. */
  projectedMonthUsd: number | null;
}

export interface Summary {
  generatedAtMs: number;
  timezone: string;
  today: PeriodUsage;
  thisWeek: PeriodUsage;
  /** Most recent days first is NOT assumed: oldest first, one entry per day. */
  lastDays: PeriodUsage[];
  activeBlock: BlockSummary | null;
  sessionsToday: SessionUsage[];
  windows: WindowSummary[];
  sources: SourceStatus[];
  extraUsage: ExtraUsage | null;
  plan: PlanInfo | null;
  /** Null without the Admin API source. */
  organization: OrganizationSummary | null;
  diagnostics: Diagnostics;
}
