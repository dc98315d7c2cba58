/**
 * The menu bar runs every minute over histories of thousands of transcripts, most of them
 * untouched for weeks. A transcript not modified since the Summary's horizon (its mtime is
 * older than `sinceMs()`) holds only events older than anything the menu bar shows, so it is
 * reported as absent (its events stay in the ledger, like those of a deleted file).
 *
 * To keep a warm run from costing a stat per old file, the files found idle are remembered in
 * one small file and not stat'ed again until the next sweep (hourly); nor are the directories
 * of idle sessions listed (Claude Code keeps a session's subagent transcripts in
 * `<project>/<session>/`, beside `<session>.jsonl`, and only a running session adds to them). A
 * warm run then lists the projects and the active sessions and stats only the recently active
 * transcripts, whatever the size of the history. Claude Code writes a resumed conversation
 * into a new file, so an idle transcript is practically never appended to; if one is, the
 * next sweep (within the hour) reads it from the start and dedup keeps every total exact.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { FileIdentity, FilePort } from "../vendor/core/io";
import { writeFileAtomic } from "../vendor/core/statusline/atomic-write";
import { dirEntries } from "./local-files";

export const IDLE_SWEEP_EVERY_MS = 3_600_000;
const RECORD_VERSION = 2;

/** The transcripts idle at the last sweep, by directory (a third of the size of their full paths). */
interface IdleRecord {
  version: number;
  sweptAtMs: number;
  dirs: string[];
  /** Per directory, the names of its idle transcripts. */
  names: string[][];
}

/** A directory's `.jsonl` files and subdirectories (full paths), and its mtime before they were read. */
export interface DirListing {
  /** -1 when the directory does not exist. */
  mtimeMs: number;
  files: string[];
  dirs: string[];
}

/** What this run already knows of the files (quiet-files.ts): stats taken, listings still valid. */
export interface KnownFilesPort {
  stat(file: string): FileIdentity | null | undefined;
  listing(dir: string): DirListing | null;
  dirMtimeMs(dir: string): number | undefined;
}

/** What a run saw: every directory listed and every active file's identity. */
export interface ObservedFiles {
  dirs: Map<string, DirListing>;
  /** Active transcript -> its identity as stat'ed (idle ones are not in it). */
  files: Map<string, FileIdentity>;
  /** When the idle transcripts were last all stat'ed (the next sweep is due an hour later). */
  sweptAtMs: number;
}

export class IdleFiles {
  private idle = new Set<string>();
  private sweptAtMs = 0;
  private sweeping = true;
  private changed = false;
  private readonly seenDirs = new Map<string, DirListing>();
  private readonly seenFiles = new Map<string, FileIdentity>();
  private known: KnownFilesPort | null = null;
  /** The directories a sweep listed from (core's `projects/` dirs), with the file suffix asked for. */
  private readonly roots = new Map<string, string>();

  private constructor(
    private readonly recordPath: string,
    private readonly sinceMs: () => number,
    private readonly nowMs: () => number,
    private readonly sweepEveryMs: number,
  ) {}

  /** Reads the record (a missing or unreadable one means a sweep: every file is stat'ed). */
  static load(
    recordPath: string,
    sinceMs: () => number,
    opts: { nowMs?: () => number; sweepEveryMs?: number } = {},
  ): IdleFiles {
    const files = new IdleFiles(recordPath, sinceMs, opts.nowMs ?? Date.now, opts.sweepEveryMs ?? IDLE_SWEEP_EVERY_MS);
    const record = readRecord(recordPath);
    const nowMs = files.nowMs();
    if (record && nowMs >= record.sweptAtMs && nowMs - record.sweptAtMs < files.sweepEveryMs) {
      files.idle = idlePaths(record);
      files.sweptAtMs = record.sweptAtMs;
      files.sweeping = false;
    } else {
      files.sweptAtMs = nowMs; // this run sweeps: one time for the record and for what it observed
    }
    return files;
  }

  /** `inner`, with idle transcripts reported as absent and, between sweeps, neither listed nor stat'ed. */
  wrap(inner: FilePort, known: KnownFilesPort | null = null): FilePort {
    // A sweep stats everything itself: what a quiet-files record knows (some of it recorded,
    // not stat'ed in this run) is for runs between sweeps.
    this.known = this.sweeping ? null : known;
    return {
      listFiles: async (dir, suffix, onUnreadable) =>
        this.sweeping ? this.listAll(dir, suffix, onUnreadable) : this.listActive(dir, suffix, onUnreadable),
      readRange: (file, start, end, into) => inner.readRange(file, start, end, into),
      readText: (file) => inner.readText(file),
      stat: (file) => this.stat(inner, file),
    };
  }

  /**
   * What a run between sweeps looks at, as this run saw it (quiet-files.ts keeps it): the
   * directories it lists and the active files in them. A sweep lists every directory; the
   * idle sessions' ones are left out, as the next runs do not look at them.
   */
  observed(): ObservedFiles {
    const sweptAtMs = this.sweptAtMs;
    if (!this.sweeping) return { dirs: this.seenDirs, files: this.seenFiles, sweptAtMs };
    const dirs = new Map<string, DirListing>();
    const seen = (dir: string) => {
      const listing = this.seenDirs.get(dir);
      if (listing) dirs.set(dir, listing);
      return { files: listing?.files ?? [], dirs: listing?.dirs ?? [] };
    };
    for (const [root, suffix] of this.roots) this.activeUnder(root, suffix, seen);
    const files = new Map<string, FileIdentity>();
    for (const [file, identity] of this.seenFiles)
      if (dirs.has(file.slice(0, file.lastIndexOf(path.sep)))) files.set(file, identity);
    return { dirs, files, sweptAtMs };
  }

