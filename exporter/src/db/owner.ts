/**
 * One `quotacast serve` per database. Two servers on one file would each keep their own
 * in-memory totals of a ledger the other one also writes, so the second is refused with
 * a clear message. Readers (backfill, status) are not affected: this is not a SQLite lock.
 */
import { randomUUID } from "node:crypto";
import * as os from "node:os";
import { DatabaseError, type Db } from "./open";

/** A heartbeat older than this means the owner is gone (killed, machine rebooted). */
const OWNER_STALE_MS = 3 * 60_000;
export const OWNER_HEARTBEAT_MS = 60_000;

interface OwnerRow {
  instance: string;
  pid: number;
  hostname: string;
  started_at_ms: number;
  heartbeat_ms: number;
}

/** A claim on the database; `instance` tells two servers in one process apart. */
export interface Ownership {
  instance: string;
}

/** Claims the database for this server, or throws DatabaseError("locked") naming the owner. */
export function claimOwnership(db: Db, dbPath: string, nowMs: number, isAlive = processIsAlive): Ownership {
  const instance = randomUUID();
  db.transaction(() => {
    const owner = db
      .prepare("SELECT instance, pid, hostname, started_at_ms, heartbeat_ms FROM server_owner WHERE id = 1")
      .get() as OwnerRow | undefined;
    if (owner && ownerIsActive(owner, nowMs, isAlive)) {
      throw new DatabaseError(
        "locked",
        dbPath,
        `database ${dbPath} is in use by another quotacast serve (pid ${owner.pid} on ${owner.hostname}, ` +
          `since ${new Date(owner.started_at_ms).toISOString()}). Stop it first, or pass --db.path to use another file.`,
      );
    }
    db.prepare(
      "INSERT OR REPLACE INTO server_owner (id, instance, pid, hostname, started_at_ms, heartbeat_ms) " +
        "VALUES (1, ?, ?, ?, ?, ?)",
    ).run(instance, process.pid, os.hostname(), nowMs, nowMs);
  }).immediate();
  return { instance };
}

export function touchOwnership(db: Db, ownership: Ownership, nowMs: number): void {
  db.prepare("UPDATE server_owner SET heartbeat_ms = ? WHERE id = 1 AND instance = ?").run(
    nowMs,
    ownership.instance,
  );
}

export function releaseOwnership(db: Db, ownership: Ownership): void {
  db.prepare("DELETE FROM server_owner WHERE id = 1 AND instance = ?").run(ownership.instance);
}

function ownerIsActive(owner: OwnerRow, nowMs: number, isAlive: (pid: number) => boolean): boolean {
  if (nowMs - owner.heartbeat_ms > OWNER_STALE_MS) return false;
  // On this machine the process table is the truth; elsewhere only the heartbeat can tell.
  return owner.hostname === os.hostname() ? isAlive(owner.pid) : true;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
