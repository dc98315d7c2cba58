/**
 * Every forecasting strategy the benchmark compares, behind one face: fit on completed
 * windows, then forecast a point as quantiles on a common grid (so every score is
 * computed the same way for every strategy) plus an optional time of reaching 100%.
 */
import { claumonForecast, fitClaumon } from "./claumon";
import {
  buildSpendPrior,
  type CompletedWindow,
  type CostPoint,
  exhaustionInterval,
  fitForecastModel,
  type FittedForecastModel,
  type ForecastInput,
  type IncrementDistribution,
  incrementDistribution,
  type LearnedLimit,
  mean,
  normalQuantile,
  quantileSorted,
  toSeries,
  type UtilizationPoint,
  variance,
} from "@quotacast/core/forecast";
import { HOUR_MS } from "@quotacast/core/time";

/** 0.01 .. 0.99: CRPS = 2 x the mean pinball loss over these levels (exact for point forecasts). */
export const QUANTILE_GRID: readonly number[] = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);

export interface ForecastPoint {
  nowMs: number;
  resetsAtMs: number;
  windowLengthMs: number;
  /** Readings visible at `nowMs`. */
  readings: readonly UtilizationPoint[];
  costStream?: readonly CostPoint[];
}

export interface StrategyForecast {
  /** Utilization at reset at each QUANTILE_GRID level, non-decreasing. */
  quantiles: number[];
  /** Predicted time of reaching 100% (median), or null when the strategy says it will not. */
  etaMs: number | null;
}

/** A strategy fitted on the training windows; null = no forecast (cold start). */
export type Predictor = (point: ForecastPoint) => StrategyForecast | null;

/** Extra inputs a strategy may use besides the windows (the transcript stream, a learned limit). */
export interface FitContext {
  learnedLimit?: LearnedLimit | null;
  /** The whole transcript cost stream, sorted by time: the cold start learns its spend prior from what precedes a window. */
  costHistory?: readonly CostPoint[];
}

export interface Strategy {
  name: string;
  fit(training: readonly CompletedWindow[], windowLengthMs: number, context?: FitContext): Predictor;
}

function currentRatio(readings: readonly UtilizationPoint[]): number {
  const s = toSeries(readings);
  return s.ratios.length ? s.ratios[s.ratios.length - 1] : 0;
}

function pointForecast(value: number, etaMs: number | null = null): StrategyForecast {
  return { quantiles: QUANTILE_GRID.map(() => value), etaMs };
}

function linearEta(u: number, ratePerH: number, nowMs: number, resetsAtMs: number): number | null {
  if (u >= 1) return nowMs;
  if (!(ratePerH > 0)) return null;
  const at = nowMs + ((1 - u) / ratePerH) * HOUR_MS;
  return at <= resetsAtMs ? at : null;
}

function ratesOf(windows: readonly CompletedWindow[]): number[] {
  return windows.map((w) => w.finalUtilizationRatio / (w.windowLengthMs / HOUR_MS));
}

const quotacastStrategy: Strategy = {
  name: "quotacast",
  fit(training, windowLengthMs, context) {
    const model = fitForecastModel(training, windowLengthMs, { learnedLimit: context?.learnedLimit });
    return (p) => forecastFromModel(p, model, { learnedLimit: context?.learnedLimit ?? null });
  },
};

/** quotacast's forecast of one bench point, with what a strategy adds to the input. */
function forecastFromModel(
  p: ForecastPoint,
  model: FittedForecastModel,
  extra: Pick<ForecastInput, "learnedLimit" | "spendPrior">,
): StrategyForecast {
  const dist = incrementDistribution({
    window: "bench",
    nowMs: p.nowMs,
    resetsAtMs: p.resetsAtMs,
    windowLengthMs: p.windowLengthMs,
    readings: p.readings,
    model,
    costStream: p.costStream,
    ...extra,
  });
  return fromDistribution(dist);
}

