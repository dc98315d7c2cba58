/**
 * quotacast's forecaster: utilization at reset = current + remaining increment.
 *
 * The increment's central value is H x r, where the rate r is a ridge regression (shrunk
 * toward an even blend) of the future average rate on what is visible now: the recent
 * and to-date rates, a recency-weighted prior rate from earlier windows (also one from
 * windows at the same time of day), and how long the user has been idle relative to their
 * usual pauses. The regression is fitted by replaying past windows at many points, each
 * seeing only the windows before it, as in use. Its spread comes from the same replay: the
 * ratios (actual + e) / (predicted + e) observed at points that looked like this one
 * (same elapsed fraction, same idleness), a conformal-style empirical distribution, mixed
 * with a few pseudo-observations of a wide generic prior (the only thing used with no
 * past windows). Abandonment is the mass of that distribution at zero.
 * Pure and deterministic; no sampling at all.
 */
import type { WindowName } from "../limits/snapshot";
import type { LearnedLimit, UtilizationQuantile, WindowForecast } from "./types";
import { DAY_MS, HOUR_MS } from "../time";
import {
  closedPauseDurationsH,
  situationAt,
  toSeries,
  type CompletedWindow,
  type CostPoint,
  type Situation,
  type UtilizationPoint,
} from "./series";
import { clamp, normalQuantile, quantileSorted, solveLinear, weightedQuantileSorted } from "./stats";
import { expectedSpendUsd, type SpendPrior } from "./transcript-prior";
import { learnLimit, limitSegments } from "./learned-limit";

export const FAN_QUANTILES = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95] as const;
const DEFAULT_WARNING_LEVEL = 0.8;

/** Offset of the increment ratio, in utilization: keeps the ratio finite when little is predicted. */
const RATIO_OFFSET = 0.02;
/** Weight (in past-window replay points) of the generic prior in the spread. */
const GENERIC_PSEUDO_WEIGHT = 3;
/** Replayed points this similar (kernel weight) to now bound the increment's upper tail. */
const SIMILAR_ROW_WEIGHT = 0.3;
const INCREMENT_CAP_FACTOR = 1.5;
/** Ridge strength in equivalent replay points. */
const RIDGE_PSEUDO_ROWS = 4;
/** Replay: 12 points per window, 6 beyond 60 windows, over the most recent 120 windows (bounds the cost). */
const REPLAY_MAX_WINDOWS = 120;
const TAU_MAX_WINDOWS = 100;
const CROSS_FIT_FOLDS = 5;
const TIME_OF_DAY_BANDWIDTH_H = 2.5;
const MIN_EARLIER_WINDOWS = 3;
const RECENCY_TAUS_MS = [3, 7, 21, Infinity].map((d) => d * 24 * HOUR_MS);
/** Stop signal at least this high when Claude Code is known not to run. */
const STOP_WHEN_CLAUDE_NOT_RUNNING = 0.8;
/** Similarity kernel over replay points: starting bandwidths in elapsed fraction and in stop signal. */
const SIMILARITY_BANDWIDTH_ELAPSED = 0.12;
const SIMILARITY_BANDWIDTH_STOP = 0.2;
/** Both bandwidths widen by this factor, at most this many times, until enough points count. */
const BANDWIDTH_WIDENING_FACTOR = 1.4;
const MAX_BANDWIDTH_ATTEMPTS = 6;
/** Enough points: an effective sample of this many, or this share of all replay points. */
const MIN_EFFECTIVE_POINTS = 30;
const MIN_EFFECTIVE_POINTS_SHARE = 0.5;
/** The generic prior enters the ratio sample as this many evenly spaced quantiles. */
const GENERIC_QUANTILE_POINTS = 24;
/** Weight of the generic prior when there is no past window (it is the whole sample). */
const COLD_GENERIC_WEIGHT = 24;

/** Regression features by name; their order here is the order of the vector and of `beta`. */
const FEATURE_NAMES = [
  "timeOfDayRate",
  "shortRate",
  "longRate",
  "toDateRate",
  "priorRate",
  "priorRateByElapsed",
  "toDateRateByElapsed",
  "priorRateByStop",
  "toDateRateByStop",
  "longRateByStop",
] as const;
type FeatureName = (typeof FEATURE_NAMES)[number];
type ByFeature = Record<FeatureName, number>;

