// Generated from core/src/usage/index.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
// "@quotacast/core/usage": calendar days, per-period and per-block aggregates, and the
// priced cost stream of usage events.
export { dayKey, normalizeDayKey, weekStartKey } from "./daykey";
export { costPoints } from "./cost-points";
export {
  addEventTokens,
  addTokenTotals,
  aggregateByPeriod,
  aggregateSessions,
  DEFAULT_WEEK_STARTS_ON,
  periodFromModels,
  periodUsage,
  zeroTokenTotals,
  type ModelUsage,
  type Period,
  type PeriodUsage,
  type SessionUsage,
  type TokenTotals,
} from "./aggregate";
export { activeBlock, BLOCK_LENGTH_MS, buildBlocks, type BlockSummary } from "./blocks";
