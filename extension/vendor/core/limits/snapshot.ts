// Generated from core/src/limits/snapshot.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * The one shape of rate-limit data, whatever source it came from. Units are
 * normalized where the data enters (each source module): ratios 0-1 (may exceed 1),
 * epoch milliseconds, currency units (not cents).
 */

/** Known window names; any new bucket keeps its own name (`string`). */
export type WindowName = "five_hour" | "seven_day" | "seven_day_opus" | "seven_day_sonnet" | (string & {});

export type SourceName = "statusline" | "oauth" | "header-file" | "admin" | (string & {});

export type WindowStatus = "allowed" | "warning" | "rejected" | "unknown";

export interface WindowReading {
  window: WindowName;
  /** 0-1, may exceed 1 when the user is over the limit. */
  utilizationRatio: number;
  /** Null when the source says the window has not started (or does not say). */
  resetsAtMs: number | null;
  /** Nominal window length: 5 h or 7 d. */
  windowLengthMs: number;
  status: WindowStatus;
  /** Model scope of a model-scoped weekly (`limits[].scope.model`). */
  scopeModel?: { id: string; displayName: string };
  source: SourceName;
  observedAtMs: number;
}

export interface ExtraUsage {
  isEnabled: boolean;
  /** Currency units (dollars, euros), not cents. */
  monthlyLimit: number | null;
  used: number | null;
  currency: string;
  utilizationRatio: number | null;
}

/**
 * The plan, as far as a front shows it (the `quotacast_plan_info` metric). Nothing that
 * names a person or an organization (email, name) is kept: it would end up in the
 * database and on `/api/v1/summary`.
 */
export interface PlanInfo {
  /** `claude_max`, `claude_pro`, ... or the credentials' `subscriptionType`. */
  subscriptionType?: string;
  /** `default_claude_max_20x`, ... */
  rateLimitTier?: string;
}

export interface RateLimitSnapshot {
  observedAtMs: number;
  source: SourceName;
  windows: WindowReading[];
  extraUsage?: ExtraUsage;
  plan?: PlanInfo;
}

/**
 * Whether a reading still describes the window open at `nowMs`: its reset is still ahead,
 * or, when the source gave no reset time, it is younger than the window's length. Anything
 * else is history (a 3-day-old "5-hour 92%" says nothing about now).
 */
export function isCurrentReading(reading: WindowReading, nowMs: number): boolean {
  if (reading.resetsAtMs !== null) return reading.resetsAtMs > nowMs;
  return nowMs - reading.observedAtMs < reading.windowLengthMs;
}

/**
 * A reading whose reset time has passed, as what that reset tells: the window started again at
 * 0%, observed at the (latest) reset. A weekly window resets on a fixed schedule, so its next
 * reset is a window length on; a 5-hour window starts with the next message, so its next reset
 * is unknown (and the reading stays current for one window length after the reset). A reading
 * whose reset is ahead (or unknown) is returned as is.
 */
export function readingAfterReset(reading: WindowReading, nowMs: number): WindowReading {
  if (reading.resetsAtMs === null || reading.resetsAtMs > nowMs || !(reading.windowLengthMs > 0))
    return reading;
  const fixedSchedule = reading.windowLengthMs >= SEVEN_DAYS_MS;
  const periods = fixedSchedule ? Math.floor((nowMs - reading.resetsAtMs) / reading.windowLengthMs) : 0;
  const lastResetMs = reading.resetsAtMs + periods * reading.windowLengthMs;
  return {
    ...reading,
    utilizationRatio: 0,
    resetsAtMs: fixedSchedule ? lastResetMs + reading.windowLengthMs : null,
    status: "allowed",
    observedAtMs: lastResetMs,
  };
}

export const FIVE_HOURS_MS = 5 * 3600_000;
export const SEVEN_DAYS_MS = 7 * 24 * 3600_000;