/** Regression features. Rates are utilization per hour. */
function featureValues(s: Situation, priorRate: number, timeOfDayRate: number, stop: number): ByFeature {
  const phi = s.elapsedFraction;
  return {
    timeOfDayRate,
    shortRate: s.shortRate,
    longRate: s.longRate,
    toDateRate: s.toDateRate,
    priorRate,
    priorRateByElapsed: priorRate * phi,
    toDateRateByElapsed: s.toDateRate * phi,
    priorRateByStop: priorRate * stop,
    toDateRateByStop: s.toDateRate * stop,
    longRateByStop: s.longRate * stop,
  };
}
const toVector = (byName: ByFeature): number[] => FEATURE_NAMES.map((name) => byName[name]);
function features(s: Situation, priorRate: number, timeOfDayRate: number, stop: number): number[] {
  return toVector(featureValues(s, priorRate, timeOfDayRate, stop));
}
/** Where the ridge shrinks to: half the window's own rates, half the prior; less when idle. */
const BETA_PRIOR = toVector({
  timeOfDayRate: 0,
  shortRate: 0,
  longRate: 0.2,
  toDateRate: 0.3,
  priorRate: 0.5,
  priorRateByElapsed: 0,
  toDateRateByElapsed: 0,
  priorRateByStop: -0.2,
  toDateRateByStop: -0.2,
  longRateByStop: 0,
});

interface ReplayRow {
  /** Which past window the row replays (rows of one window share a cross-fitting fold). */
  windowIndex: number;
  x: number[];
  horizonH: number;
  increment: number;
  predicted: number;
  elapsedFraction: number;
  stop: number;
}

/** What is learned from past windows of one length; reused for every forecast of that window. */
export interface FittedForecastModel {
  windowLengthMs: number;
  pastWindows: number;
  /** Reset times and u* per hour of each past window, for the prior rate. */
  priorTimesMs: number[];
  priorRates: number[];
  recencyTauMs: number;
  /** Typical pause (h) between increases: idle time is measured against it. */
  pauseScaleH: number;
  beta: number[];
  rows: ReplayRow[];
  /** What past windows added from each tenth of the window on (mean increment; NaN if none). */
  analogIncrements: number[];
  /**
   * Weight (0-1) of that analog forecast in the point forecast, against the regression's,
   * from their out-of-sample errors.
   */
  analogShare: number;
}

function windowRate(w: CompletedWindow): number {
  return w.finalUtilizationRatio / (w.windowLengthMs / HOUR_MS);
}

/** Recency-weighted mean rate of past windows around `atMs`, leaving out one index. */
function priorRateAt(
  times: number[],
  rates: number[],
  atMs: number,
  tauMs: number,
  exclude = -1,
  similarity?: (otherMs: number) => number,
  beforeMs = Infinity,
): number | null {
  let sw = 0;
  let s = 0;
  for (let i = 0; i < times.length; i++) {
    if (i === exclude || times[i] >= beforeMs) continue;
    let w = Number.isFinite(tauMs) ? Math.exp(-Math.abs(times[i] - atMs) / tauMs) : 1;
    if (similarity) w *= similarity(times[i]);
    sw += w;
    s += w * rates[i];
  }
  return sw > 1e-9 ? s / sw : null;
}

/** The recency scale whose prior, from earlier windows only, predicts past windows best. */
function chooseRecencyTau(allTimes: number[], allRates: number[]): number {
  if (allTimes.length < 6) return Infinity;
  const times = allTimes.slice(-TAU_MAX_WINDOWS);
  const rates = allRates.slice(-TAU_MAX_WINDOWS);
  let best = Infinity;
  let bestErr = Infinity;
  for (const tau of RECENCY_TAUS_MS) {
    let err = 0;
    // Each window predicted from the earlier ones, as the prior is used.
    for (let i = MIN_EARLIER_WINDOWS; i < times.length; i++) {
      const p = priorRateAt(times, rates, times[i], tau, i, undefined, times[i]);
      if (p !== null) err += (p - rates[i]) ** 2;
    }
    // Prefer the longer scale unless a shorter one is clearly better.
    if (err < bestErr * 0.97) {
      bestErr = err;
      best = tau;
    }
  }
  return best;
}

/**
 * How alike two windows are in time of day (and weekday vs weekend, UTC) of their resets: a
 * weight in (0, 1]. Windows of a day or longer cover every hour: all alike.
 */
