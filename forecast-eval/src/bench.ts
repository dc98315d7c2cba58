/**
 * The forecasting benchmark, shared with claumon's so results compare on the same files:
 * datasets in the reference JSON format, 6 forecast points per window, leave-one-session-
 * out or temporal 60/40 holdout, every strategy scored the same way. Also the synthetic
 * regimes and the dataset built from a transcript cost stream. Pure: the CLI does the I/O.
 */
import * as v from "valibot";
import { protocolPoints } from "./claumon";
import {
  type CompletedWindow,
  type CostPoint,
  createRng,
  exponentialDraw,
  type ForecastInput,
  gammaDraw,
  learnLimitFromWindows,
  normalDraw,
  quantileSorted,
  type Rng,
} from "@quotacast/core/forecast";
import { HOUR_MS } from "@quotacast/core/time";
import { parseWith } from "@quotacast/core/schema";
import { scorePoint, summarize, type ScoreSummary, type ScoredPoint } from "./score";
import { ALL_STRATEGIES, type FitContext, type Strategy } from "./strategies";

// ---------------------------------------------------------------- dataset format

const notATime = (issue: v.BaseIssue<unknown>) => `must be an RFC 3339 time, not ${issue.received}`;

/** A time in the dataset (RFC 3339) as epoch ms. */
const timeMs = v.pipe(
  v.string(notATime),
  v.check((text) => Number.isFinite(Date.parse(text)), notATime),
  v.transform(Date.parse),
);
const finite = v.pipe(
  v.number((issue) => `must be a number, not ${issue.received}`),
  v.finite((issue) => `must be a number, not ${issue.received}`),
);

const BenchSnapshotSchema = v.object({ t: timeMs, u: finite });
const BenchCostSchema = v.object({ t: timeMs, usd: finite });

/** One completed window: its reset, length, final utilization and the snapshots before it. */
const BenchSessionSchema = v.pipe(
  v.object({
    reset: timeMs,
    duration_hours: v.pipe(finite, v.gtValue(0, "must be positive")),
    u_final: finite,
    snapshots: v.array(BenchSnapshotSchema, "must be an array"),
    /** quotacast extension: API-equivalent cost per minute of the window (claumon ignores it). */
    costs: v.optional(v.nullable(v.array(BenchCostSchema, "must be an array"))),
  }),
  v.transform((session): BenchWindow => ({
    resetsAtMs: session.reset,
    windowLengthMs: Math.round(session.duration_hours * HOUR_MS),
    finalUtilizationRatio: session.u_final,
    readings: session.snapshots
      .map((snap) => ({ observedAtMs: snap.t, utilizationRatio: snap.u }))
      .sort((a, b) => a.observedAtMs - b.observedAtMs),
    costs: (session.costs ?? []).map((c) => ({ timestampMs: c.t, costUsd: c.usd })),
  })),
);

/** The reference JSON format (claumon's), in internal units. */
const BenchDatasetSchema = v.pipe(
  v.object(
    {
      name: v.fallback(v.string(), "dataset"),
      sessions: v.array(BenchSessionSchema, "must be an array"),
    },
    // The object's message is also a missing key's.
    (issue) => (issue.input === undefined ? "missing" : "expected an object with name and sessions"),
  ),
  v.transform(({ name, sessions }) => ({ name, windows: sessions })),
);

export type BenchDataset = v.InferInput<typeof BenchDatasetSchema>;

/** A dataset window in internal units. */
export interface BenchWindow extends CompletedWindow {
  costs: CostPoint[];
}

