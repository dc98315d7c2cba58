/**
 * Opening the exporter's SQLite database: WAL, `synchronous=NORMAL`, an integrity check
 * and the migrations. A file that is not a SQLite database, fails `quick_check`, or is
 * locked by another process is reported (path, what to do) and never recreated.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Database from "better-sqlite3";
import { migrate } from "./migrations";
import {
  PRIVATE_FILE_MODE,
  ensurePrivateDir,
  makeFilesPrivate,
} from "@quotacast/core/statusline/private-files";

export type Db = Database.Database;

export type DatabaseProblem = "corrupt" | "locked" | "unreadable";

/** A database the exporter must not use; `message` says what to do. */
export class DatabaseError extends Error {
  constructor(
    readonly problem: DatabaseProblem,
    readonly dbPath: string,
    message: string,
  ) {
    super(message);
    this.name = "DatabaseError";
  }
}

const SQLITE_HEADER = Buffer.from("SQLite format 3\0", "latin1");

/** `$XDG_DATA_HOME/quotacast/quotacast.db`, default `~/.local/share/quotacast/quotacast.db`. */
export function defaultDbPath(env: NodeJS.ProcessEnv = process.env, homeDir = os.homedir()): string {
  const xdg = (env.XDG_DATA_HOME ?? "").trim();
  const base = xdg !== "" && path.isAbsolute(xdg) ? xdg : path.join(homeDir, ".local", "share");
  return path.join(base, "quotacast", "quotacast.db");
}

export interface OpenOptions {
  /** How long to wait for another writer before calling the database locked. Default 5 s. */
  busyTimeoutMs?: number;
  /**
   * Run `PRAGMA quick_check` on open (default true). It reads the whole file: the one-shot
   * CLI skips it to start fast (SQLite still reports a damaged page when it reads one).
   */
  integrityCheck?: boolean;
  /**
   * Open with the rollback journal in memory and without syncs instead of the write-ahead
   * log: only for a first build (first-build.ts), which marks the database until it is durable.
   */
  unsyncedFirstBuild?: boolean;
}

let addonPath: string | null | undefined;

/**
 * better-sqlite3's native addon, where its build and its prebuilt binaries put it. Its own
 * lookup (the `bindings` package: a stack trace read, then a dozen paths tried) took ~3 ms of
 * every command. Null when it is not there: better-sqlite3 then looks for itself.
 */
function sqliteAddonPath(): string | null {
  if (addonPath === undefined) {
    try {
      addonPath = require.resolve("better-sqlite3/build/Release/better_sqlite3.node");
    } catch {
      addonPath = null;
    }
  }
  return addonPath;
}

/** The database and the files SQLite keeps beside it. */
function databaseFiles(dbPath: string): string[] {
  return [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, `${dbPath}-journal`];
}

/**
 * Opens (creating when absent) and migrates the database, or throws a DatabaseError.
 * The database and its `-wal`/`-shm` are 0600, its dir 0700 (see private-files.ts).
 */
export function openDatabase(dbPath: string, opts: OpenOptions = {}): Db {
  checkHeader(dbPath);
  ensurePrivateDir(path.dirname(dbPath));
  createPrivately(dbPath);
  // SQLite gives a new -wal/-shm the database file's mode, so these stay 0600 too.
  makeFilesPrivate(databaseFiles(dbPath));
  let db: Db;
  try {
    const nativeBinding = sqliteAddonPath();
    db = new Database(dbPath, {
      timeout: opts.busyTimeoutMs ?? 5000,
      ...(nativeBinding ? { nativeBinding } : {}),
    });
  } catch (err) {
    throw classify(err, dbPath);
  }
  try {
    // Checked before anything writes (switching to WAL rewrites the header).
    const check = opts.integrityCheck === false ? "ok" : db.pragma("quick_check", { simple: true });
    if (check !== "ok") {
      throw new DatabaseError(
        "corrupt",
        dbPath,
        `database ${dbPath} failed its integrity check (${String(check)}). Move it aside (it is kept as is) ` +
          `and start again: transcripts are re-read, rate-limit history in it is lost.`,
      );
    }
    // Another connection holding the database in WAL keeps it there: then the usual way.
    if (opts.unsyncedFirstBuild && db.pragma("journal_mode = MEMORY", { simple: true }) === "memory") {
      db.pragma("synchronous = OFF");
    } else {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
    }
    migrate(db);
    makeFilesPrivate(databaseFiles(dbPath));
    return db;
  } catch (err) {
    db.close();
    throw err instanceof DatabaseError ? err : classify(err, dbPath);
  }
}

/** An absent database file is created empty and 0600 (SQLite would create it 0644). */
function createPrivately(dbPath: string): void {
  try {
    fs.closeSync(
      fs.openSync(
        dbPath,
        fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY,
        PRIVATE_FILE_MODE,
      ),
    );
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw classify(err, dbPath);
  }
}

/** A non-empty file that does not start with the SQLite header is not ours to touch. */
function checkHeader(dbPath: string): void {
  let fd: number;
  try {
    fd = fs.openSync(dbPath, "r");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new DatabaseError(
      "unreadable",
      dbPath,
      `cannot read database ${dbPath}: ${(err as Error).message}. Fix its permissions or pass --db.path.`,
    );
  }
  try {
    const header = Buffer.alloc(SQLITE_HEADER.length);
    const bytes = fs.readSync(fd, header, 0, header.length, 0);
    if (bytes === 0) return;
    if (bytes < header.length || !header.equals(SQLITE_HEADER)) {
      throw new DatabaseError(
        "corrupt",
        dbPath,
        `${dbPath} is not a SQLite database. It was left untouched: move it aside or pass --db.path to use another file.`,
      );
    }
  } finally {
    fs.closeSync(fd);
  }
}

function classify(err: unknown, dbPath: string): DatabaseError {
  const code = (err as { code?: string }).code ?? "";
  const detail = err instanceof Error ? err.message : String(err);
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new DatabaseError(
      "locked",
      dbPath,
      `database ${dbPath} is locked by another process (${detail}). Stop the other quotacast serve, ` +
        `or pass --db.path to use another file.`,
    );
  }
  if (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB") {
    return new DatabaseError(
      "corrupt",
      dbPath,
      `database ${dbPath} is damaged (${detail}). It was left untouched: move it aside and start again.`,
    );
  }
  return new DatabaseError("unreadable", dbPath, `cannot open database ${dbPath}: ${detail}`);
}

/** True for any error raised by SQLite (better-sqlite3 codes all start with SQLITE_). */
export function isSqliteError(err: unknown): boolean {
  return ((err as { code?: unknown } | null)?.code ?? "").toString().startsWith("SQLITE_");
}

/** True for SQLite's "disk full" (also raised at the `max_page_count` limit). */
export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code ?? "";
  return code === "SQLITE_FULL";
}