function timeOfDaySimilarity(resetAMs: number, windowLengthMs: number): (resetBMs: number) => number {
  if (windowLengthMs >= 24 * HOUR_MS) return () => 1;
  const hourA = (resetAMs / HOUR_MS) % 24;
  const weekendA = isWeekend(resetAMs);
  return (resetBMs) => {
    const d = Math.abs(hourA - ((resetBMs / HOUR_MS) % 24));
    const hours = Math.min(d, 24 - d);
    return (
      Math.exp(-0.5 * (hours / TIME_OF_DAY_BANDWIDTH_H) ** 2) * (isWeekend(resetBMs) === weekendA ? 1 : 0.3) +
      1e-6
    );
  };
}

/** Saturday or Sunday (UTC); 1970-01-01 was a Thursday. */
function isWeekend(ms: number): boolean {
  const day = (Math.floor(ms / (24 * HOUR_MS)) + 4) % 7;
  return day === 0 || day === 6;
}

function stopSignal(idleH: number, pauseScaleH: number): number {
  return 1 - Math.exp(-idleH / pauseScaleH);
}

/** Learns from completed windows of one length. Pure; fast enough to run on every forecast. */
export function fitForecastModel(
  pastWindows: readonly CompletedWindow[],
  windowLengthMs: number,
  opts: { learnedLimit?: LearnedLimit | null } = {},
): FittedForecastModel {
  const limitUsd = opts.learnedLimit?.limitUsd;
  const windows = pastWindows
    .filter((w) => w.windowLengthMs === windowLengthMs && Number.isFinite(w.finalUtilizationRatio))
    .slice()
    .sort((a, b) => a.resetsAtMs - b.resetsAtMs);
  const windowH = windowLengthMs / HOUR_MS;
  const priorTimesMs = windows.map((w) => w.resetsAtMs);
  const priorRates = windows.map(windowRate);
  const recencyTauMs = chooseRecencyTau(priorTimesMs, priorRates);
  const series = windows.map((w, i) =>
    i >= windows.length - REPLAY_MAX_WINDOWS ? toSeries(w.readings) : toSeries([]),
  );
  const pauses = series.flatMap(closedPauseDurationsH).sort((a, b) => a - b);
  const pauseScaleH =
    pauses.length >= 10 ? clamp(quantileSorted(pauses, 0.9), windowH * 0.03, windowH * 0.5) : windowH * 0.1;

  const rows: ReplayRow[] = [];
  const firstReplayed = Math.max(0, windows.length - REPLAY_MAX_WINDOWS);
  const pointsPerWindow = windows.length > 60 ? 6 : 12;
  windows.forEach((w, i) => {
    const s = series[i];
    if (i < firstReplayed || s.timesMs.length === 0) return;
    // As in use, the prior knows only earlier windows (all others while fewer than 3 exist).
    const beforeMs = i >= MIN_EARLIER_WINDOWS ? w.resetsAtMs : Infinity;
    const prior =
      priorRateAt(priorTimesMs, priorRates, w.resetsAtMs, recencyTauMs, i, undefined, beforeMs) ??
      priorRates[i];
    const sameHours = timeOfDaySimilarity(w.resetsAtMs, windowLengthMs);
    const priorTod =
      priorRateAt(priorTimesMs, priorRates, w.resetsAtMs, recencyTauMs, i, sameHours, beforeMs) ?? prior;
    const from = s.timesMs[0] + windowLengthMs * 0.1;
    const to = w.resetsAtMs - windowLengthMs * 0.05;
    if (!(to > from)) return;
    for (let k = 0; k < pointsPerWindow; k++) {
      const at = from + ((k + 0.5) / pointsPerWindow) * (to - from);
      const sit = withCostStream(
        situationAt(s, at, w.resetsAtMs, windowLengthMs),
        w.readings,
        w.costs,
        limitUsd,
      );
      const stop = stopSignal(sit.idleH, pauseScaleH);
      rows.push({
        windowIndex: i,
        x: features(sit, prior, priorTod, stop),
        horizonH: sit.horizonH,
        increment: Math.max(0, w.finalUtilizationRatio - sit.utilizationRatio),
        predicted: 0,
        elapsedFraction: sit.elapsedFraction,
        stop,
      });
    }
  });
  const beta = fitRidge(rows);
  // Residuals out of sample (5-fold by window), so the spread is not flattered by the fit.
  const folds = Math.min(CROSS_FIT_FOLDS, new Set(rows.map((r) => r.windowIndex)).size);
  if (folds >= 2) {
    for (let f = 0; f < folds; f++) {
      const betaF = fitRidge(rows.filter((r) => r.windowIndex % folds !== f));
      for (const r of rows)
        if (r.windowIndex % folds === f) r.predicted = predictIncrement(betaF, r.x, r.horizonH);
    }
  } else {
    for (const r of rows) r.predicted = predictIncrement(beta, r.x, r.horizonH);
  }
  return {
    windowLengthMs,
    pastWindows: windows.length,
    priorTimesMs,
    priorRates,
    recencyTauMs,
    pauseScaleH,
    beta,
    rows,
    ...stackAnalogs(rows),
  };
}

