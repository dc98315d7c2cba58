// Generated from core/src/limits/statusline-feed.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * The statusline feed file: what `quotacast statusline` saves from the JSON Claude Code
 * writes to its stdin, as a schema shared by its writer (exporter/src/statusline/feed.ts)
 * and its readers. `rate_limits` are stored as Claude Code sent them (percent, unix seconds);
 * `statuslineRateLimitsToReadings` is where those units are normalized, once.
 */
import * as v from "valibot";
import { FIVE_HOURS_MS, SEVEN_DAYS_MS, type WindowReading } from "./snapshot";
import { finiteNumber, orNull, parseJsonWith, stringOrNull, validEntries, type Parsed } from "../schema";
import { percentToRatio, unixSecondsToMs } from "./units";

const STATUSLINE_FEED_VERSION = 1;

/** One window of Claude Code's `rate_limits`, as sent: percent and unix seconds. */
const RawRateLimitWindowSchema = v.object({
  used_percentage: finiteNumber,
  resets_at: orNull(finiteNumber),
});

/**
 * Claude Code's `rate_limits` (`five_hour`, `seven_day`, any new window): the windows with a
 * usable `used_percentage`, as sent. Without one there are no rate limits.
 */
export const StatuslineRateLimitsSchema = v.pipe(
  validEntries(RawRateLimitWindowSchema),
  v.check((windows) => Object.keys(windows).length > 0, "no window with a used_percentage"),
);
export type RawStatuslineRateLimits = v.InferOutput<typeof StatuslineRateLimitsSchema>;

const SessionCostSchema = v.object({
  /** Claude Code's cumulative `cost.total_cost_usd` for the session. */
  costUsd: finiteNumber,
  /** The session's cost when `day` began (sessions that span midnight). */
  baselineUsd: v.fallback(finiteNumber, 0),
  /** Local date `YYYY-MM-DD` of the last update. */
  day: v.string(),
  /** Absent in a hand-edited feed: the feed's own update time. */
  lastSeenMs: orNull(finiteNumber),
});

const StatuslineFeedSchema = v.pipe(
  v.object({
    version: v.literal(STATUSLINE_FEED_VERSION),
    updatedAtMs: finiteNumber,
    sessionId: stringOrNull,
    transcriptPath: stringOrNull,
    model: orNull(v.object({ id: stringOrNull, displayName: stringOrNull })),
    sessionCostUsd: orNull(finiteNumber),
    /** The most recent valid `rate_limits` (kept when an update lacks them). */
    rateLimits: orNull(StatuslineRateLimitsSchema),
    rateLimitsObservedAtMs: orNull(finiteNumber),
    /** Per-session costs; an entry without a cost or a day is left out. */
    sessions: v.fallback(validEntries(SessionCostSchema), {}),
  }),
  v.transform((feed) => {
    const sessions: Record<string, StatuslineSessionCost> = {};
    for (const [id, s] of Object.entries(feed.sessions))
      sessions[id] = { ...s, lastSeenMs: s.lastSeenMs ?? feed.updatedAtMs };
    return { ...feed, sessions };
  }),
);

export type StatuslineSessionCost = Omit<v.InferOutput<typeof SessionCostSchema>, "lastSeenMs"> & {
  lastSeenMs: number;
};
export type StatuslineFeed = v.InferOutput<typeof StatuslineFeedSchema>;

/** The feed file's content, or why it is not a feed of a known version (`where` names the file). */
export function parseStatuslineFeed(text: string, where = "statusline feed"): Parsed<StatuslineFeed> {
  return parseJsonWith(StatuslineFeedSchema, text, where);
}

/** Readings from Claude Code's `rate_limits` (percent -> ratio, unix seconds -> ms). */
export function statuslineRateLimitsToReadings(
  rateLimits: RawStatuslineRateLimits,
  observedAtMs: number,
  source = "statusline",
): WindowReading[] {
  return Object.entries(rateLimits).map(([window, w]) => ({
    window,
    utilizationRatio: percentToRatio(w.used_percentage),
    resetsAtMs: w.resets_at === null ? null : unixSecondsToMs(w.resets_at),
    windowLengthMs: window.startsWith("five_hour") ? FIVE_HOURS_MS : SEVEN_DAYS_MS,
    status: "unknown",
    source,
    observedAtMs,
  }));
}
