// Generated from core/src/limits/statusline-feed.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * The statusline feed file: what `quotacast statusline` saves from the JSON Claude Code
 * writes to its stdin. The writer (exporter/src/commands/statusline.ts) stores
 * `rate_limits` exactly as Claude Code sent it (percent, unix seconds); this module is
 * where those units are normalized, once.
 */
import { FIVE_HOURS_MS, SEVEN_DAYS_MS, type WindowReading } from "./snapshot";
import { finiteNumber, isRecord, percentToRatio, stringOrNull, unixSecondsToMs } from "./units";

const STATUSLINE_FEED_VERSION = 1;

/** Claude Code's `rate_limits` object, as sent. */
export interface RawStatuslineRateLimits {
  five_hour?: { used_percentage?: number; resets_at?: number } | null;
  seven_day?: { used_percentage?: number; resets_at?: number } | null;
  [bucket: string]: unknown;
}

export interface StatuslineSessionCost {
  /** Claude Code's cumulative `cost.total_cost_usd` for the session. */
  costUsd: number;
  /** The session's cost when `day` began (sessions that span midnight). */
  baselineUsd: number;
  /** Local date `YYYY-MM-DD` of the last update. */
  day: string;
  lastSeenMs: number;
}

export interface StatuslineFeed {
  version: number;
  updatedAtMs: number;
  sessionId: string | null;
  transcriptPath: string | null;
  model: { id: string | null; displayName: string | null } | null;
  sessionCostUsd: number | null;
  /** The most recent valid `rate_limits` (kept when an update lacks them). */
  rateLimits: RawStatuslineRateLimits | null;
  rateLimitsObservedAtMs: number | null;
  sessions: Record<string, StatuslineSessionCost>;
}

/** Parses the feed file; null when it is not a feed of a known version. */
export function parseStatuslineFeed(text: string): StatuslineFeed | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(json) || json.version !== STATUSLINE_FEED_VERSION) return null;
  const updatedAtMs = finiteNumber(json.updatedAtMs);
  if (updatedAtMs === null) return null;
  const model = isRecord(json.model)
    ? { id: stringOrNull(json.model.id), displayName: stringOrNull(json.model.displayName) }
    : null;
  const sessions: Record<string, StatuslineSessionCost> = {};
  if (isRecord(json.sessions)) {
    for (const [id, value] of Object.entries(json.sessions)) {
      if (!isRecord(value)) continue;
      const costUsd = finiteNumber(value.costUsd);
      const day = stringOrNull(value.day);
      if (costUsd === null || day === null) continue;
      sessions[id] = {
        costUsd,
        baselineUsd: finiteNumber(value.baselineUsd) ?? 0,
        day,
        lastSeenMs: finiteNumber(value.lastSeenMs) ?? updatedAtMs,
      };
    }
  }
  return {
    version: STATUSLINE_FEED_VERSION,
    updatedAtMs,
    sessionId: stringOrNull(json.sessionId),
    transcriptPath: stringOrNull(json.transcriptPath),
    model,
    sessionCostUsd: finiteNumber(json.sessionCostUsd),
    rateLimits: isRecord(json.rateLimits) ? (json.rateLimits as RawStatuslineRateLimits) : null,
    rateLimitsObservedAtMs: finiteNumber(json.rateLimitsObservedAtMs),
    sessions,
  };
}

/** Readings from Claude Code's `rate_limits` (percent -> ratio, unix seconds -> ms). */
export function statuslineRateLimitsToReadings(
  rateLimits: RawStatuslineRateLimits,
  observedAtMs: number,
  source = "statusline",
): WindowReading[] {
  const readings: WindowReading[] = [];
  for (const [window, value] of Object.entries(rateLimits)) {
    if (!isRecord(value)) continue;
    const ratio = percentToRatio(value.used_percentage);
    if (ratio === null) continue;
    readings.push({
      window,
      utilizationRatio: ratio,
      resetsAtMs: unixSecondsToMs(value.resets_at),
      windowLengthMs: window.startsWith("five_hour") ? FIVE_HOURS_MS : SEVEN_DAYS_MS,
      status: "unknown",
      source,
      observedAtMs,
    });
  }
  return readings;
}