const ANALOG_PHASE_BINS = 10;
const phaseBin = (elapsedFraction: number): number =>
  clamp(Math.floor(elapsedFraction * ANALOG_PHASE_BINS), 0, ANALOG_PHASE_BINS - 1);

/**
 * The analog forecast, "what past windows added from this point on", stacked with the
 * regression by inverse out-of-sample squared error (the analog of a row is the mean of
 * other windows' rows in the same tenth of the window). Where the current pace says little
 * (a weekly window, whose user works in bursts days apart) the analogs win; where it says
 * much (a 5-hour session) the regression does. Rows' predictions become the stacked ones,
 * so the ratio spread measures the stacked forecast's errors.
 */
function stackAnalogs(rows: ReplayRow[]): { analogIncrements: number[]; analogShare: number } {
  const sum = new Array<number>(ANALOG_PHASE_BINS).fill(0);
  const count = new Array<number>(ANALOG_PHASE_BINS).fill(0);
  const own = new Map<string, { sum: number; count: number }>();
  for (const r of rows) {
    const b = phaseBin(r.elapsedFraction);
    sum[b] += r.increment;
    count[b] += 1;
    const key = `${r.windowIndex}:${b}`;
    const o = own.get(key) ?? { sum: 0, count: 0 };
    o.sum += r.increment;
    o.count += 1;
    own.set(key, o);
  }
  const analogIncrements = sum.map((s, b) => (count[b] > 0 ? s / count[b] : NaN));
  if (new Set(rows.map((r) => r.windowIndex)).size < MIN_EARLIER_WINDOWS)
    return { analogIncrements, analogShare: 0 };
  const analogOf = (r: ReplayRow): number | null => {
    const b = phaseBin(r.elapsedFraction);
    const o = own.get(`${r.windowIndex}:${b}`)!;
    const others = count[b] - o.count;
    return others > 0 ? (sum[b] - o.sum) / others : null;
  };
  let analogSquares = 0;
  let regressionSquares = 0;
  for (const r of rows) {
    const analog = analogOf(r);
    if (analog === null) continue;
    analogSquares += (r.increment - analog) ** 2;
    regressionSquares += (r.increment - r.predicted) ** 2;
  }
  const total = analogSquares + regressionSquares;
  const analogShare = total > 0 ? regressionSquares / total : 0;
  for (const r of rows) {
    const analog = analogOf(r);
    if (analog !== null) r.predicted = (1 - analogShare) * r.predicted + analogShare * analog;
  }
  return { analogIncrements, analogShare };
}

/** Weighted (by horizon squared: errors count in utilization) ridge regression toward BETA_PRIOR. */
function fitRidge(rows: ReplayRow[]): number[] {
  const p = BETA_PRIOR.length;
  if (rows.length === 0) return BETA_PRIOR.slice();
  const a = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const b = new Array<number>(p).fill(0);
  for (const r of rows) {
    const w = r.horizonH * r.horizonH;
    const y = r.horizonH > 0 ? r.increment / r.horizonH : 0;
    for (let j = 0; j < p; j++) {
      b[j] += w * r.x[j] * y;
      for (let k = 0; k < p; k++) a[j][k] += w * r.x[j] * r.x[k];
    }
  }
  for (let j = 0; j < p; j++) {
    const d = (Math.max(a[j][j], 1e-12) / rows.length) * RIDGE_PSEUDO_ROWS;
    a[j][j] += d;
    b[j] += d * BETA_PRIOR[j];
  }
  return solveLinear(a, b) ?? BETA_PRIOR.slice();
}

function predictIncrement(beta: number[], x: number[], horizonH: number): number {
  let r = 0;
  for (let j = 0; j < beta.length; j++) r += beta[j] * x[j];
  return Math.max(0, r) * horizonH;
}

/**
 * The generic prior, set once on the pooled synthetic regimes with no past windows (its
 * only use besides 3 pseudo-observations): users often slow down or stop, so the median
 * ratio is below 1, and the spread is wider early in the window.
 */
