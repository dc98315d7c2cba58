// Generated from core/src/usage/cost-points.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * The cost stream the forecast reads: usage events priced into API-equivalent cost points.
 * Lives in usage (which owns events and prices) so the forecast never sees an event.
 */
import { totalTokens, type UsageEvent } from "../ingest/usage-event";
import type { CostPoint } from "../forecast/series";
import { costUsd, type PriceTable } from "../pricing/price";

/** API-equivalent cost per event, oldest first (unpriced models count as 0). */
export function costPoints(events: readonly UsageEvent[], prices?: PriceTable): CostPoint[] {
  return events
    .map((e) => ({ timestampMs: e.timestampMs, costUsd: costUsd(e, prices) ?? 0, tokens: totalTokens(e) }))
    .sort((a, b) => a.timestampMs - b.timestampMs);
}