function fromDistribution(dist: IncrementDistribution): StrategyForecast {
  const u = dist.situation.utilizationRatio;
  const quantiles = QUANTILE_GRID.map((q) => u + dist.quantile(q));
  for (let i = 1; i < quantiles.length; i++) quantiles[i] = Math.max(quantiles[i], quantiles[i - 1]);
  const pEx = u >= 1 ? 1 : 1 - dist.cdf(1 - u);
  const eta = exhaustionInterval(dist, pEx);
  return { quantiles, etaMs: eta ? eta.p50Ms : null };
}

/** Our forecaster with no past windows at all (the first days of use). */
const quotacastColdStrategy: Strategy = {
  name: "quotacast-cold",
  fit(_training, windowLengthMs, context) {
    const model = fitForecastModel([], windowLengthMs);
    const history = context?.costHistory ?? [];
    return (p) => {
      // Transcript history of the 4 weeks before the window: the prior when no window was ever observed.
      const startMs = p.resetsAtMs - windowLengthMs;
      const before = history.filter(
        (c) => c.timestampMs >= startMs - SPEND_PRIOR_HISTORY_MS && c.timestampMs < startMs,
      );
      const spendPrior = before.length
        ? buildSpendPrior(before, { fromMs: startMs - SPEND_PRIOR_HISTORY_MS, toMs: startMs })
        : null;
      return forecastFromModel(p, model, { spendPrior });
    };
  },
};

const SPEND_PRIOR_HISTORY_MS = 28 * 24 * HOUR_MS;

const claumonStrategy: Strategy = {
  name: "claumon-v2.1",
  fit(training, windowLengthMs) {
    const model = fitClaumon(training, windowLengthMs);
    return (p) => {
      if (!model) return null;
      const f = claumonForecast(model, p.readings, p.nowMs, p.resetsAtMs);
      return { quantiles: QUANTILE_GRID.map((q) => quantileSorted(f.pathEnds, q)), etaMs: f.etaMs };
    };
  },
};

/** current + mean(u_final / D) x time left: what windows usually do. */
const priorRateStrategy: Strategy = {
  name: "prior-rate",
  fit(training) {
    const rate = training.length ? mean(ratesOf(training)) : NaN;
    return (p) => {
      if (!Number.isFinite(rate)) return null;
      const u = currentRatio(p.readings);
      const h = Math.max(0, p.resetsAtMs - p.nowMs) / HOUR_MS;
      return pointForecast(u + rate * h, linearEta(u, rate, p.nowMs, p.resetsAtMs));
    };
  },
};

/** Linear burn rate: u / time since the window started, extended to the reset (BudMon and co). */
const linearStrategy: Strategy = {
  name: "linear",
  fit() {
    return (p) => {
      const u = currentRatio(p.readings);
      const elapsedH = Math.max(p.nowMs - (p.resetsAtMs - p.windowLengthMs), 60_000) / HOUR_MS;
      const rate = u / elapsedH;
      const h = Math.max(0, p.resetsAtMs - p.nowMs) / HOUR_MS;
      return pointForecast(u + rate * h, linearEta(u, rate, p.nowMs, p.resetsAtMs));
    };
  },
};

/** Normal with the mean and standard deviation of past u* (ignores the current window). */
const climatologyStrategy: Strategy = {
  name: "climatology",
  fit(training) {
    const finals = training.map((w) => w.finalUtilizationRatio);
    const m = mean(finals);
    const sd = Math.sqrt(variance(finals));
    return () => {
      if (finals.length < 2) return null;
      return { quantiles: QUANTILE_GRID.map((q) => m + sd * normalQuantile(q)), etaMs: null };
    };
  },
};

/** No growth: the value now is the value at reset. */
const flatStrategy: Strategy = {
  name: "flat",
  fit() {
    return (p) => pointForecast(currentRatio(p.readings));
  },
};

export const ALL_STRATEGIES: readonly Strategy[] = [
  quotacastStrategy,
  quotacastColdStrategy,
  claumonStrategy,
  priorRateStrategy,
  linearStrategy,
  climatologyStrategy,
  flatStrategy,
];
