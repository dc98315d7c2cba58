// Generated from core/src/limits/history.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * Snapshot history: every reading of every window, kept so that forecasts can learn how
 * each window filled up, and how full each finished window ended.
 *
 * The API jitters reset times by seconds between polls (and sources disagree by a few
 * seconds), so a window's identity is its name plus its reset time rounded to the minute,
 * and readings whose resets lie within `SAME_WINDOW_TOLERANCE_MS` belong to one window.
 * `groupIntoWindows` is the one place that rule lives; every store (SQLite in the
 * exporter, `FileSnapshotHistory` for Raycast) reuses it.
 */
import type { RateLimitSnapshot, WindowName, WindowReading } from "./snapshot";

export const SAME_WINDOW_TOLERANCE_MS = 2 * 60_000;
export const DEFAULT_HISTORY_RETENTION_MS = 180 * 24 * 3600_000;

/** One occurrence of a window (for example the 5-hour window that reset at 14:00). */
export interface WindowOccurrence {
  window: WindowName;
  /** Reset time rounded to the minute: the occurrence's identity together with `window`. */
  resetsAtMs: number;
  /** `resetsAtMs - windowLengthMs`. */
  startsAtMs: number;
  windowLengthMs: number;
  scopeModel?: WindowReading["scopeModel"];
  /** Highest utilization observed in the occurrence: its final value once it has reset. */
  maxUtilizationRatio: number;
  /** Readings in observation order. */
  readings: WindowReading[];
}

export interface ReadingQuery {
  window: WindowName;
  /** Inclusive bounds on `observedAtMs`. */
  fromMs: number;
  toMs: number;
}

export interface SnapshotHistory {
  /** Stores every reading of the snapshot. Readings without a reset time are kept too. */
  append(snapshot: RateLimitSnapshot): Promise<void>;
  /** Readings of one window observed in [fromMs, toMs], oldest first. */
  readings(query: ReadingQuery): Promise<WindowReading[]>;
  /**
   * Occurrences of `window` that have reset by `nowMs` (resetsAtMs <= nowMs), oldest
   * first, with their final value and readings. `sinceMs` limits to occurrences that reset after it.
   */
  completedWindows(window: WindowName, nowMs: number, sinceMs?: number): Promise<WindowOccurrence[]>;
  /** Deletes readings observed before `nowMs - retentionMs`; returns how many were deleted. */
  prune(nowMs: number, retentionMs?: number): Promise<number>;
}

/** Reset time rounded to the nearest minute; the stable part of a window's identity. */
export function roundResetToMinute(resetsAtMs: number): number {
  return Math.round(resetsAtMs / 60_000) * 60_000;
}

/** A stable key for one window occurrence, for stores that want one (`five_hour@2026-11-22T14:00Z`). */
export function occurrenceKey(window: WindowName, roundedResetsAtMs: number): string {
  return `${window}@${new Date(roundedResetsAtMs).toISOString().slice(0, 16)}Z`;
}

/**
 * Groups readings into window occurrences. Pure. Readings without a reset time (window
 * not started) belong to no occurrence and are left out. A reading joins the occurrence of
 * the same window whose latest reset is within the tolerance of its own; otherwise it
 * starts a new one. Comparing with the latest reset (not the first) follows slow drift.
 * Output: sorted by window name, then reset time.
 */
export function groupIntoWindows(
  readings: readonly WindowReading[],
  toleranceMs = SAME_WINDOW_TOLERANCE_MS,
): WindowOccurrence[] {
  const sorted = readings
    .filter((r) => r.resetsAtMs !== null && Number.isFinite(r.resetsAtMs))
    .slice()
    .sort((a, b) => a.observedAtMs - b.observedAtMs);
  const byWindow = new Map<WindowName, Array<{ occurrence: WindowOccurrence; lastResetMs: number }>>();
  for (const reading of sorted) {
    const resetMs = reading.resetsAtMs as number;
    let groups = byWindow.get(reading.window);
    if (!groups) {
      groups = [];
      byWindow.set(reading.window, groups);
    }
    const match = groups.find((g) => Math.abs(g.lastResetMs - resetMs) <= toleranceMs);
    if (match) {
      match.lastResetMs = resetMs;
      match.occurrence.readings.push(reading);
      match.occurrence.maxUtilizationRatio = Math.max(
        match.occurrence.maxUtilizationRatio,
        reading.utilizationRatio,
      );
      if (!match.occurrence.scopeModel && reading.scopeModel)
        match.occurrence.scopeModel = reading.scopeModel;
      continue;
    }
    const roundedMs = roundResetToMinute(resetMs);
    groups.push({
      lastResetMs: resetMs,
      occurrence: {
        window: reading.window,
        resetsAtMs: roundedMs,
        startsAtMs: roundedMs - reading.windowLengthMs,
        windowLengthMs: reading.windowLengthMs,
        ...(reading.scopeModel ? { scopeModel: reading.scopeModel } : {}),
        maxUtilizationRatio: reading.utilizationRatio,
        readings: [reading],
      },
    });
  }
  const all = [...byWindow.values()].flatMap((groups) => groups.map((g) => g.occurrence));
  return all.sort((a, b) =>
    a.window < b.window ? -1 : a.window > b.window ? 1 : a.resetsAtMs - b.resetsAtMs,
  );
}

/** Occurrences that have reset by `nowMs`, optionally only those that reset after `sinceMs`. */
export function completedOnly(
  occurrences: readonly WindowOccurrence[],
  nowMs: number,
  sinceMs = -Infinity,
): WindowOccurrence[] {
  return occurrences.filter((o) => o.resetsAtMs <= nowMs && o.resetsAtMs > sinceMs);
}
