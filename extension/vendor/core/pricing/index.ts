// Generated from core/src/pricing/index.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
// "@quotacast/core/pricing": the bundled model price table and the cost of an event.
export { bundledPriceTable, costUsd } from "./price";
export type { PriceTable } from "./table";
