// Generated from core/src/usage/index.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
// "@quotacast/core/usage": calendar days and the priced cost stream of usage events.
export { dayKey } from "./daykey";
export { costPoints } from "./cost-points";