const GENERIC = { stopBase: 0.08, stopIdle: 0.4, sigmaBase: 0.2, sigmaEarly: 0.3, mu: -0.1 };
function genericRatioQuantile(
  p: number,
  elapsedFraction: number,
  stop: number,
  extraLogVariance = 0,
): number {
  const stopProbability = GENERIC.stopBase + GENERIC.stopIdle * stop;
  if (p <= stopProbability) return 0;
  const genericSigma = GENERIC.sigmaBase + GENERIC.sigmaEarly * (1 - elapsedFraction);
  // The extra spread widens around the same median (a busy day is as likely as a quiet one).
  const sigma = Math.sqrt(genericSigma ** 2 + extraLogVariance);
  const pp = (p - stopProbability) / (1 - stopProbability);
  return Math.exp(GENERIC.mu - 0.5 * genericSigma ** 2 + sigma * normalQuantileSafe(pp));
}

function normalQuantileSafe(p: number): number {
  return normalQuantile(clamp(p, 1e-6, 1 - 1e-6));
}

/** Everything the forecaster may know about one window right now. */
export interface ForecastInput {
  window: WindowName;
  nowMs: number;
  resetsAtMs: number;
  windowLengthMs: number;
  /** Readings of the current window (a WindowReading fits); later than `nowMs` are ignored. */
  readings: readonly UtilizationPoint[];
  /** Completed windows of the same kind; ignored when `model` is given. */
  pastWindows?: readonly CompletedWindow[];
  /** A model fitted once with fitForecastModel (saves refitting for every forecast). */
  model?: FittedForecastModel;
  /** Local transcript cost stream; with `learnedLimit` it moves the forecast between polls. */
  costStream?: readonly CostPoint[];
  learnedLimit?: LearnedLimit | null;
  /** Typical spend by hour of week from the transcript history: the prior when no past windows exist. */
  spendPrior?: SpendPrior | null;
  /** False when no Claude Code process is running (the user is not working right now). */
  claudeProcessRunning?: boolean;
  warningLevelRatio?: number;
}

/** The predictive distribution of the remaining increment, as a quantile function. */
export interface IncrementDistribution {
  situation: Situation;
  predictedIncrement: number;
  stop: number;
  quantile(p: number): number;
  /** P(increment <= x). */
  cdf(x: number): number;
}

/**
 * Moves the situation forward with the transcript cost since the last poll, and takes the
 * recent rate and the idle time from the cost stream (seconds fresh, finer than whole
 * percents), when the limit is known.
 */
function withCostStream(
  sit: Situation,
  readings: readonly UtilizationPoint[],
  costs: readonly CostPoint[] | undefined,
  limitUsd: number | undefined,
): Situation {
  if (!costs || costs.length === 0 || !limitUsd || !(limitUsd > 0)) return sit;
  const nowMs = sit.nowMs;
  let lastPollMs = -Infinity;
  for (const r of readings)
    if (r.observedAtMs <= nowMs && r.observedAtMs > lastPollMs) lastPollMs = r.observedAtMs;
  const startMs = sit.resetsAtMs - sit.windowLengthMs;
  const shortSpanMs = Math.min(sit.windowLengthMs * 0.1, Math.max(nowMs - startMs, 60_000));
  let sinceLastPoll = 0;
  let recent = 0;
  let lastEventMs = -Infinity;
  for (let i = 0; i < costs.length; i++) {
    const c = costs[i]; // indexed, as in transcript-prior.ts: no iterator result per point
    if (c.timestampMs > nowMs || c.timestampMs < startMs) continue;
    if (c.timestampMs > lastPollMs) sinceLastPoll += c.costUsd;
    if (c.timestampMs > nowMs - shortSpanMs) recent += c.costUsd;
    if (c.costUsd > 0 && c.timestampMs > lastEventMs) lastEventMs = c.timestampMs;
  }
  const u = sit.utilizationRatio + (Number.isFinite(lastPollMs) ? sinceLastPoll / limitUsd : 0);
  const idleH = Number.isFinite(lastEventMs) ? Math.max(0, nowMs - lastEventMs) / HOUR_MS : sit.idleH;
  return {
    ...sit,
    utilizationRatio: u,
    toDateRate: u / Math.max(sit.elapsedH, sit.windowLengthMs / HOUR_MS / 20),
    shortRate: recent / limitUsd / (shortSpanMs / HOUR_MS),
    // The transcripts saw every cost of the span: the rate is known.
    rateKnown: true,
    idleH: Math.min(idleH, sit.idleH),
  };
}

