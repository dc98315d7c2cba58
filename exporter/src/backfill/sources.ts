/**
 * Where the backfill's history comes from: the exporter's SQLite database when it exists
 * (its events include transcripts deleted since, and it holds the rate-limit history),
 * merged with a fresh read of the transcripts (what the exporter has not ingested yet).
 */
import * as fs from "node:fs";
import {
  claudeConfigDirs,
  isBetterCopy,
  MemoryLedgerStore,
  UsageLedger,
  type PriceTable,
  type UsageEvent,
  type WindowReading,
} from "@quotacast/core";
import { SqliteLedgerStore } from "../db/ledger-store";
import { defaultDbPath, openDatabase, type Db } from "../db/open";

export interface BackfillHistory {
  events: UsageEvent[];
  readings: WindowReading[];
  /** What was read, for the user (`database ~/.local/share/quotacast/quotacast.db and 2 config dirs`). */
  origin: string;
  prices?: PriceTable;
}

export interface LoadOptions {
  /** The exporter's database; undefined = its default path when that file exists; null = none. */
  dbPath?: string | null;
  /** Claude config dirs; default: `claudeConfigDirs()`. */
  configDirs?: string[];
}

/** Dedup winners of both lists, by the ledger's own rule. */
export function mergeEvents(a: readonly UsageEvent[], b: readonly UsageEvent[]): UsageEvent[] {
  const byKey = new Map<string, UsageEvent>();
  for (const event of a) byKey.set(event.key, event);
  for (const event of b) {
    const current = byKey.get(event.key);
    if (!current || isBetterCopy(event, current)) byKey.set(event.key, event);
  }
  return [...byKey.values()];
}

/** Every counted event of the transcripts under the config dirs, read into memory. */
export async function transcriptEvents(configDirs: string[]): Promise<UsageEvent[]> {
  const ledger = new UsageLedger({ configDirs, store: new MemoryLedgerStore() });
  await ledger.refresh();
  return ledger.events();
}

interface ReadingRow {
  observed_at_ms: number;
  source: string;
  window: string;
  utilization_ratio: number;
  resets_at_ms: number | null;
  window_length_ms: number;
  status: string;
}

/** Every stored rate-limit reading, oldest first. */
export function storedReadings(db: Db): WindowReading[] {
  const rows = db
    .prepare(
      "SELECT observed_at_ms, source, window, utilization_ratio, resets_at_ms, window_length_ms, status " +
        "FROM rate_limit_readings ORDER BY observed_at_ms",
    )
    .all() as ReadingRow[];
  return rows.map((row) => ({
    window: row.window,
    utilizationRatio: row.utilization_ratio,
    resetsAtMs: row.resets_at_ms,
    windowLengthMs: row.window_length_ms,
    status: row.status as WindowReading["status"],
    source: row.source,
    observedAtMs: row.observed_at_ms,
  }));
}

export async function loadBackfillHistory(opts: LoadOptions = {}): Promise<BackfillHistory> {
  const configDirs = opts.configDirs ?? claudeConfigDirs();
  const dbPath = opts.dbPath === undefined ? defaultDbPath() : opts.dbPath;
  const fromTranscripts = await transcriptEvents(configDirs);
  const dirs = `${configDirs.length} config dir${configDirs.length === 1 ? "" : "s"}`;
  // An explicit --db.path must exist; the default one is used only when the exporter has created it.
  if (dbPath === null || (opts.dbPath === undefined && !fs.existsSync(dbPath))) {
    return { events: fromTranscripts, readings: [], origin: `${dirs}, no database` };
  }
  if (!fs.existsSync(dbPath)) throw new Error(`database ${dbPath} does not exist (check --db.path, or pass --no-db)`);
  const db = openDatabase(dbPath);
  try {
    const stored = await new SqliteLedgerStore(db).allEvents();
    return {
      events: mergeEvents(stored, fromTranscripts),
      readings: storedReadings(db),
      origin: `database ${dbPath} and ${dirs}`,
    };
  } finally {
    db.close();
  }
}