/** Validates a parsed JSON dataset; throws with the path of the first bad field. */
export function parseBenchDataset(json: unknown): { name: string; windows: BenchWindow[] } {
  const parsed = parseWith(BenchDatasetSchema, json, "dataset");
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

export function toBenchDataset(name: string, windows: readonly BenchWindow[]): BenchDataset {
  return {
    name,
    sessions: windows.map((w) => ({
      reset: new Date(w.resetsAtMs).toISOString(),
      duration_hours: w.windowLengthMs / HOUR_MS,
      u_final: w.finalUtilizationRatio,
      snapshots: w.readings.map((r) => ({
        t: new Date(r.observedAtMs).toISOString(),
        u: r.utilizationRatio,
      })),
      ...(w.costs.length
        ? {
            costs: w.costs.map((c) => ({ t: new Date(c.timestampMs).toISOString(), usd: round6(c.costUsd) })),
          }
        : {}),
    })),
  };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

// ---------------------------------------------------------------- running the protocol

export type BenchProtocol = "loso" | "temporal";

export interface StrategyResult {
  name: string;
  overall: ScoreSummary;
  segments: { engaged: ScoreSummary; abandoned: ScoreSummary; near: ScoreSummary; far: ScoreSummary };
}

export interface BenchResult {
  dataset: string;
  protocol: BenchProtocol;
  windows: number;
  strategies: StrategyResult[];
  /** Milliseconds spent per strategy (fit + forecasts). */
  elapsedMs: Record<string, number>;
}

/** The time utilization first reached 100% in a window, or null. */
function actualExhaustionMs(w: CompletedWindow): number | null {
  for (const r of w.readings) if (r.utilizationRatio >= 1) return r.observedAtMs;
  return null;
}

/** A limit learned from the training windows' cost streams (null without costs). */
function learnedLimitFrom(training: readonly BenchWindow[]): FitContext {
  const learned = learnLimitFromWindows("bench", training);
  return { learnedLimit: learned && learned.samples >= 3 ? learned : null };
}

export function runForecastBench(
  datasetName: string,
  windows: readonly BenchWindow[],
  protocol: BenchProtocol,
  strategies: readonly Strategy[] = ALL_STRATEGIES,
  clock: () => number = () => 0,
): BenchResult {
  const sorted = windows.slice().sort((a, b) => a.resetsAtMs - b.resetsAtMs);
  const folds: Array<{ test: number[]; train: (i: number) => BenchWindow[] }> = [];
  if (protocol === "loso") {
    folds.push(
      ...sorted.map((w, i) => ({
        test: [i],
        train: () => sorted.filter((o, j) => j !== i && o.windowLengthMs === w.windowLengthMs),
      })),
    );
  } else {
    const cut = Math.floor(sorted.length * 0.6);
    const test = sorted.map((_, i) => i).filter((i) => i >= cut);
    folds.push({
      test,
      train: (i) => sorted.slice(0, cut).filter((o) => o.windowLengthMs === sorted[i].windowLengthMs),
    });
  }
  const medianFinal = quantileSorted(
    sorted.map((w) => w.finalUtilizationRatio).sort((a, b) => a - b),
    0.5,
  );
  const costHistory = sorted.flatMap((w) => w.costs).sort((a, b) => a.timestampMs - b.timestampMs);
  const scored = new Map<string, ScoredPoint[]>(strategies.map((s) => [s.name, []]));
  const elapsedMs: Record<string, number> = {};
  const horizons: number[] = [];
  // The limit learned from a fold's training windows is the same for every strategy: once per fold.
  const limits = new Map<string, FitContext>();
  const limitFor = (foldIndex: number, i: number, training: readonly BenchWindow[]): FitContext => {
    const key = `${foldIndex}:${sorted[i].windowLengthMs}`;
    let context = limits.get(key);
    if (!context) limits.set(key, (context = learnedLimitFrom(training)));
    return context;
  };
  for (const strategy of strategies) {
    const started = clock();
    for (const [foldIndex, fold] of folds.entries()) {
      // One fit per (fold, window length): the temporal holdout fits once per length.
      const fitted = new Map<number, ReturnType<Strategy["fit"]>>();
      for (const i of fold.test) {
        const w = sorted[i];
        if (w.readings.length === 0) continue;
        let predict = fitted.get(w.windowLengthMs);
        if (!predict) {
          const training = fold.train(i);
          predict = strategy.fit(training, w.windowLengthMs, {
            ...limitFor(foldIndex, i, training),
            costHistory,
          });
          fitted.set(w.windowLengthMs, predict);
        }
        const actualEta = actualExhaustionMs(w);
        for (const at of protocolPoints(w.readings[0].observedAtMs, w.resetsAtMs)) {
          const readings = w.readings.filter((r) => r.observedAtMs <= at);
          const costs = w.costs.filter((c) => c.timestampMs <= at);
          const f = predict({
            nowMs: at,
            resetsAtMs: w.resetsAtMs,
            windowLengthMs: w.windowLengthMs,
            readings,
            costStream: costs,
          });
          if (strategy === strategies[0]) horizons.push(w.resetsAtMs - at);
          if (!f) continue;
          const stillToCome = actualEta !== null && actualEta > at ? actualEta : null;
          const reached = readings.some((r) => r.utilizationRatio >= 1);
          scored
            .get(strategy.name)!
            .push(
              scorePoint(
                strategy.name,
                i,
                f.quantiles,
                w.finalUtilizationRatio,
                w.resetsAtMs - at,
                reached ? null : f.etaMs,
                reached ? null : stillToCome,
              ),
            );
        }
      }
    }
    elapsedMs[strategy.name] = clock() - started;
  }
  const medianHorizon = quantileSorted(
    horizons.sort((a, b) => a - b),
    0.5,
  );
  const climatology = scored.get("climatology");
  const climatologyCrps = (pts: ScoredPoint[] | undefined): number | null =>
    pts && pts.length ? pts.reduce((s, p) => s + p.crps, 0) / pts.length : null;
  const split = (pts: ScoredPoint[], f: (p: ScoredPoint) => boolean): ScoredPoint[] => pts.filter(f);
  const engaged = (p: ScoredPoint): boolean => p.finalRatio >= medianFinal;
  const near = (p: ScoredPoint): boolean => p.horizonMs < medianHorizon;
  const results = strategies.map((s): StrategyResult => {
    const pts = scored.get(s.name)!;
    const seg = (f: (p: ScoredPoint) => boolean): ScoreSummary =>
      summarize(split(pts, f), climatologyCrps(climatology ? split(climatology, f) : undefined));
    return {
      name: s.name,
      overall: summarize(pts, climatologyCrps(climatology)),
      segments: {
        engaged: seg(engaged),
        abandoned: seg((p) => !engaged(p)),
        near: seg(near),
        far: seg((p) => !near(p)),
      },
    };
  });
  return { dataset: datasetName, protocol, windows: sorted.length, strategies: results, elapsedMs };
}

// ---------------------------------------------------------------- synthetic regimes

export const SYNTHETIC_REGIMES = ["linear", "decel", "abandonment", "bursty", "drift"] as const;
export type SyntheticRegime = (typeof SYNTHETIC_REGIMES)[number];

const POLL_MS = 2 * 60_000;
const FIVE_HOURS_MS = 5 * HOUR_MS;
/** Typical burn: 13% of the 5-hour window per hour (about 65% by the reset). */
const BASE_RATE_PER_H = 0.13;

/** Rate multiplier over the window's elapsed fraction (0 = not working). */
type RateShape = (elapsedFraction: number) => number;

function windowShape(regime: SyntheticRegime, rng: Rng): RateShape {
  switch (regime) {
    case "linear":
    case "drift":
      return () => 1;
    case "decel": {
      // Works hard, then slows down late (from 35-75% of the window on) to a trickle.
      const switchAt = 0.35 + 0.4 * rng.next();
      return (f) => (f < switchAt ? 1.5 : 0.3);
    }
    case "abandonment": {
      // Half the windows stop for good part-way (10-80% of the window).
      const stopsAt = rng.next() < 0.5 ? 0.1 + 0.7 * rng.next() : Infinity;
      return (f) => (f < stopsAt ? 1 : 0);
    }
    case "bursty": {
      // On ~20 min, off ~40 min on average, at three times the rate while on.
      const switches: number[] = [];
      let t = 0;
      let on = true;
      while (t < 1) {
        t += exponentialDraw(rng, (on ? 20 : 40) / 300);
        switches.push(t);
        on = !on;
      }
      return (f) => {
        let state = true;
        for (const s of switches) {
          if (f < s) break;
          state = !state;
        }
        return state ? 3 : 0;
      };
    }
  }
}

/** 60 five-hour windows of one regime: 3 a day, polled every 2 minutes in whole percents, capped at 100%. */
export function syntheticWindows(
  regime: SyntheticRegime,
  opts: { windows?: number; seed?: number } = {},
): BenchWindow[] {
  const count = opts.windows ?? 60;
  const rng = createRng((opts.seed ?? 1) * 1000 + SYNTHETIC_REGIMES.indexOf(regime));
  const day0 = Date.UTC(2026, 8, 1);
  const out: BenchWindow[] = [];
  let startMs = day0 + 8 * HOUR_MS;
  for (let i = 0; i < count; i++) {
    if (i % 3 === 0) startMs = day0 + (i / 3) * 24 * HOUR_MS + (7 + 2 * rng.next()) * HOUR_MS;
    startMs = Math.round(startMs / 60_000) * 60_000;
    const trend = regime === "drift" ? Math.exp(Math.log(3) * (i / Math.max(1, count - 1) - 0.5)) : 1;
    const sigma = regime === "drift" ? 0.2 : 0.3;
    const rate = BASE_RATE_PER_H * trend * Math.exp(sigma * normalDraw(rng) - (sigma * sigma) / 2);
    const shape = windowShape(regime, rng);
    const resetsAtMs = startMs + FIVE_HOURS_MS;
    const readings = [];
    let u = 0;
    for (let t = startMs; t < resetsAtMs; t += POLL_MS) {
      const f = (t - startMs) / FIVE_HOURS_MS;
      const meanInc = rate * shape(f) * (POLL_MS / HOUR_MS);
      // Gamma increments (shape 0.5 per poll): activity is uneven from poll to poll.
      if (meanInc > 0) u = Math.min(1, u + gammaDraw(rng, 0.5, meanInc / 0.5));
      readings.push({ observedAtMs: t, utilizationRatio: Math.floor(u * 100 + 1e-9) / 100 });
    }
    const finalRatio = readings.reduce((m, r) => Math.max(m, r.utilizationRatio), 0);
    out.push({
      resetsAtMs,
      windowLengthMs: FIVE_HOURS_MS,
      finalUtilizationRatio: finalRatio,
      readings,
      costs: [],
    });
    startMs = resetsAtMs + (0.25 + 1.25 * rng.next()) * HOUR_MS;
  }
  return out;
}

/**
 * The latency case: a 5-hour window with 199 past windows and a 7-day window polled every
 * 2 minutes with 8 past weeks, both forecast together (the "all windows" call of a poll).
 */
export function latencyFixture(): ForecastInput[] {
  const past: BenchWindow[] = [
    ...syntheticWindows("bursty", { windows: 100, seed: 3 }),
    ...syntheticWindows("linear", { windows: 100, seed: 4 }),
  ];
  const current = past.pop() as BenchWindow;
  const nowMs = current.resetsAtMs - 2 * HOUR_MS;
  const weekMs = 7 * 24 * HOUR_MS;
  const rng = createRng(77);
  const weeks: BenchWindow[] = [];
  for (let k = 0; k < 9; k++) {
    const startMs = Date.UTC(2026, 5, 1) + k * weekMs;
    const ratePerH = (0.5 + rng.next()) / (7 * 24);
    const readings = [];
    for (let t = startMs; t < startMs + weekMs; t += POLL_MS) {
      readings.push({
        observedAtMs: t,
        utilizationRatio: Math.floor((100 * ratePerH * (t - startMs)) / HOUR_MS) / 100,
      });
    }
    const finalRatio = readings[readings.length - 1].utilizationRatio;
    weeks.push({
      resetsAtMs: startMs + weekMs,
      windowLengthMs: weekMs,
      finalUtilizationRatio: finalRatio,
      readings,
      costs: [],
    });
  }
  const week = weeks.pop() as BenchWindow;
  const weekNowMs = week.resetsAtMs - 3 * 24 * HOUR_MS;
  return [
    {
      window: "five_hour",
      nowMs,
      resetsAtMs: current.resetsAtMs,
      windowLengthMs: FIVE_HOURS_MS,
      readings: current.readings.filter((r) => r.observedAtMs <= nowMs),
      pastWindows: past,
    },
    {
      window: "seven_day",
      nowMs: weekNowMs,
      resetsAtMs: week.resetsAtMs,
      windowLengthMs: weekMs,
      readings: week.readings.filter((r) => r.observedAtMs <= weekNowMs),
      pastWindows: weeks,
    },
  ];
}

// ---------------------------------------------------------------- dataset from transcripts

export interface CostDatasetOptions {
  windowLengthMs: number;
  /** API-equivalent USD per 100% of the window. */
  limitUsd: number;
  pollMs?: number;
  /** Only windows that have reset by then are included (default: the last event). */
  nowMs?: number;
}

/**
 * Windows as Claude Code's would be: a window starts at the first event after the previous
 * one reset (floored to the hour) and lasts its length; utilization = cumulative cost in the
 * window / limit, polled every 2 minutes in whole percents. Costs are kept per minute,
 * each labelled with the end of its minute (when all of it has been spent).
 */
export function windowsFromCosts(costs: readonly CostPoint[], opts: CostDatasetOptions): BenchWindow[] {
  const pollMs = opts.pollMs ?? POLL_MS;
  const events = costs
    .filter((c) => Number.isFinite(c.timestampMs) && c.costUsd > 0)
    .sort((a, b) => a.timestampMs - b.timestampMs);
  if (events.length === 0 || !(opts.limitUsd > 0)) return [];
  const nowMs = opts.nowMs ?? events[events.length - 1].timestampMs;
  const out: BenchWindow[] = [];
  let i = 0;
  while (i < events.length) {
    const startMs = Math.floor(events[i].timestampMs / HOUR_MS) * HOUR_MS;
    const resetsAtMs = startMs + opts.windowLengthMs;
    const inWindow: CostPoint[] = [];
    while (i < events.length && events[i].timestampMs < resetsAtMs) inWindow.push(events[i++]);
    if (resetsAtMs > nowMs) break;
    // Each minute's costs are labelled with the minute's END: a forecast at a whole minute
    // sees only costs already spent, never the next 60 s (a label at the start flattered it).
    const perMinute = new Map<number, number>();
    for (const e of inWindow) {
      const minuteEnd = Math.floor(e.timestampMs / 60_000) * 60_000 + 60_000;
      perMinute.set(minuteEnd, (perMinute.get(minuteEnd) ?? 0) + e.costUsd);
    }
    const minuteCosts = [...perMinute.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([t, usd]) => ({ timestampMs: t, costUsd: usd }));
    const readings = [];
    let j = 0;
    let cumulative = 0;
    for (let t = startMs; t < resetsAtMs; t += pollMs) {
      while (j < inWindow.length && inWindow[j].timestampMs <= t) cumulative += inWindow[j++].costUsd;
      readings.push({
        observedAtMs: t,
        utilizationRatio: Math.floor((cumulative / opts.limitUsd) * 100 + 1e-9) / 100,
      });
    }
    const finalRatio = readings.reduce((m, r) => Math.max(m, r.utilizationRatio), 0);
    out.push({
      resetsAtMs,
      windowLengthMs: opts.windowLengthMs,
      finalUtilizationRatio: finalRatio,
      readings,
      costs: minuteCosts,
    });
  }
  return out;
}

// ---------------------------------------------------------------- report

function fmt(x: number | null, digits = 4): string {
  return x === null || !Number.isFinite(x) ? "-" : x.toFixed(digits);
}

function pct(x: number): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : "-";
}

/** The main table of one benchmark run, in Markdown. */
export function benchTableMarkdown(result: BenchResult): string {
  const lines = [
    `| strategy | CRPS | skill vs clim. | pinball | cov. 80% | MAE pp | bias pp | ETA MAE min (n) | n |`,
    `|---|---|---|---|---|---|---|---|---|`,
  ];
  for (const s of result.strategies) {
    const o = s.overall;
    lines.push(
      `| ${s.name} | ${fmt(o.crps)} | ${fmt(o.crpsSkill, 3)} | ${fmt(o.pinball)} | ${pct(o.coverage80)} | ${fmt(o.maePp, 2)} | ${fmt(o.biasPp, 2)} | ${fmt(o.etaMaeMinutes, 1)} (${o.etaPoints}) | ${o.n} |`,
    );
  }
  return lines.join("\n");
}

/** CRPS and coverage by segment, in Markdown. */
export function benchSegmentsMarkdown(result: BenchResult): string {
  const lines = [
    `| strategy | engaged CRPS | abandoned CRPS | near CRPS | far CRPS | cov. engaged | cov. abandoned | cov. near | cov. far |`,
    `|---|---|---|---|---|---|---|---|---|`,
  ];
  for (const s of result.strategies) {
    const g = s.segments;
    lines.push(
      `| ${s.name} | ${fmt(g.engaged.crps)} | ${fmt(g.abandoned.crps)} | ${fmt(g.near.crps)} | ${fmt(g.far.crps)} | ${pct(g.engaged.coverage80)} | ${pct(g.abandoned.coverage80)} | ${pct(g.near.coverage80)} | ${pct(g.far.coverage80)} |`,
    );
  }
  return lines.join("\n");
}

/** Our CRPS against the best other strategy (quotacast-cold excluded from the "others"). */
export function headline(
  result: BenchResult,
  ours = "quotacast",
): { ours: number; bestOther: string; bestOtherCrps: number; improvement: number; coverage80: number } {
  const mine = result.strategies.find((s) => s.name === ours);
  const others = result.strategies.filter((s) => !s.name.startsWith("quotacast") && s.overall.n > 0);
  const best = others.reduce((b, s) => (s.overall.crps < b.overall.crps ? s : b), others[0]);
  const oursCrps = mine ? mine.overall.crps : NaN;
  return {
    ours: oursCrps,
    bestOther: best?.name ?? "-",
    bestOtherCrps: best?.overall.crps ?? NaN,
    improvement: best ? 1 - oursCrps / best.overall.crps : NaN,
    coverage80: mine ? mine.overall.coverage80 : NaN,
  };
}
