/**
 * Small persisted state beside the ledger: learned parameters (a StatePort for core's
 * forecaster), counters that must survive restarts, and each source's latest answer.
 */
import type { RateLimitSnapshot, SourceStatus, StatePort } from "@quotacast/core";
import type { Db } from "./open";

/** Learned parameters (limits, priors) as a StatePort. */
export class SqliteParams implements StatePort {
  constructor(
    private readonly db: Db,
    private readonly nowMs: () => number = Date.now,
  ) {}

  async load(key: string): Promise<string | null> {
    const row = this.db.prepare("SELECT value FROM learned_params WHERE key = ?").get(key) as
      { value: string } | undefined;
    return row?.value ?? null;
  }

  async save(key: string, value: string): Promise<void> {
    this.db
      .prepare("INSERT OR REPLACE INTO learned_params (key, value, updated_at_ms) VALUES (?, ?, ?)")
      .run(key, value, this.nowMs());
  }
}

/** A counter's value per label set; labels are stored as sorted JSON. */
export type CounterValues = Map<string, number>;

export function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b))));
}

export function parseLabelKey(key: string): Record<string, string> {
  return JSON.parse(key) as Record<string, string>;
}

export class SqliteCounters {
  constructor(private readonly db: Db) {}

  load(name: string): CounterValues {
    const rows = this.db.prepare("SELECT labels, value FROM counters WHERE name = ?").all(name) as Array<{
      labels: string;
      value: number;
    }>;
    return new Map(rows.map((r) => [r.labels, r.value]));
  }

  /** Saves every value of the given counters in one transaction. */
  save(counters: Record<string, CounterValues>): void {
    const put = this.db.prepare("INSERT OR REPLACE INTO counters (name, labels, value) VALUES (?, ?, ?)");
    this.db.transaction(() => {
      for (const [name, values] of Object.entries(counters)) {
        for (const [labels, value] of values) put.run(name, labels, value);
      }
    })();
  }
}

export interface StoredSourceState {
  source: string;
  snapshot: RateLimitSnapshot | null;
  status: SourceStatus;
  /** When the source said it may be polled again (kept so a restart does not poll early). */
  nextPollAtMs: number;
}

/** Each source's latest snapshot and status, so a restart shows the last known limits at once. */
export class SqliteSourceStates {
  constructor(private readonly db: Db) {}

  loadAll(): StoredSourceState[] {
    // Earlier versions stored the profile's email and names: drop them from the rows.
    this.db
      .prepare(
        "UPDATE source_state SET snapshot_json = json_remove(snapshot_json, '$.plan.email', '$.plan.displayName', '$.plan.organizationName') " +
          "WHERE json_valid(snapshot_json) AND json_extract(snapshot_json, '$.plan') IS NOT NULL " +
          "AND coalesce(json_extract(snapshot_json, '$.plan.email'), json_extract(snapshot_json, '$.plan.displayName'), json_extract(snapshot_json, '$.plan.organizationName')) IS NOT NULL",
      )
      .run();
    const rows = this.db
      .prepare("SELECT source, snapshot_json, status_json, next_poll_at_ms FROM source_state")
      .all() as Array<{
      source: string;
      snapshot_json: string | null;
      status_json: string;
      next_poll_at_ms: number;
    }>;
    const states: StoredSourceState[] = [];
    for (const row of rows) {
      try {
        states.push({
          source: row.source,
          snapshot: row.snapshot_json === null ? null : (JSON.parse(row.snapshot_json) as RateLimitSnapshot),
          status: JSON.parse(row.status_json) as SourceStatus,
          nextPollAtMs: row.next_poll_at_ms,
        });
      } catch {
        // An unreadable row is only a cache: skip it.
      }
    }
    return states;
  }

  save(state: StoredSourceState, nowMs: number): void {
    this.db
      .prepare(
        "INSERT INTO source_state (source, snapshot_json, status_json, next_poll_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?) " +
          "ON CONFLICT (source) DO UPDATE SET snapshot_json = coalesce(excluded.snapshot_json, snapshot_json), " +
          "status_json = excluded.status_json, next_poll_at_ms = excluded.next_poll_at_ms, updated_at_ms = excluded.updated_at_ms",
      )
      .run(
        state.source,
        state.snapshot ? JSON.stringify(state.snapshot) : null,
        JSON.stringify(state.status),
        Math.round(state.nextPollAtMs),
        nowMs,
      );
  }
}
