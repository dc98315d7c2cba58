// "@quotacast/core/pricing": the bundled model price table and the cost of an event.
export { bundledPriceTable, costUsd } from "./price";
export type { PriceTable } from "./table";
