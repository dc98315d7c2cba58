/**
 * Schema versions. Each migration runs once, in order, inside one write transaction
 * (`BEGIN IMMEDIATE`, which is also how a database locked by another writer is noticed).
 */
import type Database from "better-sqlite3";

type Migration = (db: Database.Database) => void;

const MIGRATIONS: Migration[] = [
  // 1: ledger, rate-limit history, learned parameters, persisted counters.
  (db) => {
    db.exec(`
      CREATE TABLE ledger_cursors (
        path TEXT PRIMARY KEY,
        dev REAL NOT NULL,
        ino REAL NOT NULL,
        size_bytes INTEGER NOT NULL,
        mtime_ms REAL NOT NULL,
        offset_bytes INTEGER NOT NULL
      );
      CREATE TABLE ledger_events (
        key TEXT PRIMARY KEY,
        timestamp_ms INTEGER NOT NULL,
        model TEXT NOT NULL,
        session_id TEXT NOT NULL,
        project TEXT NOT NULL,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        cache_creation_tokens INTEGER NOT NULL,
        cache_creation_1h_tokens INTEGER NOT NULL,
        cache_read_tokens INTEGER NOT NULL,
        speed TEXT NOT NULL,
        is_sidechain INTEGER NOT NULL,
        recorded_cost_usd REAL
      ) WITHOUT ROWID;
      CREATE INDEX ledger_events_by_time ON ledger_events (timestamp_ms);
      CREATE TABLE rate_limit_readings (
        id INTEGER PRIMARY KEY,
        observed_at_ms INTEGER NOT NULL,
        source TEXT NOT NULL,
        window TEXT NOT NULL,
        utilization_ratio REAL NOT NULL,
        resets_at_ms INTEGER,
        window_length_ms INTEGER NOT NULL,
        status TEXT NOT NULL,
        scope_model_id TEXT,
        scope_model_name TEXT
      );
      CREATE INDEX rate_limit_readings_by_window ON rate_limit_readings (window, observed_at_ms);
      CREATE INDEX rate_limit_readings_by_time ON rate_limit_readings (observed_at_ms);
      CREATE TABLE source_state (
        source TEXT PRIMARY KEY,
        snapshot_json TEXT,
        status_json TEXT NOT NULL,
        next_poll_at_ms INTEGER NOT NULL,
        updated_at_ms INTEGER NOT NULL
      );
      CREATE TABLE learned_params (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at_ms INTEGER NOT NULL
      );
      CREATE TABLE counters (
        name TEXT NOT NULL,
        labels TEXT NOT NULL,
        value REAL NOT NULL,
        PRIMARY KEY (name, labels)
      ) WITHOUT ROWID;
    `);
  },
  // 2: which `quotacast serve` owns the database (one writer of the in-memory totals).
  (db) => {
    db.exec(`
      CREATE TABLE server_owner (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        instance TEXT NOT NULL,
        pid INTEGER NOT NULL,
        hostname TEXT NOT NULL,
        started_at_ms INTEGER NOT NULL,
        heartbeat_ms INTEGER NOT NULL
      );
    `);
  },
  // 3: per-day totals by zone, project and model, kept with each ledger commit (db/day-totals.ts).
  (db) => {
    db.exec(`
      CREATE TABLE usage_day_zones (
        timezone TEXT PRIMARY KEY,
        prices TEXT NOT NULL
      );
      CREATE TABLE usage_day_totals (
        timezone TEXT NOT NULL,
        day TEXT NOT NULL,
        project TEXT NOT NULL,
        model TEXT NOT NULL,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        cache_creation_tokens INTEGER NOT NULL,
        cache_read_tokens INTEGER NOT NULL,
        cost_usd REAL NOT NULL,
        unpriced_events INTEGER NOT NULL,
        events INTEGER NOT NULL,
        PRIMARY KEY (timezone, day, project, model)
      ) WITHOUT ROWID;
    `);
  },
  // 4: the distinct models of the ledger, so a run lists them without scanning every event.
  (db) => {
    db.exec(`
      CREATE TABLE ledger_models (model TEXT PRIMARY KEY) WITHOUT ROWID;
      INSERT INTO ledger_models SELECT DISTINCT model FROM ledger_events;
    `);
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the schema to SCHEMA_VERSION; refuses a database written by a newer quotacast. */
export function migrate(db: Database.Database): void {
  db.exec("BEGIN IMMEDIATE");
  try {
    db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    const row = db.prepare("SELECT version FROM schema_version").get() as { version: number } | undefined;
    const current = row?.version ?? 0;
    if (current > SCHEMA_VERSION) {
      throw new Error(
        `database schema version ${current} is newer than this quotacast understands (${SCHEMA_VERSION}): upgrade quotacast`,
      );
    }
    for (let version = current; version < SCHEMA_VERSION; version++) MIGRATIONS[version](db);
    if (row) db.prepare("UPDATE schema_version SET version = ?").run(SCHEMA_VERSION);
    else db.prepare("INSERT INTO schema_version (version) VALUES (?)").run(SCHEMA_VERSION);
    db.exec("COMMIT");
  } catch (err) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw err;
  }
}

/** The schema version stored in the database (0 when none). */
export function schemaVersion(db: Database.Database): number {
  const row = db.prepare("SELECT version FROM schema_version").get() as { version: number } | undefined;
  return row?.version ?? 0;
}
