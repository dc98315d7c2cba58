/**
 * Where the backfill's history comes from: the exporter's SQLite database when it exists
 * (its events include transcripts deleted since, and it holds the rate-limit history),
 * merged with a fresh read of the transcripts (what the exporter has not ingested yet).
 */
import * as fs from "node:fs";
import {
  claudeConfigDirs,
  keepBestCopies,
  MemoryLedgerStore,
  UsageLedger,
  defaultScanThreads,
  type PriceTable,
  type UsageEvent,
  type WindowReading,
} from "@quotacast/core";
import { SqliteLedgerStore } from "../db/ledger-store";
import { defaultDbPath, openDatabase, type Db } from "../db/open";
import { SqliteSnapshotHistory } from "../db/snapshot-history";

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
  /** Readings observed after this are not needed. */
  untilMs?: number;
}

/** Dedup winners of both lists, by the ledger's own rule. */
export function mergeEvents(a: readonly UsageEvent[], b: readonly UsageEvent[]): UsageEvent[] {
  return keepBestCopies([...a, ...b]);
}

/** Every counted event of the transcripts under the config dirs, read into memory. */
async function transcriptEvents(configDirs: string[]): Promise<UsageEvent[]> {
  const ledger = new UsageLedger({
    configDirs,
    store: new MemoryLedgerStore(),
    parallel: { threads: defaultScanThreads() },
  });
  await ledger.refresh();
  return ledger.events();
}

/** Every stored rate-limit reading up to `untilMs`, through the exporter's own history store. */
async function storedReadings(db: Db, untilMs = Number.MAX_SAFE_INTEGER): Promise<WindowReading[]> {
  const history = new SqliteSnapshotHistory(db);
  const windows = db
    .prepare("SELECT DISTINCT window FROM rate_limit_readings ORDER BY window")
    .pluck()
    .all() as string[];
  const readings: WindowReading[] = [];
  for (const window of windows) {
    readings.push(...(await history.readings({ window, fromMs: -Number.MAX_SAFE_INTEGER, toMs: untilMs })));
  }
  return readings;
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
  if (!fs.existsSync(dbPath))
    throw new Error(`database ${dbPath} does not exist (check --db.path, or pass --no-db)`);
  const db = openDatabase(dbPath);
  try {
    const stored = await new SqliteLedgerStore(db).allEvents();
    return {
      events: mergeEvents(stored, fromTranscripts),
      readings: await storedReadings(db, opts.untilMs),
      origin: `database ${dbPath} and ${dirs}`,
    };
  } finally {
    db.close();
  }
}