/** Builds the predictive distribution of the remaining increment. */
export function incrementDistribution(input: ForecastInput): IncrementDistribution {
  const model = input.model ?? fitForecastModel(input.pastWindows ?? [], input.windowLengthMs);
  const series = toSeries(input.readings.filter((r) => r.observedAtMs <= input.nowMs));
  let sit = situationAt(series, input.nowMs, input.resetsAtMs, input.windowLengthMs);
  sit = withCostStream(sit, input.readings, input.costStream, input.learnedLimit?.limitUsd);
  let stop = stopSignal(sit.idleH, model.pauseScaleH);
  if (input.claudeProcessRunning === false) stop = Math.max(stop, STOP_WHEN_CLAUDE_NOT_RUNNING);

  let predicted: number;
  if (model.rows.length > 0) {
    const prior =
      priorRateAt(model.priorTimesMs, model.priorRates, input.resetsAtMs, model.recencyTauMs) ?? 0;
    const sameHours = timeOfDaySimilarity(input.resetsAtMs, input.windowLengthMs);
    const priorTod =
      priorRateAt(
        model.priorTimesMs,
        model.priorRates,
        input.resetsAtMs,
        model.recencyTauMs,
        -1,
        sameHours,
      ) ?? prior;
    predicted = predictIncrement(model.beta, features(sit, prior, priorTod, stop), sit.horizonH);
    const analog = model.analogIncrements[phaseBin(sit.elapsedFraction)];
    if (Number.isFinite(analog)) predicted = (1 - model.analogShare) * predicted + model.analogShare * analog;
  } else {
    predicted = coldRate(sit, input) * sit.horizonH;
  }

  // Ratio sample: replay points weighted by similarity, plus the generic prior.
  const values: number[] = [];
  const weights: number[] = [];
  const rows = model.rows;
  let largestSimilarIncrement = 0;
  if (rows.length > 0) {
    let bwPhi = SIMILARITY_BANDWIDTH_ELAPSED;
    let bwStop = SIMILARITY_BANDWIDTH_STOP;
    let w: number[] = [];
    for (let attempt = 0; attempt < MAX_BANDWIDTH_ATTEMPTS; attempt++) {
      w = rows.map((r) =>
        Math.exp(
          -0.5 * (((r.elapsedFraction - sit.elapsedFraction) / bwPhi) ** 2 + ((r.stop - stop) / bwStop) ** 2),
        ),
      );
      const sw = w.reduce((a, b) => a + b, 0);
      const sw2 = w.reduce((a, b) => a + b * b, 0);
      if (
        sw2 > 0 &&
        (sw * sw) / sw2 >= Math.min(MIN_EFFECTIVE_POINTS, rows.length * MIN_EFFECTIVE_POINTS_SHARE)
      )
        break;
      bwPhi *= BANDWIDTH_WIDENING_FACTOR;
      bwStop *= BANDWIDTH_WIDENING_FACTOR;
    }
    const sw = w.reduce((a, b) => a + b, 0);
    const sw2 = w.reduce((a, b) => a + b * b, 0);
    const effective = sw2 > 0 ? (sw * sw) / sw2 : 0;
    rows.forEach((r, i) => {
      if (w[i] <= 0) return;
      values.push((r.increment + RATIO_OFFSET) / (r.predicted + RATIO_OFFSET));
      weights.push((w[i] / sw) * effective);
      if (w[i] >= SIMILAR_ROW_WEIGHT)
        largestSimilarIncrement = Math.max(largestSimilarIncrement, r.increment);
    });
  }
  const coldDayVariance = rows.length > 0 ? 0 : dayToDayLogVariance(sit, input.spendPrior);
  const genericCount = GENERIC_QUANTILE_POINTS;
  const genericWeight = rows.length > 0 ? GENERIC_PSEUDO_WEIGHT : COLD_GENERIC_WEIGHT;
  for (let k = 0; k < genericCount; k++) {
    values.push(genericRatioQuantile((k + 0.5) / genericCount, sit.elapsedFraction, stop, coldDayVariance));
    weights.push(genericWeight / genericCount);
  }
  const order = values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
  const sortedValues = order.map((i) => values[i]);
  const sortedWeights = order.map((i) => weights[i]);
  const scale = predicted + RATIO_OFFSET;
  // A replayed point whose prediction was near zero gives a huge ratio; scaled by a larger
  // prediction now it would claim increments never seen. Past windows bound the tail: at most
  // INCREMENT_CAP_FACTOR x the largest increment from a similar point, or than predicted now.
  const incrementCap =
    largestSimilarIncrement > 0
      ? INCREMENT_CAP_FACTOR * Math.max(largestSimilarIncrement, predicted)
      : Infinity;
  const quantile = (p: number): number => {
    if (sit.horizonH <= 0) return 0;
    const increment = scale * weightedQuantileSorted(sortedValues, sortedWeights, p) - RATIO_OFFSET;
    return clamp(increment, 0, incrementCap);
  };
  const cdf = (x: number): number => {
    if (quantile(1) <= x) return 1;
    if (quantile(0) > x) return 0;
    let lo = 0;
    let hi = 1;
    for (let it = 0; it < 30; it++) {
      const mid = (lo + hi) / 2;
      if (quantile(mid) <= x) lo = mid;
      else hi = mid;
    }
    return lo;
  };
  return { situation: sit, predictedIncrement: predicted, stop, quantile, cdf };
}

