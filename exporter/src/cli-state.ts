/**
 * What the one-shot commands (`daily`, `status`, ...) keep between runs: their own SQLite
 * ledger and snapshot history, so a transcript that Claude Code deletes never makes a
 * total go down and a repeated run reads only appended bytes.
 *
 * The file is separate from the exporter's database on purpose: a running exporter keeps
 * its counters in memory from its own commits, so a second writer to its ledger would
 * make it miss messages. One file per set of config dirs keeps each set's totals apart.
 */
import * as path from "node:path";
import { UsageLedger, defaultScanThreads, type RefreshProgress } from "@quotacast/core/ingest";
import type { SnapshotHistory } from "@quotacast/core/limits/history";
import { defaultDbPath, openDatabase } from "./db/open";
import { DayTotals } from "./db/day-totals";
import { openForFirstBuild, settleEarlierBuild } from "./db/first-build";
import { SqliteLedgerStore } from "./db/ledger-store";
import { SqliteSnapshotHistory } from "./db/snapshot-history";
import { sha256Hex } from "./hash";

export interface CliState {
  ledger: UsageLedger;
  store: SqliteLedgerStore;
  /** Per-day totals for `daily`, `weekly` and `monthly` (kept with every commit). */
  dayTotals: DayTotals;
  history: SnapshotHistory;
  close(): void;
}

/** `<data dir>/quotacast/cli-<hash of the config dirs>.db`. */
function cliStatePath(configDirs: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  const hash = sha256Hex(JSON.stringify([...configDirs].sort())).slice(0, 12);
  return path.join(path.dirname(defaultDbPath(env)), `cli-${hash}.db`);
}

export interface CliStateOptions {
  dbPath?: string;
  /** A first scan's progress (the commands' stderr progress line). */
  onProgress?: (progress: RefreshProgress) => void;
  /**
   * Write a first ingest without the write-ahead log until `close` (db/first-build.ts): for
   * commands that close soon after one refresh, not for the long-running `watch`.
   */
  fastFirstBuild?: boolean;
}

/**
 * Scan workers (one core left for the main thread) on machines with four cores or more. A
 * first run reads the whole history, and on two cores no split of it paid off (506 MB in
 * 1,473 files, medians of 5-9 cold runs): on 2026-12-02 one worker took 881 ms and two 882 ms
 * against 809 ms in this thread alone; this thread reading too, with a worker taking files
 * from the end, 844 vs 826 ms (1.41 s of CPU instead of 1.01 s: a second isolate compiles the
 * parser again); a worker reading the files for this thread to parse their usage lines, 948
 * vs 847 ms (lines parsed away from the core that read them run slower). On 2026-12-03, with
 * the WebAssembly parser, one worker 852 and two 863 vs 826 ms; a worker thread writing the
 * SQLite commits behind this one, 794 vs 767 ms (this thread's reads slowed by a third while
 * the other core was busy). Issue 14's notes have the profiles.
 */
function cliParallelism(): { parallel?: { threads: number } } {
  const cores = defaultScanThreads();
  return cores >= 4 ? { parallel: { threads: cores - 1 } } : {};
}

/**
 * A first build commits once, at the end: killed midway, it is discarded whole
 * (db/first-build.ts), so commits along the way would keep nothing, and one commit writes
 * every row in key order (the B-tree fills page by page). A first daily of 16,032 responses:
 * inserts 66-100 -> 49-51 ms, the store's writes 117-154 -> 97-104 ms, wall 735 -> 701 ms.
 */
const FIRST_BUILD_COMMITS = { commitEveryEvents: Number.POSITIVE_INFINITY };

export function openCliState(configDirs: string[], opts: CliStateOptions = {}): CliState {
  const dbPath = opts.dbPath ?? cliStatePath(configDirs);
  settleEarlierBuild(dbPath);
  const { db, firstBuild } = opts.fastFirstBuild
    ? openForFirstBuild(dbPath)
    : { db: openDatabase(dbPath, { integrityCheck: false }), firstBuild: null };
  const dayTotals = new DayTotals(db);
  const store = new SqliteLedgerStore(db, dayTotals);
  return {
    ledger: new UsageLedger({
      configDirs,
      store,
      ...cliParallelism(),
      ...(firstBuild ? FIRST_BUILD_COMMITS : {}),
      onProgress: opts.onProgress,
    }),
    store,
    dayTotals,
    history: new SqliteSnapshotHistory(db),
    close: () => {
      firstBuild?.finish();
      db.close();
    },
  };
}
