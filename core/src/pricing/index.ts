// "@quotacast/core/pricing": the bundled model price table.
export { bundledPriceTable } from "./price";
export type { PriceTable } from "./table";
