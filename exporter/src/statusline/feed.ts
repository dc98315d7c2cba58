/**
 * Updating the statusline feed from one Claude Code payload. The file's shape is
 * `StatuslineFeed` (core/src/limits/statusline-feed.ts), whose reader normalizes units;
 * `rate_limits` are stored as Claude Code sent them. Only node built-ins and type imports
 * here: this runs on every Claude Code update.
 */
import * as fs from "node:fs";
import type { RawStatuslineRateLimits, StatuslineFeed, StatuslineSessionCost } from "@quotacast/core";
import { writeFileAtomic } from "./atomic-write";

export const FEED_VERSION = 1;
/** Sessions not seen for this long are dropped from the feed. */
const SESSION_RETENTION_MS = 8 * 24 * 3600_000;

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const finite = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** Local calendar day `YYYY-MM-DD`. */
export function localDay(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The previous feed, or null when absent or not a feed (it will be replaced). */
export function readFeed(file: string): StatuslineFeed | null {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
  if (!isRecord(json) || json.version !== FEED_VERSION) return null;
  const sessions: Record<string, StatuslineSessionCost> = {};
  if (isRecord(json.sessions)) {
    for (const [id, s] of Object.entries(json.sessions)) {
      if (!isRecord(s) || finite(s.costUsd) === null || str(s.day) === null) continue;
      sessions[id] = {
        costUsd: s.costUsd as number,
        baselineUsd: finite(s.baselineUsd) ?? 0,
        day: s.day as string,
        lastSeenMs: finite(s.lastSeenMs) ?? 0,
      };
    }
  }
  return {
    version: FEED_VERSION,
    updatedAtMs: finite(json.updatedAtMs) ?? 0,
    sessionId: str(json.sessionId),
    transcriptPath: str(json.transcriptPath),
    model: isRecord(json.model) ? { id: str(json.model.id), displayName: str(json.model.displayName) } : null,
    sessionCostUsd: finite(json.sessionCostUsd),
    rateLimits: isRecord(json.rateLimits) ? (json.rateLimits as RawStatuslineRateLimits) : null,
    rateLimitsObservedAtMs: finite(json.rateLimitsObservedAtMs),
    sessions,
  };
}

/** `rate_limits` with at least one window carrying a numeric `used_percentage`; else null. */
export function validRateLimits(value: unknown): RawStatuslineRateLimits | null {
  if (!isRecord(value)) return null;
  const hasWindow = Object.values(value).some((w) => isRecord(w) && finite(w.used_percentage) !== null);
  return hasWindow ? (value as RawStatuslineRateLimits) : null;
}

function updateSession(
  previous: StatuslineSessionCost | undefined,
  costUsd: number,
  today: string,
  nowMs: number,
): StatuslineSessionCost {
  if (!previous) return { costUsd, baselineUsd: 0, day: today, lastSeenMs: nowMs };
  if (previous.day !== today) {
    // The session spans midnight: only what it costs from now on counts for today.
    return {
      costUsd,
      baselineUsd: costUsd >= previous.costUsd ? previous.costUsd : 0,
      day: today,
      lastSeenMs: nowMs,
    };
  }
  // A counter that went down is a restarted process: keep what was already counted.
  const baselineUsd =
    costUsd < previous.costUsd ? previous.baselineUsd - previous.costUsd : previous.baselineUsd;
  return { costUsd, baselineUsd, day: today, lastSeenMs: nowMs };
}

/** The next feed: this payload's fields, the last valid rate limits, per-session costs. */
export function nextFeed(previous: StatuslineFeed | null, payload: Json, nowMs: number): StatuslineFeed {
  const today = localDay(nowMs);
  const sessions: Record<string, StatuslineSessionCost> = {};
  for (const [id, s] of Object.entries(previous?.sessions ?? {})) {
    if (nowMs - s.lastSeenMs <= SESSION_RETENTION_MS) sessions[id] = s;
  }
  const sessionId = str(payload.session_id);
  const cost = isRecord(payload.cost) ? finite(payload.cost.total_cost_usd) : null;
  if (sessionId !== null && cost !== null)
    sessions[sessionId] = updateSession(sessions[sessionId], cost, today, nowMs);
  const rateLimits = validRateLimits(payload.rate_limits);
  const model = isRecord(payload.model)
    ? { id: str(payload.model.id), displayName: str(payload.model.display_name) }
    : (previous?.model ?? null);
  return {
    version: FEED_VERSION,
    updatedAtMs: nowMs,
    sessionId: sessionId ?? previous?.sessionId ?? null,
    transcriptPath: str(payload.transcript_path) ?? previous?.transcriptPath ?? null,
    model,
    sessionCostUsd: cost,
    rateLimits: rateLimits ?? previous?.rateLimits ?? null,
    rateLimitsObservedAtMs: rateLimits ? nowMs : (previous?.rateLimitsObservedAtMs ?? null),
    sessions,
  };
}

/** Today's cost: what every session seen today cost today. */
export function todayCostUsd(feed: StatuslineFeed, nowMs: number): number {
  const today = localDay(nowMs);
  let total = 0;
  for (const s of Object.values(feed.sessions))
    if (s.day === today) total += Math.max(0, s.costUsd - s.baselineUsd);
  return total;
}

export function saveFeed(file: string, feed: StatuslineFeed): void {
  writeFileAtomic(file, JSON.stringify(feed), 0o600);
}
