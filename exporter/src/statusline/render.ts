/**
 * The compact status line: `opus-4-5 | 5h 42% (2h13m) | 7d 18% (3d4h) | $12.40 today (Claude Code)`.
 * The cost is Claude Code's own session cost summed over today's sessions, labelled so it
 * is not taken for `quotacast status`'s "Today" (API-equivalent cost of the transcripts).
 */
import type { RawStatuslineRateLimits } from "@quotacast/core";

/**
 * `45m`, `2h13m`, `3d4h`: core's formatDuration, the one countdown format of every front
 * (rounded to the minute, so 59.6 minutes read `1h00m` here as in `status`). Written out
 * here because this hot path imports no core module; a test holds the two equal.
 */
export function formatCountdown(ms: number): string {
  const totalMinutes = Math.max(0, Math.round(ms / 60_000));
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  if (days > 0) return `${days}d${hours}h`;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, "0")}m`;
  return `${minutes}m`;
}

/**
 * `claude-opus-4-5-20251101` -> `opus-4-5`: core's shortModelName, the one naming of models,
 * written out here because this hot path imports no core module; a test holds the two equal.
 */
export function shortModelName(model: string): string {
  const match = /^claude-(.+?)(?:-\d{8})?$/.exec(model);
  return match ? match[1] : model;
}

function windowPart(label: string, value: unknown, nowMs: number): string | null {
  if (typeof value !== "object" || value === null) return null;
  const w = value as { used_percentage?: unknown; resets_at?: unknown };
  if (typeof w.used_percentage !== "number" || !Number.isFinite(w.used_percentage)) return null;
  const resetsAtMs =
    typeof w.resets_at === "number" && Number.isFinite(w.resets_at) ? w.resets_at * 1000 : null;
  // The window has reset since: its old percentage would mislead.
  if (resetsAtMs !== null && resetsAtMs <= nowMs) return null;
  const countdown = resetsAtMs !== null ? ` (${formatCountdown(resetsAtMs - nowMs)})` : "";
  return `${label} ${Math.round(w.used_percentage)}%${countdown}`;
}

export interface StatusLineParts {
  modelName: string | null;
  rateLimits: RawStatuslineRateLimits | null;
  todayCostUsd: number | null;
}

export function formatStatusLine(parts: StatusLineParts, nowMs: number): string {
  const out: string[] = [];
  if (parts.modelName) out.push(parts.modelName);
  if (parts.rateLimits) {
    const fiveHour = windowPart("5h", parts.rateLimits.five_hour, nowMs);
    const sevenDay = windowPart("7d", parts.rateLimits.seven_day, nowMs);
    if (fiveHour) out.push(fiveHour);
    if (sevenDay) out.push(sevenDay);
  }
  if (parts.todayCostUsd !== null) out.push(`$${parts.todayCostUsd.toFixed(2)} today (Claude Code)`);
  return out.length > 0 ? out.join(" | ") : "quotacast";
}
