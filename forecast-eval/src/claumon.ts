/**
 * A re-implementation of claumon's model v2.1 from its published description (see
 * docs/reference forecasting.md), so the benchmark compares against it on the same files:
 * - rate: OLS slope over the last 30 minutes (>= 3 points, only after the last drop),
 *   precision-weighted with an empirical-Bayes normal prior of u_final / D over past windows;
 * - noise: squared errors of the point forecast at 6 replayed points per past window,
 *   regressed on horizon and horizon squared (no intercept, non-negative terms);
 * - 500 Monte Carlo paths of a Gamma process (rate drawn from a Gamma per path, Gamma
 *   increments on a 5-minute grid); interval = 10th/90th percentiles of the path ends;
 *   ETA = first crossing of 100%, only when fewer than half the paths never cross;
 * - cold start: no forecast until 2 completed windows exist.
 */
import {
  type CompletedWindow,
  createRng,
  gammaDraw,
  mean,
  olsSlope,
  quantileSorted,
  toSeries,
  type UtilizationPoint,
  variance,
} from "@quotacast/core/forecast";
import { HOUR_MS } from "@quotacast/core/time";

const CLAUMON_PATHS = 500;
const CLAUMON_STEP_MS = 5 * 60_000;
const CLAUMON_RATE_WINDOW_MS = 30 * 60_000;
const CLAUMON_MIN_WINDOWS = 2;
/** Floor of the slope variance when the 30-minute fit is exact (avoids infinite precision). */
const MIN_SLOPE_VARIANCE = 1e-6;

export interface ClaumonPrior {
  /** Mean and variance of u_final / D (utilization per hour). */
  rateMean: number;
  rateVariance: number;
}

export interface ClaumonNoise {
  /** Squared error = a * horizonH + b * horizonH^2. */
  a: number;
  b: number;
}

export interface ClaumonModel {
  windowLengthMs: number;
  prior: ClaumonPrior;
  noise: ClaumonNoise;
  pastWindows: number;
}

export interface ClaumonRate {
  /** Blended rate, utilization per hour. */
  rate: number;
  observedRate: number | null;
  observedVariance: number | null;
}

export interface ClaumonForecast {
  currentRatio: number;
  rate: ClaumonRate;
  /** Sorted path ends. */
  pathEnds: number[];
  p10Ratio: number;
  p50Ratio: number;
  p90Ratio: number;
  /** Median first crossing of 100%, or null when half the paths or more never cross. */
  etaMs: number | null;
}

function claumonPrior(windows: readonly CompletedWindow[]): ClaumonPrior {
  const rates = windows.map((w) => w.finalUtilizationRatio / (w.windowLengthMs / HOUR_MS));
  return { rateMean: mean(rates), rateVariance: variance(rates) };
}

/** OLS over the last 30 minutes (after the last drop) blended with the prior by precision. */
export function claumonRate(
  readings: readonly UtilizationPoint[],
  nowMs: number,
  prior: ClaumonPrior,
): ClaumonRate {
  const visible = readings
    .filter((r) => r.observedAtMs <= nowMs)
    .sort((a, b) => a.observedAtMs - b.observedAtMs);
  let start = 0;
  for (let i = 1; i < visible.length; i++)
    if (visible[i].utilizationRatio < visible[i - 1].utilizationRatio) start = i;
  const recent = visible.slice(start).filter((r) => r.observedAtMs >= nowMs - CLAUMON_RATE_WINDOW_MS);
  const fit =
    recent.length >= 3
      ? olsSlope(
          recent.map((r) => (r.observedAtMs - nowMs) / HOUR_MS),
          recent.map((r) => r.utilizationRatio),
        )
      : null;
  if (!fit) return { rate: Math.max(0, prior.rateMean), observedRate: null, observedVariance: null };
  const observedVariance = Math.max(
    Number.isFinite(fit.slopeVariance) ? fit.slopeVariance : Infinity,
    MIN_SLOPE_VARIANCE,
  );
  const priorPrecision = prior.rateVariance > 0 ? 1 / prior.rateVariance : 0;
  const obsPrecision = Number.isFinite(observedVariance) ? 1 / observedVariance : 0;
  const total = priorPrecision + obsPrecision;
  const rate =
    total > 0 ? (fit.slope * obsPrecision + prior.rateMean * priorPrecision) / total : prior.rateMean;
  return { rate: Math.max(0, rate), observedRate: fit.slope, observedVariance };
}

function currentOf(readings: readonly UtilizationPoint[], nowMs: number): number {
  const s = toSeries(readings.filter((r) => r.observedAtMs <= nowMs));
  return s.ratios.length ? s.ratios[s.ratios.length - 1] : 0;
}

/** The 6 forecast points of the shared protocol for one window. */
export function protocolPoints(firstSnapshotMs: number, resetsAtMs: number, count = 6): number[] {
  const from = firstSnapshotMs + 30 * 60_000;
  const to = resetsAtMs - 30 * 60_000;
  if (!(to > from)) return [];
  return Array.from({ length: count }, (_, k) => from + ((k + 0.5) / count) * (to - from));
}

