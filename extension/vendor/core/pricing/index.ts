// Generated from core/src/pricing/index.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
// "@quotacast/core/pricing": the bundled model price table.
export { bundledPriceTable } from "./price";
export type { PriceTable } from "./table";
