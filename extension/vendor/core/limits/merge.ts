// Generated from core/src/limits/merge.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * Merging snapshots from several sources: per window, the freshest valid observation
 * wins, and each reading keeps the name of the source it came from.
 */
import { isCurrentReading, type PlanInfo, type RateLimitSnapshot, type WindowReading } from "./snapshot";

const MERGED_SOURCE = "merged";

function isValidReading(reading: WindowReading, nowMs: number | undefined): boolean {
  if (!Number.isFinite(reading.utilizationRatio) || !Number.isFinite(reading.observedAtMs)) return false;
  // A reading whose window has already reset no longer says anything about the current one.
  return nowMs === undefined || isCurrentReading(reading, nowMs);
}

/** Freshest valid reading per window name; ordered by window name. */
export function mergeWindows(snapshots: readonly RateLimitSnapshot[], nowMs?: number): WindowReading[] {
  const best = new Map<string, WindowReading>();
  for (const snapshot of snapshots) {
    for (const reading of snapshot.windows) {
      if (!isValidReading(reading, nowMs)) continue;
      const current = best.get(reading.window);
      if (!current || reading.observedAtMs > current.observedAtMs) best.set(reading.window, reading);
    }
  }
  return [...best.values()].sort((a, b) => (a.window < b.window ? -1 : a.window > b.window ? 1 : 0));
}

/** The fields of `PlanInfo`: only these are copied (a snapshot stored by an older version may hold more). */
const PLAN_FIELDS = ["subscriptionType", "rateLimitTier"] as const;

/** Plan fields from every snapshot, the fresher snapshot winning field by field. */
function mergePlans(snapshots: readonly RateLimitSnapshot[]): PlanInfo | undefined {
  const withPlan = snapshots.filter((s) => s.plan).sort((a, b) => a.observedAtMs - b.observedAtMs);
  if (withPlan.length === 0) return undefined;
  const plan: PlanInfo = {};
  for (const s of withPlan) {
    for (const key of PLAN_FIELDS) {
      const value = s.plan?.[key];
      if (typeof value === "string" && value !== "") plan[key] = value;
    }
  }
  return plan;
}

/** One snapshot of everything known: merged windows, freshest extra usage, merged plan. Null when empty. */
export function mergeSnapshots(
  snapshots: readonly RateLimitSnapshot[],
  nowMs?: number,
): RateLimitSnapshot | null {
  if (snapshots.length === 0) return null;
  const windows = mergeWindows(snapshots, nowMs);
  const extra = snapshots
    .filter((s) => s.extraUsage)
    .sort((a, b) => b.observedAtMs - a.observedAtMs)[0]?.extraUsage;
  const plan = mergePlans(snapshots);
  return {
    observedAtMs: Math.max(...snapshots.map((s) => s.observedAtMs)),
    source: MERGED_SOURCE,
    windows,
    ...(extra ? { extraUsage: extra } : {}),
    ...(plan ? { plan } : {}),
  };
}