/** Non-negative least squares of y on (h, h^2) without intercept (2 variables: try the faces). */
function fitNoise(horizons: number[], squaredErrors: number[]): ClaumonNoise {
  let s11 = 0;
  let s12 = 0;
  let s22 = 0;
  let s1y = 0;
  let s2y = 0;
  for (let i = 0; i < horizons.length; i++) {
    const h = horizons[i];
    const y = squaredErrors[i];
    s11 += h * h;
    s12 += h * h * h;
    s22 += h * h * h * h;
    s1y += h * y;
    s2y += h * h * y;
  }
  const det = s11 * s22 - s12 * s12;
  if (det > 1e-18) {
    const a = (s1y * s22 - s2y * s12) / det;
    const b = (s2y * s11 - s1y * s12) / det;
    if (a >= 0 && b >= 0) return { a, b };
  }
  const aOnly = s11 > 0 ? Math.max(0, s1y / s11) : 0;
  const bOnly = s22 > 0 ? Math.max(0, s2y / s22) : 0;
  const sse = (a: number, b: number): number =>
    horizons.reduce((s, h, i) => s + (squaredErrors[i] - a * h - b * h * h) ** 2, 0);
  return sse(aOnly, 0) <= sse(0, bOnly) ? { a: aOnly, b: 0 } : { a: 0, b: bOnly };
}

/** Fits prior and noise terms; null before 2 completed windows (claumon's cold start). */
export function fitClaumon(windows: readonly CompletedWindow[], windowLengthMs: number): ClaumonModel | null {
  const same = windows.filter((w) => w.windowLengthMs === windowLengthMs);
  if (same.length < CLAUMON_MIN_WINDOWS) return null;
  const prior = claumonPrior(same);
  const horizons: number[] = [];
  const squaredErrors: number[] = [];
  for (const w of same) {
    if (w.readings.length === 0) continue;
    const first = Math.min(...w.readings.map((r) => r.observedAtMs));
    for (const at of protocolPoints(first, w.resetsAtMs)) {
      const u = currentOf(w.readings, at);
      const h = (w.resetsAtMs - at) / HOUR_MS;
      const predicted = u + claumonRate(w.readings, at, prior).rate * h;
      horizons.push(h);
      squaredErrors.push((w.finalUtilizationRatio - predicted) ** 2);
    }
  }
  return { windowLengthMs, prior, noise: fitNoise(horizons, squaredErrors), pastWindows: same.length };
}

/** 500 Gamma-process paths from now to the reset; fixed seed, so deterministic. */
export function claumonForecast(
  model: ClaumonModel,
  readings: readonly UtilizationPoint[],
  nowMs: number,
  resetsAtMs: number,
  seed = 1,
): ClaumonForecast {
  const u = currentOf(readings, nowMs);
  const rate = claumonRate(readings, nowMs, model.prior);
  const rng = createRng(seed);
  const horizonMs = Math.max(0, resetsAtMs - nowMs);
  const steps = Math.ceil(horizonMs / CLAUMON_STEP_MS);
  const ends: number[] = [];
  const crossings: number[] = [];
  const { a, b } = model.noise;
  for (let p = 0; p < CLAUMON_PATHS; p++) {
    // Rate of this path: Gamma with mean = blended rate, variance = b (rate uncertainty).
    const pathRate =
      rate.rate > 0 && b > 0
        ? gammaDraw(rng, (rate.rate * rate.rate) / b, b / rate.rate)
        : Math.max(0, rate.rate);
    let x = u;
    let crossedAt = u >= 1 ? nowMs : Infinity;
    for (let k = 0; k < steps; k++) {
      const dtMs = Math.min(CLAUMON_STEP_MS, horizonMs - k * CLAUMON_STEP_MS);
      const dtH = dtMs / HOUR_MS;
      const m = pathRate * dtH;
      // Gamma increment: mean rate*dt, variance a*dt.
      const inc = m > 0 && a > 0 ? gammaDraw(rng, (m * m) / (a * dtH), (a * dtH) / m) : m;
      x += inc;
      if (crossedAt === Infinity && x >= 1) crossedAt = nowMs + k * CLAUMON_STEP_MS + dtMs;
    }
    ends.push(x);
    crossings.push(crossedAt);
  }
  ends.sort((x, y) => x - y);
  crossings.sort((x, y) => x - y);
  const neverCross = crossings.filter((c) => c === Infinity).length;
  return {
    currentRatio: u,
    rate,
    pathEnds: ends,
    p10Ratio: quantileSorted(ends, 0.1),
    p50Ratio: quantileSorted(ends, 0.5),
    p90Ratio: quantileSorted(ends, 0.9),
    etaMs: neverCross < CLAUMON_PATHS / 2 ? crossings[Math.floor(CLAUMON_PATHS / 2)] : null,
  };
}
