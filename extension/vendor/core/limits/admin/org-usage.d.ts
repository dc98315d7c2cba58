// Generated from the declarations of core/src/limits/admin/org-usage.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
import type { ClaudeCodeUsageRecord } from "./reports";
export interface OrgUserUsage {
    /** Email for user actors, key name for API actors. */
    actor: string;
    actorType: "user" | "api_key" | "unknown";
    costUsd: number;
    sessions: number;
    linesAdded: number;
    linesRemoved: number;
    commits: number;
    pullRequests: number;
}
export interface OrgModelUsage {
    model: string;
    costUsd: number;
    inputTokens: number;
    outputTokens: number;
    cacheReadTokens: number;
    cacheCreationTokens: number;
}
export interface OrgUsage {
    observedAtMs: number;
    /** UTC month start. */
    monthStartMs: number;
    /** Claude Code cost this month (usage report, estimated). */
    monthToDateUsd: number;
    /** Organization-wide cost report total this month; null when it could not be read. */
    costReportMonthToDateUsd: number | null;
    perUser: OrgUserUsage[];
    perModel: OrgModelUsage[];
    /** Claude Code cost per UTC day, oldest first. */
    perDay: Array<{
        date: string;
        costUsd: number;
    }>;
    projectedMonthUsd: number | null;
    /** Length of the window the projection's rate came from (30 min ... 7 d). */
    projectionWindowMs: number | null;
    projectionRateUsdPerHour: number | null;
}
/** Per-user, per-model and per-day totals of the month's records. */
export declare function aggregateClaudeCode(records: readonly ClaudeCodeUsageRecord[]): Pick<OrgUsage, "monthToDateUsd" | "perUser" | "perModel" | "perDay">;
export interface CostSample {
    atMs: number;
    /** Month-to-date cost at `atMs`. */
    monthToDateUsd: number;
}
/**
 * End-of-month projection: the rate over the longest recent window that the samples
 * fully cover, held until `monthEndMs`. Samples: cumulative month-to-date cost over time.
 */
export declare function projectMonthEnd(samples: readonly CostSample[], nowMs: number, monthEndMs: number): {
    projectedMonthUsd: number;
    windowMs: number;
    rateUsdPerHour: number;
} | null;
/**
 * Cumulative samples from per-day costs: 0 at month start, then the running total at the
 * end of every UTC day up to now (days without records add nothing), the last one at now.
 */
export declare function samplesFromDays(perDay: ReadonlyArray<{
    date: string;
    costUsd: number;
}>, monthStartMs: number, nowMs: number): CostSample[];
export declare function utcDate(ms: number): string;
export declare function utcMonthBounds(nowMs: number): {
    startMs: number;
    endMs: number;
};
