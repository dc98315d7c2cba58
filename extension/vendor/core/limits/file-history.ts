// Generated from core/src/limits/file-history.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * `SnapshotHistory` on a `StatePort` (Raycast's Cache, a file in the CLI): the readings as
 * compact JSON lines under one key. Consecutive readings of a window that say nothing new
 * (same utilization, same window occurrence) are not stored again, which keeps months of
 * 5-minute polling small.
 */
import type { StatePort } from "../io/ports";
import type { RateLimitSnapshot, WindowName, WindowReading, WindowStatus } from "./snapshot";
import {
  DEFAULT_HISTORY_RETENTION_MS,
  SAME_WINDOW_TOLERANCE_MS,
  completedOnly,
  groupIntoWindows,
  type ReadingQuery,
  type SnapshotHistory,
  type WindowOccurrence,
} from "./history";

const FILE_HISTORY_KEY = "quotacast-limits-history-v1";

/** [observedAtMs, window, utilizationRatio, resetsAtMs, windowLengthMs, status, source, scopeId?, scopeName?] */
type Row = [number, string, number, number | null, number, string, string, string?, string?];

function toRow(r: WindowReading): Row {
  const row: Row = [
    r.observedAtMs,
    r.window,
    r.utilizationRatio,
    r.resetsAtMs,
    r.windowLengthMs,
    r.status,
    r.source,
  ];
  if (r.scopeModel) row.push(r.scopeModel.id, r.scopeModel.displayName);
  return row;
}

function fromRow(row: unknown): WindowReading | null {
  if (!Array.isArray(row) || row.length < 7) return null;
  const [observedAtMs, window, ratio, resetsAtMs, lengthMs, status, source, scopeId, scopeName] = row as Row;
  if (typeof observedAtMs !== "number" || typeof window !== "string" || typeof ratio !== "number")
    return null;
  return {
    window,
    utilizationRatio: ratio,
    resetsAtMs: typeof resetsAtMs === "number" ? resetsAtMs : null,
    windowLengthMs: typeof lengthMs === "number" ? lengthMs : 0,
    status: (typeof status === "string" ? status : "unknown") as WindowStatus,
    ...(typeof scopeId === "string"
      ? { scopeModel: { id: scopeId, displayName: scopeName ?? scopeId } }
      : {}),
    source: typeof source === "string" ? source : "unknown",
    observedAtMs,
  };
}

function saysNothingNew(previous: WindowReading | undefined, next: WindowReading): boolean {
  if (!previous || previous.utilizationRatio !== next.utilizationRatio || previous.status !== next.status)
    return false;
  if (previous.resetsAtMs === null || next.resetsAtMs === null)
    return previous.resetsAtMs === next.resetsAtMs;
  return Math.abs(previous.resetsAtMs - next.resetsAtMs) <= SAME_WINDOW_TOLERANCE_MS;
}

export class FileSnapshotHistory implements SnapshotHistory {
  private rows: WindowReading[] | null = null;

  constructor(
    private readonly state: StatePort,
    private readonly key = FILE_HISTORY_KEY,
  ) {}

  private async load(): Promise<WindowReading[]> {
    if (this.rows) return this.rows;
    const text = (await this.state.load(this.key)) ?? "";
    const rows: WindowReading[] = [];
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      try {
        const reading = fromRow(JSON.parse(line));
        if (reading) rows.push(reading);
      } catch {
        // A damaged line loses only itself.
      }
    }
    rows.sort((a, b) => a.observedAtMs - b.observedAtMs);
    this.rows = rows;
    return rows;
  }

  private async persist(rows: WindowReading[]): Promise<void> {
    this.rows = rows;
    await this.state.save(this.key, rows.map((r) => JSON.stringify(toRow(r))).join("\n"));
  }

  async append(snapshot: RateLimitSnapshot): Promise<void> {
    const rows = await this.load();
    let changed = false;
    for (const reading of snapshot.windows) {
      const previous = findLast(
        rows,
        (r) => r.window === reading.window && r.observedAtMs <= reading.observedAtMs,
      );
      if (saysNothingNew(previous, reading)) continue;
      rows.push(reading);
      changed = true;
    }
    if (!changed) return;
    rows.sort((a, b) => a.observedAtMs - b.observedAtMs);
    await this.persist(rows);
  }

  async readings(query: ReadingQuery): Promise<WindowReading[]> {
    const rows = await this.load();
    return rows.filter(
      (r) => r.window === query.window && r.observedAtMs >= query.fromMs && r.observedAtMs <= query.toMs,
    );
  }

  async completedWindows(window: WindowName, nowMs: number, sinceMs?: number): Promise<WindowOccurrence[]> {
    const rows = await this.load();
    return completedOnly(groupIntoWindows(rows.filter((r) => r.window === window)), nowMs, sinceMs);
  }

  async prune(nowMs: number, retentionMs = DEFAULT_HISTORY_RETENTION_MS): Promise<number> {
    const rows = await this.load();
    const cutoffMs = nowMs - retentionMs;
    const kept = rows.filter((r) => r.observedAtMs >= cutoffMs);
    const removed = rows.length - kept.length;
    if (removed > 0) await this.persist(kept);
    return removed;
  }
}

function findLast<T>(items: readonly T[], predicate: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i])) return items[i];
  return undefined;
}