/** Day-to-day spread of spend when the transcripts cannot tell it (a developer's typical week). */
const DEFAULT_DAILY_SPEND_CV = 0.8;
/**
 * For windows longer than a day, with no past windows to learn the spread from: spend
 * varies from day to day (coefficient of variation c), so the rest of a weekly window,
 * D days, has a log-variance of about log(1 + c^2 / D): wide on its last day, narrower
 * with a week to go. The 5-hour generic prior does not see this.
 */
function dayToDayLogVariance(sit: Situation, spendPrior: SpendPrior | null | undefined): number {
  if (sit.windowLengthMs <= DAY_MS || !(sit.horizonH > 0)) return 0;
  const cv = spendPrior?.dailySpendCv ?? DEFAULT_DAILY_SPEND_CV;
  const daysLeft = Math.max(sit.horizonH / 24, 0.25);
  return Math.log(1 + (cv * cv) / daysLeft);
}

/** The to-date rate is steadier than the recent one when nothing else is known. */
const COLD_LONG_WEIGHT = 0.2;
/** With no past windows: mostly the to-date rate, and the transcript prior when there is one. */
function coldRate(sit: Situation, input: ForecastInput): number {
  const observed = COLD_LONG_WEIGHT * sit.longRate + (1 - COLD_LONG_WEIGHT) * sit.toDateRate;
  const limit = input.spendPrior ? limitForColdStart(input) : undefined;
  if (input.spendPrior && limit && limit > 0 && sit.horizonH > 0) {
    const priorRate =
      expectedSpendUsd(input.spendPrior, input.nowMs, input.resetsAtMs) / limit / sit.horizonH;
    // The window's own data counts more as it accumulates.
    const w = clamp(sit.elapsedFraction * 2, 0.2, 0.8);
    return w * observed + (1 - w) * priorRate;
  }
  return observed;
}

/** The learned limit, or one learned from the current window's own polls and costs so far. */
function limitForColdStart(input: ForecastInput): number | undefined {
  if (input.learnedLimit?.limitUsd) return input.learnedLimit.limitUsd;
  if (!input.costStream?.length) return undefined;
  const visible = input.readings.filter((r) => r.observedAtMs <= input.nowMs);
  const segments = limitSegments(
    visible,
    input.costStream.filter((c) => c.timestampMs <= input.nowMs),
    input.windowLengthMs / 20,
  );
  return learnLimit(input.window, segments, { resamples: 0 })?.limitUsd;
}