  /** Writes the record when this run learned something (a sweep, a file gone idle or active). */
  async save(): Promise<void> {
    if (!this.changed) return;
    const byDir = new Map<string, string[]>();
    for (const file of this.idle) {
      const at = file.lastIndexOf(path.sep);
      const dir = file.slice(0, at);
      const names = byDir.get(dir);
      if (names) names.push(file.slice(at + 1));
      else byDir.set(dir, [file.slice(at + 1)]);
    }
    const record: IdleRecord = {
      version: RECORD_VERSION,
      sweptAtMs: this.sweptAtMs,
      dirs: [...byDir.keys()],
      names: [...byDir.values()],
    };
    writeFileAtomic(this.recordPath, JSON.stringify(record));
    this.changed = false;
  }

  /**
   * Between sweeps: core's listing of `dir` (a config dir's `projects/`), without the directories
   * of idle sessions. Claude Code writes `projects/<project>/<session>.jsonl` and the session's
   * subagents under `projects/<project>/<session>/`: the projects are read here, and core lists
   * each session directory whose transcript is not idle.
   */
  private listActive(dir: string, suffix: string, onUnreadable?: (dir: string) => void): string[] {
    return this.activeUnder(dir, suffix, (d) => this.entries(d, suffix, onUnreadable));
  }

  /** Every `suffix` file under `dir`, as core's node lister finds them (core sorts the paths). */
  private listAll(dir: string, suffix: string, onUnreadable?: (dir: string) => void): string[] {
    this.roots.set(dir, suffix);
    return allUnder(dir, (d) => this.entries(d, suffix, onUnreadable));
  }

  /** The files under `root` that a run between sweeps finds, listing with `entries`. */
  private activeUnder(root: string, suffix: string, entries: ListDir): string[] {
    const top = entries(root);
    const found = [...top.files];
    for (const project of top.dirs) {
      const inProject = entries(project);
      found.push(...inProject.files);
      for (const sessionDir of inProject.dirs) {
        if (!this.idle.has(sessionDir + suffix)) found.push(...allUnder(sessionDir, entries));
      }
    }
    return found;
  }

  /**
   * One directory's entries, its mtime taken first (a file added after it changes the mtime
   * again): recorded ones while its mtime is as recorded, else read now.
   */
  private entries(
    dir: string,
    suffix: string,
    onUnreadable?: (dir: string) => void,
  ): { files: string[]; dirs: string[] } {
    let listing = this.known?.listing(dir) ?? null;
    if (!listing) {
      let unreadable = false;
      const mtimeMs = this.known?.dirMtimeMs(dir) ?? dirMtimeMs(dir);
      const listed = dirEntries(dir, suffix, (d) => {
        unreadable = true;
        onUnreadable?.(d);
      });
      // An unreadable directory is kept as never matching: it is tried again next time.
      listing = { mtimeMs: unreadable ? Number.NaN : mtimeMs, ...listed };
    }
    this.seenDirs.set(dir, listing);
    return { files: [...listing.files], dirs: listing.dirs };
  }

  private async stat(inner: FilePort, file: string): Promise<FileIdentity | null> {
    if (!this.sweeping && this.idle.has(file)) return null;
    const known = this.known?.stat(file);
    const identity = known !== undefined ? known : await inner.stat(file);
    const isIdle = identity !== null && identity.mtimeMs < this.sinceMs();
    if (isIdle !== this.idle.has(file)) {
      if (isIdle) this.idle.add(file);
      else this.idle.delete(file);
      this.changed = true;
    }
    if (this.sweeping) this.changed = true;
    if (identity !== null && !isIdle) this.seenFiles.set(file, identity);
    return isIdle ? null : identity;
  }
}

type ListDir = (dir: string) => { files: string[]; dirs: string[] };

function allUnder(dir: string, entries: ListDir): string[] {
  const listed = entries(dir);
  const found = [...listed.files];
  for (const sub of listed.dirs) found.push(...allUnder(sub, entries));
  return found;
}

/** A directory's mtime; -1 when missing; NaN (never equal, so never quiet) when it cannot be stat'ed. */
export function dirMtimeMs(dir: string): number {
  try {
    return fs.statSync(dir, { throwIfNoEntry: false })?.mtimeMs ?? -1;
  } catch {
    return Number.NaN;
  }
}

function readRecord(recordPath: string): IdleRecord | null {
  try {
    const record = JSON.parse(fs.readFileSync(recordPath, "utf8")) as Partial<IdleRecord>;
    const valid =
      record.version === RECORD_VERSION &&
      typeof record.sweptAtMs === "number" &&
      Array.isArray(record.dirs) &&
      Array.isArray(record.names) &&
      record.dirs.length === record.names.length &&
      record.names.every((names) => Array.isArray(names));
    return valid ? (record as IdleRecord) : null;
  } catch {
    return null;
  }
}

function idlePaths(record: IdleRecord): Set<string> {
  const idle = new Set<string>();
  record.dirs.forEach((dir, i) => {
    for (const name of record.names[i]) idle.add(`${dir}${path.sep}${name}`);
  });
  return idle;
}
