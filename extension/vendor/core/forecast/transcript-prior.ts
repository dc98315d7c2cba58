// Generated from core/src/forecast/transcript-prior.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * What this user typically spends, by hour of week, from the local transcript history:
 * the forecaster's prior for a window when no completed window has been observed yet.
 * Hour-of-week means are shrunk toward hour-of-day means, themselves toward the overall
 * mean, so a few weeks of history give a usable profile.
 */
import { DAY_MS, HOUR_MS } from "../time";
import type { CostPoint } from "./series";
import { mean, variance } from "./stats";

export interface SpendPrior {
  /** Expected API-equivalent USD spent during each hour of the week (0 = Monday 00:00 local). */
  usdPerHourOfWeek: number[];
  /** Minutes east of UTC used for the local hour. */
  utcOffsetMinutes: number;
  /** Hours of history the profile was learned from. */
  historyHours: number;
  /** Coefficient of variation of the spend per local day over the history; null below 3 whole days. */
  dailySpendCv: number | null;
}

const HOURS_PER_WEEK = 168;
/** Shrinkage strength in observed hours. */
const SHRINK_HOURS = 3;

function hourOfWeek(ms: number, utcOffsetMinutes: number): number {
  const local = ms + utcOffsetMinutes * 60_000;
  const hours = Math.floor(local / HOUR_MS);
  // 1970-01-01 was a Thursday: shift so that 0 is Monday 00:00.
  return (((hours + 72) % HOURS_PER_WEEK) + HOURS_PER_WEEK) % HOURS_PER_WEEK;
}

/** Learns the profile from costs observed in [fromMs, toMs). Null when less than a day of history. */
export function buildSpendPrior(
  costs: readonly CostPoint[],
  opts: { fromMs: number; toMs: number; utcOffsetMinutes?: number },
): SpendPrior | null {
  const offset = opts.utcOffsetMinutes ?? 0;
  const firstHour = Math.floor(opts.fromMs / HOUR_MS);
  const lastHour = Math.floor((opts.toMs - 1) / HOUR_MS);
  const historyHours = lastHour - firstHour + 1;
  if (!(historyHours >= 24)) return null;
  const spent = new Array<number>(HOURS_PER_WEEK).fill(0);
  const seen = new Array<number>(HOURS_PER_WEEK).fill(0);
  for (let h = firstHour; h <= lastHour; h++) seen[hourOfWeek(h * HOUR_MS, offset)] += 1;
  let total = 0;
  // Indexed loops over the cost points (here and below): this runs once in a short process (the
  // menu bar), where for...of still allocates an iterator result per point.
  for (let i = 0; i < costs.length; i++) {
    const c = costs[i];
    if (c.timestampMs < opts.fromMs || c.timestampMs >= opts.toMs || !(c.costUsd > 0)) continue;
    spent[hourOfWeek(c.timestampMs, offset)] += c.costUsd;
    total += c.costUsd;
  }
  const overall = total / historyHours;
  const dayMean = new Array<number>(24).fill(0).map((_, hod) => {
    let s = 0;
    let n = 0;
    for (let d = 0; d < 7; d++) {
      s += spent[d * 24 + hod];
      n += seen[d * 24 + hod];
    }
    return (s + SHRINK_HOURS * overall) / (n + SHRINK_HOURS);
  });
  const usdPerHourOfWeek = spent.map(
    (s, how) => (s + SHRINK_HOURS * dayMean[how % 24]) / (seen[how] + SHRINK_HOURS),
  );
  return {
    usdPerHourOfWeek,
    utcOffsetMinutes: offset,
    historyHours,
    dailySpendCv: dailySpendCv(costs, opts.fromMs, opts.toMs, offset),
  };
}

/** How much one local day's spend differs from another's, over the whole days in [fromMs, toMs). */
function dailySpendCv(
  costs: readonly CostPoint[],
  fromMs: number,
  toMs: number,
  utcOffsetMinutes: number,
): number | null {
  const offsetMs = utcOffsetMinutes * 60_000;
  const firstDay = Math.ceil((fromMs + offsetMs) / DAY_MS);
  const endDay = Math.floor((toMs + offsetMs) / DAY_MS);
  const days = endDay - firstDay;
  if (days < 3) return null;
  const perDay = new Array<number>(days).fill(0);
  for (let i = 0; i < costs.length; i++) {
    const c = costs[i];
    const day = Math.floor((c.timestampMs + offsetMs) / DAY_MS) - firstDay;
    if (day >= 0 && day < days && c.costUsd > 0) perDay[day] += c.costUsd;
  }
  const m = mean(perDay);
  return m > 0 ? Math.sqrt(variance(perDay)) / m : null;
}

/** Expected spend between two instants according to the profile (fractional hours prorated). */
export function expectedSpendUsd(prior: SpendPrior, fromMs: number, toMs: number): number {
  let total = 0;
  let t = fromMs;
  while (t < toMs) {
    const next = Math.min(toMs, (Math.floor(t / HOUR_MS) + 1) * HOUR_MS);
    total += prior.usdPerHourOfWeek[hourOfWeek(t, prior.utcOffsetMinutes)] * ((next - t) / HOUR_MS);
    t = next;
  }
  return total;
}