/** Forecast of one window: quantiles at reset, exhaustion and warning odds, ETA, burn, pace. */
export function forecastWindow(input: ForecastInput): WindowForecast {
  const dist = incrementDistribution(input);
  const sit = dist.situation;
  const u = sit.utilizationRatio;
  const warning = input.warningLevelRatio ?? DEFAULT_WARNING_LEVEL;
  const quantiles = monotoneQuantiles(
    FAN_QUANTILES.map((q) => ({ q, utilizationRatio: u + dist.quantile(q) })),
    u,
    sit.horizonH > 0 && dist.predictedIncrement > 0,
  );
  const at = (q: number): number => quantiles.find((x) => x.q === q)?.utilizationRatio ?? u;
  const reachProbability = (level: number): number => (u >= level ? 1 : clamp(1 - dist.cdf(level - u), 0, 1));
  const exhaustionProbability = reachProbability(1);
  // Not known yet (one reading mid-window): no burn, no ETA, rather than a made-up history.
  const burn = sit.rateKnown || u >= 1 ? sit.shortRate : null;
  const expectedExhaustionAtMs =
    u >= 1 ? sit.nowMs : burn !== null && burn > 0 ? sit.nowMs + ((1 - u) / burn) * HOUR_MS : null;
  const projectedExhaustionAtMs =
    expectedExhaustionAtMs !== null && expectedExhaustionAtMs <= input.resetsAtMs
      ? expectedExhaustionAtMs
      : null;
  return {
    window: input.window,
    atMs: input.nowMs,
    resetsAtMs: input.resetsAtMs,
    currentUtilizationRatio: u,
    quantiles,
    p10Ratio: at(0.1),
    p50Ratio: at(0.5),
    p90Ratio: at(0.9),
    exhaustionProbability,
    warningProbability: Math.max(reachProbability(warning), exhaustionProbability),
    warningLevelRatio: warning,
    exhaustionAtMs: burn === null ? null : exhaustionInterval(dist, exhaustionProbability),
    burnRatioPerHour: burn,
    projectedExhaustionAtMs,
    reserveMs:
      burn === null ? null : reserveMs(expectedExhaustionAtMs, input.resetsAtMs, input.windowLengthMs),
    paceRatio: sit.elapsedFraction > 0 ? u / sit.elapsedFraction : null,
    abandonedProbability: sit.horizonH > 0 ? clamp(dist.cdf(0.005), 0, 1) : 1,
    pastWindows:
      input.model?.pastWindows ??
      (input.pastWindows ?? []).filter((w) => w.windowLengthMs === input.windowLengthMs).length,
    method: "quotacast-1",
  };
}

/**
 * The reserve: expected exhaustion at the current pace minus the reset. Positive: the window
 * outlasts its reset by that much; negative: it runs out that long before its reset. With no
 * exhaustion expected within one window length after the reset (no burn at all, or a slow
 * one), it is capped at the window's length.
 */
function reserveMs(
  expectedExhaustionAtMs: number | null,
  resetsAtMs: number,
  windowLengthMs: number,
): number {
  if (expectedExhaustionAtMs === null) return windowLengthMs;
  return Math.min(expectedExhaustionAtMs - resetsAtMs, windowLengthMs);
}

/**
 * Time of reaching 100%, assuming the increment accrues evenly until the reset: the
 * p-quantile of the crossing time, given a crossing, is where the increment is at its
 * (1 - p x P(exhaustion)) quantile. Null unless exhaustion is more likely than not.
 */
export function exhaustionInterval(
  dist: IncrementDistribution,
  exhaustionProbability: number,
): WindowForecast["exhaustionAtMs"] {
  const sit = dist.situation;
  const need = 1 - sit.utilizationRatio;
  if (need <= 0) return { p10Ms: sit.nowMs, p50Ms: sit.nowMs, p90Ms: sit.nowMs };
  if (!(exhaustionProbability > 0.5) || sit.horizonH <= 0) return null;
  const crossing = (p: number): number => {
    const inc = dist.quantile(clamp(1 - p * exhaustionProbability, 0, 1));
    if (inc < need) return sit.resetsAtMs;
    return sit.nowMs + Math.min((need / inc) * sit.horizonH * HOUR_MS, sit.resetsAtMs - sit.nowMs);
  };
  const p10Ms = crossing(0.1);
  const p50Ms = Math.max(p10Ms, crossing(0.5));
  const p90Ms = Math.max(p50Ms, crossing(0.9));
  return { p10Ms, p50Ms, p90Ms };
}

/**
 * Sorted, never below the current value, and strictly widening when anything is still
 * uncertain (no "49%-49%" intervals while the user may keep working).
 */
function monotoneQuantiles(
  quantiles: UtilizationQuantile[],
  currentRatio: number,
  uncertain: boolean,
): UtilizationQuantile[] {
  const sorted = quantiles.slice().sort((a, b) => a.q - b.q);
  const minStep = uncertain ? 1e-4 : 0;
  let prev = -Infinity;
  return sorted.map((x, i) => {
    let v = Math.max(x.utilizationRatio, currentRatio);
    if (i > 0) v = Math.max(v, prev + minStep);
    prev = v;
    return { q: x.q, utilizationRatio: v };
  });
}

/** Forecasts several windows (five-hour, weekly, model-scoped weekly) in one call. */
export function forecastWindows(inputs: readonly ForecastInput[]): WindowForecast[] {
  return inputs.map((i) => forecastWindow(i));
}
