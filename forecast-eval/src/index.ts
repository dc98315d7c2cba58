// Public face of @quotacast/forecast-eval: what `quotacast bench forecast`, the tests and
// bench/forecast use. Scoring the forecast is evaluation, not product: core never imports this.

export {
  parseBenchDataset,
  toBenchDataset,
  runForecastBench,
  SYNTHETIC_REGIMES,
  syntheticWindows,
  latencyFixture,
  windowsFromCosts,
  benchTableMarkdown,
  benchSegmentsMarkdown,
  headline,
  type BenchResult,
  type BenchWindow,
  type SyntheticRegime,
} from "./bench";
export { claumonForecast, claumonRate, fitClaumon, protocolPoints } from "./claumon";
export { ALL_STRATEGIES, QUANTILE_GRID } from "./strategies";
export { crpsFromQuantiles, crpsFromSamples, pinballLoss } from "./score";
