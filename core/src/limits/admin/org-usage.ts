/**
 * Organization usage from the Admin API ("console mode"): month-to-date Claude Code cost
 * per user and per model, cost report totals, and an end-of-month projection. Pure; the
 * report pages are read (and cents made USD) in reports.ts.
 */
import { DAY_MS } from "../../time";
import type { ClaudeCodeUsageRecord } from "./reports";

export interface OrgUserUsage {
  /** Email for user actors, key name for API actors. */
  actor: string;
  actorType: "user" | "api_key" | "unknown";
  costUsd: number;
  sessions: number;
  linesAdded: number;
  linesRemoved: number;
  commits: number;
  pullRequests: number;
}

export interface OrgModelUsage {
  model: string;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
}

export interface OrgUsage {
  observedAtMs: number;
  /** UTC month start. */
  monthStartMs: number;
  /** Claude Code cost this month (usage report, estimated). */
  monthToDateUsd: number;
  /** Organization-wide cost report total this month; null when it could not be read. */
  costReportMonthToDateUsd: number | null;
  perUser: OrgUserUsage[];
  perModel: OrgModelUsage[];
  /** Claude Code cost per UTC day, oldest first. */
  perDay: Array<{ date: string; costUsd: number }>;
  projectedMonthUsd: number | null;
  /** Length of the window the projection's rate came from (30 min ... 7 d). */
  projectionWindowMs: number | null;
  projectionRateUsdPerHour: number | null;
}

const USER_COUNTS = ["sessions", "linesAdded", "linesRemoved", "commits", "pullRequests"] as const;
const MODEL_COUNTS = [
  "costUsd",
  "inputTokens",
  "outputTokens",
  "cacheReadTokens",
  "cacheCreationTokens",
] as const;

function zeros<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
}

/** Adds `from`'s counts named in `keys` into `into`. */
function addCounts<K extends string>(
  into: Record<K, number>,
  from: Record<K, number>,
  keys: readonly K[],
): void {
  for (const key of keys) into[key] += from[key];
}

/** Per-user, per-model and per-day totals of the month's records. */
export function aggregateClaudeCode(
  records: readonly ClaudeCodeUsageRecord[],
): Pick<OrgUsage, "monthToDateUsd" | "perUser" | "perModel" | "perDay"> {
  const users = new Map<string, OrgUserUsage>();
  const models = new Map<string, OrgModelUsage>();
  const days = new Map<string, number>();
  let total = 0;
  for (const r of records) {
    const cost = r.models.reduce((s, m) => s + m.costUsd, 0);
    total += cost;
    days.set(r.date, (days.get(r.date) ?? 0) + cost);
    const u = users.get(r.actor) ?? {
      actor: r.actor,
      actorType: r.actorType,
      costUsd: 0,
      ...zeros(USER_COUNTS),
    };
    u.costUsd += cost;
    addCounts(u, r, USER_COUNTS);
    users.set(r.actor, u);
    for (const m of r.models) {
      const agg = models.get(m.model) ?? { model: m.model, ...zeros(MODEL_COUNTS) };
      addCounts(agg, m, MODEL_COUNTS);
      models.set(m.model, agg);
    }
  }
  return {
    monthToDateUsd: total,
    perUser: [...users.values()].sort((a, b) => b.costUsd - a.costUsd),
    perModel: [...models.values()].sort((a, b) => b.costUsd - a.costUsd),
    perDay: [...days.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([date, costUsd]) => ({ date, costUsd })),
  };
}

/** Rate windows tried longest first (seed 004's progressive fallback, reversed to prefer more data). */
const PROJECTION_WINDOWS_MS = [
  7 * 24 * 3600_000,
  24 * 3600_000,
  6 * 3600_000,
  3 * 3600_000,
  3600_000,
  30 * 60_000,
];

export interface CostSample {
  atMs: number;
  /** Month-to-date cost at `atMs`. */
  monthToDateUsd: number;
}

function valueAt(samples: readonly CostSample[], atMs: number): number | null {
  if (samples.length === 0 || atMs < samples[0].atMs) return null;
  for (let i = samples.length - 1; i >= 0; i--) {
    const a = samples[i];
    if (a.atMs <= atMs) {
      const b = samples[i + 1];
      if (!b || b.atMs === a.atMs) return a.monthToDateUsd;
      return a.monthToDateUsd + ((b.monthToDateUsd - a.monthToDateUsd) * (atMs - a.atMs)) / (b.atMs - a.atMs);
    }
  }
  return null;
}

/**
 * End-of-month projection: the rate over the longest recent window that the samples
 * fully cover, held until `monthEndMs`. Samples: cumulative month-to-date cost over time.
 */
export function projectMonthEnd(
  samples: readonly CostSample[],
  nowMs: number,
  monthEndMs: number,
): { projectedMonthUsd: number; windowMs: number; rateUsdPerHour: number } | null {
  const sorted = samples.filter((s) => s.atMs <= nowMs).sort((a, b) => a.atMs - b.atMs);
  const current = valueAt(sorted, nowMs);
  if (current === null) return null;
  for (const windowMs of PROJECTION_WINDOWS_MS) {
    const past = valueAt(sorted, nowMs - windowMs);
    if (past === null) continue;
    const ratePerMs = Math.max(0, current - past) / windowMs;
    return {
      projectedMonthUsd: current + ratePerMs * Math.max(0, monthEndMs - nowMs),
      windowMs,
      rateUsdPerHour: ratePerMs * 3600_000,
    };
  }
  return null;
}

/**
 * Cumulative samples from per-day costs: 0 at month start, then the running total at the
 * end of every UTC day up to now (days without records add nothing), the last one at now.
 */
export function samplesFromDays(
  perDay: ReadonlyArray<{ date: string; costUsd: number }>,
  monthStartMs: number,
  nowMs: number,
): CostSample[] {
  const costByDate = new Map(perDay.map((d) => [d.date, d.costUsd]));
  const samples: CostSample[] = [{ atMs: monthStartMs, monthToDateUsd: 0 }];
  let running = 0;
  for (let dayStartMs = monthStartMs; dayStartMs < nowMs; dayStartMs += DAY_MS) {
    running += costByDate.get(utcDate(dayStartMs)) ?? 0;
    samples.push({ atMs: Math.min(dayStartMs + DAY_MS, nowMs), monthToDateUsd: running });
  }
  return samples;
}

export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function utcMonthBounds(nowMs: number): { startMs: number; endMs: number } {
  const d = new Date(nowMs);
  return {
    startMs: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1),
    endMs: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1),
  };
}
