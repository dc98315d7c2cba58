/**
 * Rate-limit history on SQLite: one row per window reading. Grouping readings into window
 * occurrences is core's `groupIntoWindows`, the one place that rule lives.
 */
import type { RateLimitSnapshot, WindowName, WindowReading, WindowStatus } from "@quotacast/core";
import {
  completedOnly,
  DEFAULT_HISTORY_RETENTION_MS,
  groupIntoWindows,
  SAME_WINDOW_TOLERANCE_MS,
  type ReadingQuery,
  type SnapshotHistory,
  type WindowOccurrence,
} from "@quotacast/core/limits/history";
import type { Db } from "./open";

interface ReadingRow {
  observed_at_ms: number;
  source: string;
  window: string;
  utilization_ratio: number;
  resets_at_ms: number | null;
  window_length_ms: number;
  status: string;
  scope_model_id: string | null;
  scope_model_name: string | null;
}

const COLUMNS =
  "observed_at_ms, source, window, utilization_ratio, resets_at_ms, window_length_ms, status, scope_model_id, scope_model_name";

export class SqliteSnapshotHistory implements SnapshotHistory {
  private readonly insert;
  private readonly byWindow;
  private readonly deleteBefore;
  private readonly appendAll: (readings: WindowReading[]) => void;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      `INSERT INTO rate_limit_readings (${COLUMNS}) VALUES ` +
        "(@observed_at_ms, @source, @window, @utilization_ratio, @resets_at_ms, @window_length_ms, @status, @scope_model_id, @scope_model_name)",
    );
    this.byWindow = db.prepare(
      `SELECT ${COLUMNS} FROM rate_limit_readings WHERE window = ? AND observed_at_ms BETWEEN ? AND ? ORDER BY observed_at_ms, id`,
    );
    this.deleteBefore = db.prepare("DELETE FROM rate_limit_readings WHERE observed_at_ms < ?");
    this.appendAll = db.transaction((readings: WindowReading[]) => {
      for (const reading of readings) this.insert.run(toRow(reading));
    });
  }

  async append(snapshot: RateLimitSnapshot): Promise<void> {
    this.appendAll(snapshot.windows);
  }

  async readings(query: ReadingQuery): Promise<WindowReading[]> {
    return (this.byWindow.all(query.window, query.fromMs, query.toMs) as ReadingRow[]).map(fromRow);
  }

  async completedWindows(window: WindowName, nowMs: number, sinceMs?: number): Promise<WindowOccurrence[]> {
    // Readings of occurrences that reset after `sinceMs` were observed at most one window length before.
    const fromMs =
      sinceMs === undefined ? -Number.MAX_SAFE_INTEGER : sinceMs - longestWindowMs(this.db, window);
    const readings = await this.readings({ window, fromMs, toMs: nowMs });
    return completedOnly(groupIntoWindows(readings, SAME_WINDOW_TOLERANCE_MS), nowMs, sinceMs);
  }

  /** Every window name with stored readings. */
  windowNames(): WindowName[] {
    return (
      this.db.prepare("SELECT DISTINCT window FROM rate_limit_readings ORDER BY window").all() as Array<{
        window: string;
      }>
    ).map((r) => r.window);
  }

  async prune(nowMs: number, retentionMs = DEFAULT_HISTORY_RETENTION_MS): Promise<number> {
    return this.deleteBefore.run(nowMs - retentionMs).changes;
  }
}

function longestWindowMs(db: Db, window: WindowName): number {
  const row = db
    .prepare("SELECT max(window_length_ms) AS ms FROM rate_limit_readings WHERE window = ?")
    .get(window) as {
    ms: number | null;
  };
  return row.ms ?? 0;
}

function toRow(r: WindowReading): ReadingRow {
  return {
    observed_at_ms: Math.round(r.observedAtMs),
    source: r.source,
    window: r.window,
    utilization_ratio: r.utilizationRatio,
    resets_at_ms: r.resetsAtMs === null ? null : Math.round(r.resetsAtMs),
    window_length_ms: Math.round(r.windowLengthMs),
    status: r.status,
    scope_model_id: r.scopeModel?.id ?? null,
    scope_model_name: r.scopeModel?.displayName ?? null,
  };
}

function fromRow(row: ReadingRow): WindowReading {
  const reading: WindowReading = {
    window: row.window,
    utilizationRatio: row.utilization_ratio,
    resetsAtMs: row.resets_at_ms,
    windowLengthMs: row.window_length_ms,
    status: row.status as WindowStatus,
    source: row.source,
    observedAtMs: row.observed_at_ms,
  };
  if (row.scope_model_id !== null) {
    reading.scopeModel = { id: row.scope_model_id, displayName: row.scope_model_name ?? row.scope_model_id };
  }
  return reading;
}
