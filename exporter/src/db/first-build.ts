/**
 * A one-shot command's first run fills an empty state with the usage of every transcript.
 * Through SQLite's write-ahead log each page reaches the disk twice (log, then checkpoint),
 * about 80 ms of a one-second first `daily` (bench/RESULTS.md). So a first build writes with
 * the rollback journal in memory and without syncs, and a marker file beside the database
 * says so until the build is durable. A run that finds the marker of a process that is gone
 * discards the database (it holds only what the transcripts hold) and starts over.
 */
import * as fs from "node:fs";
import type { Db } from "./open";

export interface FirstBuild {
  /** Makes the build durable (back to the write-ahead log, synced) and removes the marker. */
  finish(): void;
}

function markerPath(dbPath: string): string {
  return `${dbPath}.first-build`;
}

/**
 * Deletes the database of a first build whose process is gone (killed mid-build, it may be
 * torn). Call before opening `dbPath`.
 */
export function discardUnfinishedBuild(dbPath: string): void {
  const marker = markerPath(dbPath);
  let pid: number;
  try {
    pid = Number(fs.readFileSync(marker, "utf8"));
  } catch {
    return; // no marker: no first build under way
  }
  if (Number.isInteger(pid) && pid !== process.pid && isRunning(pid)) return; // still building
  for (const file of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, `${dbPath}-journal`, marker])
    fs.rmSync(file, { force: true });
}

/**
 * Starts a fast first build when the ledger is empty and no other connection has the
 * database open (the journal mode cannot change then); null when it does not apply.
 */
export function beginFirstBuild(db: Db, dbPath: string): FirstBuild | null {
  const empty =
    db.prepare("SELECT 1 FROM ledger_events LIMIT 1").get() === undefined &&
    db.prepare("SELECT 1 FROM ledger_cursors LIMIT 1").get() === undefined;
  if (!empty) return null;
  const marker = markerPath(dbPath);
  try {
    fs.writeFileSync(marker, String(process.pid), { flag: "wx", mode: 0o600 });
  } catch {
    return null; // another run is building: this one writes the usual way
  }
  if (db.pragma("journal_mode = MEMORY", { simple: true }) !== "memory") {
    fs.rmSync(marker, { force: true });
    return null;
  }
  db.pragma("synchronous = OFF");
  return {
    finish() {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      syncFile(dbPath);
      fs.rmSync(marker, { force: true });
    },
  };
}

function syncFile(file: string): void {
  const fd = fs.openSync(file, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, another user's
  }
}
