/** Scores of probabilistic forecasts given as quantiles on QUANTILE_GRID. Pure. */
import { QUANTILE_GRID } from "./strategies";

export function pinballLoss(quantile: number, level: number, outcome: number): number {
  const d = outcome - quantile;
  return d >= 0 ? level * d : (level - 1) * d;
}

/** CRPS from grid quantiles: 2 x mean pinball loss over the grid (|error| for a point forecast). */
export function crpsFromQuantiles(
  quantiles: readonly number[],
  outcome: number,
  levels: readonly number[] = QUANTILE_GRID,
): number {
  let s = 0;
  for (let i = 0; i < levels.length; i++) s += pinballLoss(quantiles[i], levels[i], outcome);
  return (2 * s) / levels.length;
}

/** Unbiased sample CRPS: E|X - y| - 1/2 E|X - X'| (for checking the grid estimator). */
export function crpsFromSamples(samples: readonly number[], outcome: number): number {
  const xs = samples.slice().sort((a, b) => a - b);
  const n = xs.length;
  if (n === 0) return NaN;
  let abs = 0;
  for (const x of xs) abs += Math.abs(x - outcome);
  // sum_{i,j}|xi - xj| = 2 sum_i (2i - n + 1) x_i for sorted x (0-based).
  let pair = 0;
  for (let i = 0; i < n; i++) pair += (2 * i - n + 1) * xs[i];
  const meanPair = n > 1 ? (2 * pair) / (n * (n - 1)) : 0;
  return abs / n - 0.5 * meanPair;
}

/** Quantile at one level of the grid (levels are exact hundredths). */
function gridQuantile(quantiles: readonly number[], level: number): number {
  const i = Math.round(level * 100) - 1;
  return quantiles[Math.min(Math.max(i, 0), quantiles.length - 1)];
}

/** One scored forecast. */
export interface ScoredPoint {
  strategy: string;
  windowIndex: number;
  crps: number;
  pinball10: number;
  pinball50: number;
  pinball90: number;
  covered80: boolean;
  /** Median minus outcome. */
  errorRatio: number;
  horizonMs: number;
  finalRatio: number;
  /** |predicted - actual| time of reaching 100%, when both exist. */
  etaErrorMs: number | null;
  /** The window reached 100% after this point and the strategy gave no ETA (or the reverse). */
  etaMissed: boolean;
}

export function scorePoint(
  strategy: string,
  windowIndex: number,
  quantiles: readonly number[],
  outcome: number,
  horizonMs: number,
  etaMs: number | null,
  actualEtaMs: number | null,
): ScoredPoint {
  const q10 = gridQuantile(quantiles, 0.1);
  const q50 = gridQuantile(quantiles, 0.5);
  const q90 = gridQuantile(quantiles, 0.9);
  return {
    strategy,
    windowIndex,
    crps: crpsFromQuantiles(quantiles, outcome),
    pinball10: pinballLoss(q10, 0.1, outcome),
    pinball50: pinballLoss(q50, 0.5, outcome),
    pinball90: pinballLoss(q90, 0.9, outcome),
    covered80: outcome >= q10 - 1e-9 && outcome <= q90 + 1e-9,
    errorRatio: q50 - outcome,
    horizonMs,
    finalRatio: outcome,
    etaErrorMs: etaMs !== null && actualEtaMs !== null ? Math.abs(etaMs - actualEtaMs) : null,
    etaMissed: (etaMs === null) !== (actualEtaMs === null),
  };
}

export interface ScoreSummary {
  n: number;
  crps: number;
  /** 1 - CRPS / CRPS(climatology) on the same points; null when climatology is absent. */
  crpsSkill: number | null;
  pinball: number;
  pinball10: number;
  pinball50: number;
  pinball90: number;
  coverage80: number;
  maePp: number;
  biasPp: number;
  /** Mean |ETA error| in minutes over points where both the strategy and reality reached 100%. */
  etaMaeMinutes: number | null;
  etaPoints: number;
  /** Share of points where the strategy and reality disagree on reaching 100% at all. */
  etaMissRate: number;
}

export function summarize(points: readonly ScoredPoint[], climatologyCrps: number | null): ScoreSummary {
  const n = points.length;
  const avg = (f: (p: ScoredPoint) => number): number => (n ? points.reduce((s, p) => s + f(p), 0) / n : NaN);
  const crps = avg((p) => p.crps);
  const eta = points.filter((p) => p.etaErrorMs !== null);
  return {
    n,
    crps,
    crpsSkill: climatologyCrps && climatologyCrps > 0 ? 1 - crps / climatologyCrps : null,
    pinball: avg((p) => (p.pinball10 + p.pinball50 + p.pinball90) / 3),
    pinball10: avg((p) => p.pinball10),
    pinball50: avg((p) => p.pinball50),
    pinball90: avg((p) => p.pinball90),
    coverage80: avg((p) => (p.covered80 ? 1 : 0)),
    maePp: 100 * avg((p) => Math.abs(p.errorRatio)),
    biasPp: 100 * avg((p) => p.errorRatio),
    etaMaeMinutes: eta.length
      ? eta.reduce((s, p) => s + (p.etaErrorMs as number), 0) / eta.length / 60_000
      : null,
    etaPoints: eta.length,
    etaMissRate: avg((p) => (p.etaMissed ? 1 : 0)),
  };
}
