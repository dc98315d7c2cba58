// Generated from core/src/time.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/** Lengths of time in milliseconds: defined here once, used by every layer and front. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
