/**
 * The compact status line: `opus-4-5 | 5h 42% (2h13m) | 7d 18% (3d4h) | $12.40 today (Claude Code)`.
 * The cost is Claude Code's own session cost summed over today's sessions, labelled so it
 * is not taken for `quotacast status`'s "Today" (API-equivalent cost of the transcripts).
 */
import type { RawStatuslineRateLimits } from "@quotacast/core/limits/statusline-feed";
// core's format module alone (no core index): the statusline runs on every Claude Code update.
import { formatDuration, formatUsd } from "@quotacast/core/report/format";

function windowPart(
  label: string,
  w: RawStatuslineRateLimits[string] | undefined,
  nowMs: number,
): string | null {
  if (w === undefined) return null;
  const resetsAtMs = w.resets_at !== null ? w.resets_at * 1000 : null;
  // The window has reset since: its old percentage would mislead.
  if (resetsAtMs !== null && resetsAtMs <= nowMs) return null;
  const countdown = resetsAtMs !== null ? ` (${formatDuration(resetsAtMs - nowMs)})` : "";
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
  if (parts.todayCostUsd !== null) out.push(`${formatUsd(parts.todayCostUsd)} today (Claude Code)`);
  return out.length > 0 ? out.join(" | ") : "quotacast";
}
