/**
 * What the one-shot commands (`daily`, `status`, ...) keep between runs: their own SQLite
 * ledger and snapshot history, so a transcript that Claude Code deletes never makes a
 * total go down and a repeated run reads only appended bytes.
 *
 * The file is separate from the exporter's database on purpose: a running exporter keeps
 * its counters in memory from its own commits, so a second writer to its ledger would
 * make it miss messages. One file per set of config dirs keeps each set's totals apart.
 */
import { createHash } from "node:crypto";
import * as path from "node:path";
import { UsageLedger, defaultScanThreads, type SnapshotHistory } from "@quotacast/core";
import { defaultDbPath, openDatabase, type Db } from "./db/open";
import { SqliteLedgerStore } from "./db/ledger-store";
import { SqliteSnapshotHistory } from "./db/snapshot-history";

export interface CliState {
  ledger: UsageLedger;
  history: SnapshotHistory;
  close(): void;
}

/** `<data dir>/quotacast/cli-<hash of the config dirs>.db`. */
export function cliStatePath(configDirs: readonly string[], env: NodeJS.ProcessEnv = process.env): string {
  const hash = createHash("sha256")
    .update(JSON.stringify([...configDirs].sort()))
    .digest("hex")
    .slice(0, 12);
  return path.join(path.dirname(defaultDbPath(env)), `cli-${hash}.db`);
}

export function openCliState(configDirs: string[], dbPath = cliStatePath(configDirs)): CliState {
  const db: Db = openDatabase(dbPath);
  return {
    // A first run reads the whole history: in worker threads, one per core.
    ledger: new UsageLedger({
      configDirs,
      store: new SqliteLedgerStore(db),
      parallel: { threads: defaultScanThreads() },
    }),
    history: new SqliteSnapshotHistory(db),
    close: () => db.close(),
  };
}
