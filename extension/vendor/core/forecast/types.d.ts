// Generated from the declarations of core/src/forecast/types.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
import type { WindowName } from "../limits/snapshot";
/** A quantile of utilization at reset: `q` in (0,1), value as a ratio. */
export interface UtilizationQuantile {
    q: number;
    utilizationRatio: number;
}
export interface TimeInterval {
    p10Ms: number;
    p50Ms: number;
    p90Ms: number;
}
/** What the forecaster says about one window at `atMs`. */
export interface WindowForecast {
    window: WindowName;
    atMs: number;
    resetsAtMs: number;
    currentUtilizationRatio: number;
    /** Sorted by q; contains at least 0.1, 0.5, 0.9; every value >= current. */
    quantiles: UtilizationQuantile[];
    p10Ratio: number;
    p50Ratio: number;
    p90Ratio: number;
    /** Probability of reaching 100% before the reset. */
    exhaustionProbability: number;
    /** Probability of reaching the warning level (default 0.8) before the reset. */
    warningProbability: number;
    warningLevelRatio: number;
    /** When 100% is reached, when more likely than not; null otherwise. */
    exhaustionAtMs: TimeInterval | null;
    /**
     * Utilization (fraction) per hour over the recent span; null while not known yet (a first
     * reading in the middle of a window says nothing about the rate before it).
     */
    burnRatioPerHour: number | null;
    /** Linear projection of the time utilization reaches 100%; null when not before reset, no burn or burn unknown. */
    projectedExhaustionAtMs: number | null;
    /**
     * (expected exhaustion at the current burn) - resetsAtMs. Positive: the window outlasts its
     * reset by that much; negative: it runs out that long before the reset. Capped at the
     * window's length (also the value with no burn); null while the burn is not known.
     */
    reserveMs: number | null;
    /** utilization / elapsed fraction of the window; > 1 means ahead of an even pace. */
    paceRatio: number | null;
    /** Probability that the user has stopped for this window. */
    abandonedProbability: number;
    /** How many past windows informed the forecast (0 = transcript priors only). */
    pastWindows: number;
    method: string;
}
/** "Your 5-hour limit is about $X of API-equivalent usage." */
export interface LearnedLimit {
    window: WindowName;
    /** API-equivalent USD per 100% of the window. */
    limitUsd: number;
    limitUsdLow: number;
    limitUsdHigh: number;
    /** Tokens per 100% of the window. */
    limitTokens: number;
    samples: number;
}
