/**
 * A one-shot command's first run fills an empty state with the usage of every transcript.
 * Through SQLite's write-ahead log each page reaches the disk twice (log, then checkpoint),
 * about 80 ms of a one-second first `daily` (bench/RESULTS.md). So a first build writes with
 * the rollback journal in memory and without syncs, and a marker file beside the database
 * says how far it got:
 * - `<pid>` while it runs. A run that finds the marker of a process that is gone discards the
 *   database (it holds only what the transcripts hold) and starts over.
 * - `built <boot id>` once it has finished. Its pages are in the kernel's page cache if not
 *   yet on the disk, and get there unless the machine stops first, so the build does not wait
 *   for a sync (6-9 ms of a first `daily`, more on a busy disk). The next run syncs the file
 *   and removes the marker if the machine has not restarted since (same boot id), and
 *   discards the database if it has. Without a boot id (not Linux) the build syncs at the end.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "@quotacast/core/statusline/atomic-write";
import { ensurePrivateDir } from "@quotacast/core/statusline/private-files";
import { openDatabase, type Db } from "./open";

export interface FirstBuild {
  /** Makes the build durable, or marks it built (see the header), back in the write-ahead log. */
  finish(): void;
}

function markerPath(dbPath: string): string {
  return `${dbPath}.first-build`;
}

/**
 * Settles what an earlier first build left: a finished one of this boot is synced and
 * unmarked; one whose process is gone, or finished before the machine restarted, is deleted
 * (killed mid-build, or its last pages lost, it may be torn). Call before opening `dbPath`.
 */
export function settleEarlierBuild(dbPath: string): void {
  const marker = markerPath(dbPath);
  let text: string;
  try {
    text = fs.readFileSync(marker, "utf8");
  } catch {
    return; // no marker: no first build under way or unsynced
  }
  const built = /^built (\S+)$/.exec(text);
  if (built !== null) {
    if (built[1] === bootId() && syncedIfPresent(dbPath)) {
      fs.rmSync(marker, { force: true });
      return;
    }
  } else {
    const pid = Number(text);
    if (Number.isInteger(pid) && pid !== process.pid && isRunning(pid)) return; // still building
  }
  for (const file of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, `${dbPath}-journal`, marker])
    fs.rmSync(file, { force: true });
}

/**
 * Opens the database for a command that reads once and closes: as a first build when it is
 * new or holds no usage yet and no other run is building it (`firstBuild` null otherwise).
 */
export function openForFirstBuild(dbPath: string): { db: Db; firstBuild: FirstBuild | null } {
  ensurePrivateDir(path.dirname(dbPath));
  if (!fs.existsSync(dbPath) && claimMarker(dbPath)) {
    // A new database is built in memory-journal mode from its first page: no write-ahead log
    // to set up only to leave it again (~6 ms).
    let db: Db;
    try {
      db = openDatabase(dbPath, { integrityCheck: false, unsyncedFirstBuild: true });
    } catch (err) {
      fs.rmSync(markerPath(dbPath), { force: true });
      throw err;
    }
    if (db.pragma("journal_mode", { simple: true }) === "memory")
      return { db, firstBuild: building(db, dbPath) };
    fs.rmSync(markerPath(dbPath), { force: true }); // another connection keeps it in WAL
    return { db, firstBuild: null };
  }
  const db = openDatabase(dbPath, { integrityCheck: false });
  return { db, firstBuild: beginFirstBuild(db, dbPath) };
}

/**
 * Starts a fast first build in an open database when its ledger is empty and no other
 * connection has it open (the journal mode cannot change then); null when it does not apply.
 */
function beginFirstBuild(db: Db, dbPath: string): FirstBuild | null {
  const empty =
    db.prepare("SELECT 1 FROM ledger_events LIMIT 1").get() === undefined &&
    db.prepare("SELECT 1 FROM ledger_cursors LIMIT 1").get() === undefined;
  if (!empty || !claimMarker(dbPath)) return null;
  if (db.pragma("journal_mode = MEMORY", { simple: true }) !== "memory") {
    fs.rmSync(markerPath(dbPath), { force: true });
    return null;
  }
  db.pragma("synchronous = OFF");
  return building(db, dbPath);
}

/** Writes this process's marker; false when another run's is there (it is building). */
function claimMarker(dbPath: string): boolean {
  try {
    fs.writeFileSync(markerPath(dbPath), String(process.pid), { flag: "wx", mode: 0o600 });
    return true;
  } catch {
    return false;
  }
}

function building(db: Db, dbPath: string): FirstBuild {
  return {
    finish() {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      const boot = bootId();
      if (boot !== null) {
        writeFileAtomic(markerPath(dbPath), `built ${boot}`, 0o600);
        return;
      }
      syncFile(dbPath);
      fs.rmSync(markerPath(dbPath), { force: true });
    },
  };
}

/** This boot of the machine (Linux), null where there is none to read. */
function bootId(): string | null {
  try {
    return fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || null;
  } catch {
    return null;
  }
}

/** Syncs the file to the disk; true when it is durable now (or gone, nothing to keep). */
function syncedIfPresent(file: string): boolean {
  try {
    syncFile(file);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT";
  }
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
