// Generated from the declarations of core/src/report/summary.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * The one view model that the CLI's `status`, the JSON API (`/api/v1/summary`), the
 * metrics and the Raycast extension all render. Built once by core; nobody recomputes it.
 * Its parts are defined by the layers that produce them (usage, limits, ingest, forecast);
 * the report only assembles them, and no lower layer imports the report.
 */
import type { WindowForecast, LearnedLimit } from "../forecast/types";
import type { Diagnostics } from "../ingest/ledger";
import type { ExtraUsage, PlanInfo, WindowReading } from "../limits/snapshot";
import type { SourceStatus } from "../limits/source";
import type { PeriodUsage, SessionUsage } from "../usage/aggregate";
import type { BlockSummary } from "../usage/blocks";
export interface WindowSummary {
    reading: WindowReading;
    forecast: WindowForecast | null;
    learnedLimit: LearnedLimit | null;
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
