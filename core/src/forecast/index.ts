// "@quotacast/core/forecast": the forecast model and its math (what forecast-eval/ scores).
export { forecastCurrentWindows, recentSpendPrior } from "./current";
export { learnLimitFromWindows } from "./learned-limit";
export {
  exhaustionInterval,
  fitForecastModel,
  incrementDistribution,
  type FittedForecastModel,
  type ForecastInput,
  type IncrementDistribution,
} from "./model";
export { createRng, exponentialDraw, gammaDraw, normalDraw, type Rng } from "./random";
export { toSeries, type CompletedWindow, type CostPoint, type UtilizationPoint } from "./series";
export { mean, normalQuantile, olsSlope, quantileSorted, variance } from "./stats";
export { buildSpendPrior } from "./transcript-prior";
export type { LearnedLimit, WindowForecast } from "./types";
