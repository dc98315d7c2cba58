/**
 * What the last refresh saw of the transcripts, kept for the next run: every directory it
 * listed (its mtime and entries) and every active transcript (its identity). The menu bar's
 * most common run finds nothing changed, and most others one file appended to.
 *
 * A run first stats every recorded transcript and directory, once. When all are as recorded
 * (no file added to or removed from a directory, nothing appended), a ledger refresh would find
 * no change: the run skips it, and with it reading the cursors of every transcript, the idle
 * record and the listings. Otherwise the refresh runs, served from this run's stats (no second
 * stat) and from the recorded entries of every directory whose mtime is unchanged (an append
 * changes a file, not its directory).
 *
 * The same files are stat'ed as in a refresh and the same directories looked at, by their mtime
 * instead of their entries. Not used when the hourly sweep of idle transcripts is due or after
 * a refresh that could not read a file; a directory that changed less than a second before it
 * was listed is listed again next time (a file added in the same clock tick might leave its
 * mtime as it was).
 *
 * Between sweeps, a transcript last written more than a day ago is not stat'ed (it counts as
 * unchanged), nor is its session's directory of subagent transcripts, unless the statusline
 * feed names it: Claude Code writes a live session's transcript every few seconds and feeds
 * the statusline with it, so a session taken up again after a day is named by the feed at its
 * first message; without the feed, its new lines show at the next hourly sweep, which stats
 * everything. On a history of thousands of transcripts this keeps a run to the last day's
 * transcripts and the project directories.
 *
 * The record also holds the ledger's cursor file identity: a store that started over (or was
 * changed by another process) since must read everything again, however quiet the files.
 *
 * Layout (little-endian): `QCQF`, u32 version, u32 file count, u32 directory count, u32 meta
 * bytes, u32 0, f64 [sizeBytes, mtimeMs, ino] of the cursor file, f64 [dev, ino, sizeBytes, mtimeMs] per file, f64 mtimeMs per directory, UTF-8
 * JSON `{ key, sweptAtMs, filesScanned, dirs, files }` (files as directory index and name, in the
 * order of the numbers), then
 * UTF-8 JSON of each directory's entries `[fileNames, dirNames]` (parsed only when a refresh runs).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { FileIdentity } from "../vendor/core/io";
import type { StatuslineFeed } from "../vendor/core/limits/statusline-feed";
import { writeFileAtomic } from "../vendor/core/statusline/atomic-write";
import { dirMtimeMs, type DirListing, type ObservedFiles } from "./idle-files";

const MAGIC = "QCQF";
const QUIET_VERSION = 1;
const HEAD_BYTES = 48;
/** A directory changed this recently when listed is not trusted to show a later change by its mtime. */
const SETTLED_MS = 1000;

interface QuietMeta {
  /** What was looked at (the config dirs): another list means another record. */
  key: string;
  sweptAtMs: number;
  filesScanned: number;
  dirs: string[];
  /** The active files as [index of their directory in `dirs`, name] pairs, flattened. */
  files: (number | string)[];
}

/** The recorded files, stat'ed once in this run; what a refresh asks of them is answered from here. */
export class KnownFiles {
  /** This run's stats of the recorded files: [dev, ino, sizeBytes, mtimeMs] each, and whether taken. */
  private readonly statNow: Float64Array;
  private readonly statState: Uint8Array;
  private fileIndexes: Map<string, number> | null = null;
  /** Set by `unchanged`: the recorded files whose identity differs, or null when more than files changed. */
  private movedOn: string[] | null = null;
  private readonly dirNow = new Map<string, number>();
  private listings: Map<string, [string[], string[]]> | null = null;
  /** Set when the recorded listings did not parse (they are then never written again as they are). */
  listingsBroken = false;

  /** The active files' full paths, in the order of the numbers. */
  readonly filePaths: string[];

  private constructor(
    readonly meta: QuietMeta,
    readonly numbers: Float64Array,
    /** The record's meta and listings as they lie in the file (rewritten as they are when unchanged). */
    readonly metaBytes: Buffer,
    readonly listingBytes: Buffer,
  ) {
    this.filePaths = new Array<string>(meta.files.length / 2);
    for (let i = 0; i < this.filePaths.length; i++)
      this.filePaths[i] = `${meta.dirs[meta.files[2 * i] as number]}${path.sep}${meta.files[2 * i + 1] as string}`;
    this.statNow = new Float64Array(this.filePaths.length * 4);
    this.statState = new Uint8Array(this.filePaths.length);
  }

  /** The record for `key` and this cursor file, or null (none, unreadable, another key or cursor file, the idle sweep due). */
  static load(
    file: string,
    key: string,
    ledger: LedgerIdentity,
    nowMs: number,
    sweepEveryMs: number,
  ): KnownFiles | null {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch {
      return null;
    }
    if (bytes.length < HEAD_BYTES || bytes.toString("latin1", 0, 4) !== MAGIC) return null;
    if (bytes.readUInt32LE(4) !== QUIET_VERSION) return null;
    if (ledger === null || [24, 32, 40].some((at, i) => bytes.readDoubleLE(at) !== ledger[i])) return null;
    const fileCount = bytes.readUInt32LE(8);
    const dirCount = bytes.readUInt32LE(12);
    const metaAt = HEAD_BYTES + (fileCount * 4 + dirCount) * 8;
    const listingAt = metaAt + bytes.readUInt32LE(16);
    if (listingAt > bytes.length) return null;
    let meta: QuietMeta;
    try {
      meta = JSON.parse(bytes.toString("utf8", metaAt, listingAt)) as QuietMeta;
    } catch {
      return null;
    }
    const valid =
      meta.key === key &&
      Array.isArray(meta.dirs) &&
      meta.dirs.length === dirCount &&
      Array.isArray(meta.files) &&
      meta.files.length === 2 * fileCount &&
      meta.files.every((v, i) => (i % 2 === 0 ? typeof v === "number" && v < dirCount : typeof v === "string")) &&
      nowMs >= meta.sweptAtMs &&
      nowMs - meta.sweptAtMs < sweepEveryMs;
    if (!valid) return null;
    const numbers = new Float64Array(fileCount * 4 + dirCount);
    new Uint8Array(numbers.buffer).set(bytes.subarray(HEAD_BYTES, metaAt));
    return new KnownFiles(meta, numbers, bytes.subarray(metaAt, listingAt), bytes.subarray(listingAt));
  }

  get filesScanned(): number {
    return this.meta.filesScanned;
  }

  /**
   * Stats every recorded directory and every watched file (once); true when all are as
   * recorded. A file not watched counts as it was recorded.
   */
  unchanged(watched: WatchedFiles = WATCH_ALL): boolean {
    const files = this.filePaths;
    const dirs = this.meta.dirs;
    const numbers = this.numbers;
    const movedOn: string[] = [];
    let filesOnly = true;
    const statNow = this.statNow;
    for (let i = 0; i < files.length; i++) {
      if (!watched.has(files[i], numbers[i * 4 + 3])) {
        this.statState[i] = STAT_FOUND;
        statNow.set(numbers.subarray(i * 4, i * 4 + 4), i * 4);
        continue;
      }
      let st: fs.Stats | undefined;
      try {
        st = fs.statSync(files[i], { throwIfNoEntry: false });
      } catch {
        filesOnly = false; // the refresh stats it again and reports it unreadable
        continue;
      }
      const n = i * 4;
      if (st === undefined) {
        this.statState[i] = STAT_MISSING;
        filesOnly = false;
        movedOn.push(files[i]);
        continue;
      }
      this.statState[i] = STAT_FOUND;
      // Numbers only (no object per file): a quiet run compares them and is done.
      statNow[n] = st.dev;
      statNow[n + 1] = st.ino;
      statNow[n + 2] = st.size;
      statNow[n + 3] = st.mtimeMs;
      const same =
        statNow[n + 2] === numbers[n + 2] &&
        statNow[n + 3] === numbers[n + 3] &&
        statNow[n + 1] === numbers[n + 1] &&
        statNow[n] === numbers[n];
      if (!same) movedOn.push(files[i]);
    }
    const dirsAt = files.length * 4;
    const resting = this.restingSessionDirs(watched);
    for (let i = 0; i < dirs.length; i++) {
      if (resting(dirs[i])) {
        this.dirNow.set(dirs[i], numbers[dirsAt + i]);
        continue;
      }
      const mtimeMs = dirMtimeMs(dirs[i]);
      this.dirNow.set(dirs[i], mtimeMs);
      if (mtimeMs !== numbers[dirsAt + i]) filesOnly = false;
    }
    this.movedOn = filesOnly ? movedOn : null;
    return filesOnly && movedOn.length === 0;
  }

  /**
   * Whether a directory belongs to a session whose transcript is not watched: its own
   * directory (`<session>/`, beside `<session>.jsonl`) or one below it (`<session>/subagents/`).
   * Only a running session adds files there, and a running session's transcript is watched.
   */
  private restingSessionDirs(watched: WatchedFiles): (dir: string) => boolean {
    if (watched === WATCH_ALL) return () => false;
    return (dir) => {
      for (let d = dir, depth = 0; depth < 3; depth++) {
        const i = this.fileIndex(`${d}.jsonl`);
        if (i !== undefined) return !watched.has(this.filePaths[i], this.numbers[i * 4 + 3]);
        const parent = path.dirname(d);
        if (parent === d) break;
        d = parent;
      }
      return false; // a project or config directory: always looked at
    };
  }

  /**
   * After `unchanged` said no: the transcripts that changed when nothing else did (no directory
   * changed, every file still there and readable); null when a whole refresh must look.
   */
  changedFiles(): readonly string[] | null {
    return this.movedOn;
  }

  /** The record again with the identities stat'ed in this run (after a refresh of `changedFiles` only). */
  saveMovedOn(file: string, ledger: LedgerIdentity): void {
    if (ledger === null) return clearKnown(file);
    const numbers = new Float64Array(this.numbers);
    for (let i = 0; i < this.filePaths.length; i++)
      if (this.statState[i] === STAT_FOUND) numbers.set(this.statNow.subarray(i * 4, i * 4 + 4), i * 4);
    const head = recordHead(this.filePaths.length, this.meta.dirs.length, this.metaBytes.length, ledger);
    writeFileAtomic(file, Buffer.concat([head, new Uint8Array(numbers.buffer), this.metaBytes, this.listingBytes]));
  }

  /** The file's identity as stat'ed by `unchanged`; undefined when it was not. */
  stat(file: string): FileIdentity | null | undefined {
    const i = this.fileIndex(file);
    if (i === undefined || this.statState[i] === STAT_NOT_TAKEN) return undefined;
    if (this.statState[i] === STAT_MISSING) return null;
    const n = i * 4;
    const s = this.statNow;
    return { dev: s[n], ino: s[n + 1], sizeBytes: s[n + 2], mtimeMs: s[n + 3] };
  }

  /** The directory's recorded entries when its mtime is as recorded; null when it must be listed. */
  listing(dir: string): DirListing | null {
    const index = this.dirIndex(dir);
    if (index === undefined) return null;
    const mtimeMs = this.dirNow.get(dir);
    if (mtimeMs !== this.numbers[this.filePaths.length * 4 + index]) return null;
    const entries = this.parsedListings().get(dir);
    if (!entries) return null;
    const full = (name: string) => `${dir}${path.sep}${name}`;
    return { mtimeMs, files: entries[0].map(full), dirs: entries[1].map(full) };
  }

  /** The directory's mtime as stat'ed by `unchanged` (before any listing of it in this run). */
  dirMtimeMs(dir: string): number | undefined {
    return this.dirNow.get(dir);
  }

  private fileIndex(file: string): number | undefined {
    this.fileIndexes ??= new Map(this.filePaths.map((p, i) => [p, i]));
    return this.fileIndexes.get(file);
  }

  private dirIndexes: Map<string, number> | null = null;
  private dirIndex(dir: string): number | undefined {
    this.dirIndexes ??= new Map(this.meta.dirs.map((d, i) => [d, i]));
    return this.dirIndexes.get(dir);
  }

  private parsedListings(): Map<string, [string[], string[]]> {
    if (!this.listings) {
      this.listings = new Map();
      try {
        const parsed = JSON.parse(this.listingBytes.toString("utf8")) as [string[], string[]][];
        if (Array.isArray(parsed) && parsed.length === this.meta.dirs.length)
          this.meta.dirs.forEach((dir, i) => this.listings?.set(dir, parsed[i]));
        else this.listingsBroken = true;
      } catch {
        this.listingsBroken = true; // every directory is listed again
      }
    }
    return this.listings;
  }
}

/** Which recorded transcripts a run between sweeps stats: `has(path, its recorded mtime)`. */
export interface WatchedFiles {
  has(file: string, recordedMtimeMs: number): boolean;
}

const WATCH_ALL: WatchedFiles = { has: () => true };

/** A transcript untouched this long is stat'ed between sweeps only when the feed names it. */
const RESTING_AFTER_MS = 24 * 3600_000;

/**
 * The transcripts stat'ed in every run: those written in the last day, and those of the
 * sessions the feed names (its current transcript, the sessions it saw in the last day):
 * `<session id>.jsonl` and the subagent transcripts under `<session id>/`.
 */
export function watchedFiles(nowMs: number, feed: StatuslineFeed | null): WatchedFiles {
  const sinceMs = nowMs - RESTING_AFTER_MS;
  const named = new Set<string>();
  if (feed?.transcriptPath) named.add(path.basename(feed.transcriptPath, ".jsonl"));
  for (const [sessionId, seen] of Object.entries(feed?.sessions ?? {}))
    if (seen.lastSeenMs >= sinceMs) named.add(sessionId);
  const ofNamedSession = (file: string): boolean => {
    if (named.size === 0) return false;
    if (named.has(path.basename(file, ".jsonl"))) return true;
    // A subagent transcript: `<session>/subagents/<agent>.jsonl`, or directly in `<session>/`.
    const dir = path.dirname(file);
    return named.has(path.basename(dir)) || named.has(path.basename(path.dirname(dir)));
  };
  return { has: (file, recordedMtimeMs) => !(recordedMtimeMs < sinceMs) || ofNamedSession(file) };
}

const STAT_NOT_TAKEN = 0;
const STAT_FOUND = 1;
const STAT_MISSING = 2;

/**
 * Keeps what a successful refresh saw; a directory changed just before its listing is kept as
 * never matching. When the same files and directories were seen as in `previous` (an append),
 * its paths and listings are written again as they are: only the numbers are new.
 */
export function saveKnown(
  file: string,
  key: string,
  observed: ObservedFiles,
  filesScanned: number,
  ledger: LedgerIdentity,
  previous: KnownFiles | null = null,
  realNowMs: number = Date.now(),
): void {
  if (ledger === null) return clearKnown(file);
  const dirs = [...observed.dirs.keys()];
  const dirIndex = new Map(dirs.map((dir, i) => [dir, i]));
  const files: (number | string)[] = [];
  for (const transcript of observed.files.keys()) {
    const at = transcript.lastIndexOf(path.sep);
    const index = dirIndex.get(transcript.slice(0, at));
    if (index === undefined) return clearKnown(file); // a file not from a listing: no record
    files.push(index, transcript.slice(at + 1));
  }
  const fileCount = files.length / 2;
  const numbers = new Float64Array(fileCount * 4 + dirs.length);
  let n = 0;
  for (const identity of observed.files.values()) {
    numbers[n++] = identity.dev;
    numbers[n++] = identity.ino;
    numbers[n++] = identity.sizeBytes;
    numbers[n++] = identity.mtimeMs;
  }
  for (const listing of observed.dirs.values())
    numbers[n++] = listing.mtimeMs <= realNowMs - SETTLED_MS ? listing.mtimeMs : Number.NaN;

  const meta: QuietMeta = { key, sweptAtMs: observed.sweptAtMs, filesScanned, files, dirs };
  const same = previous !== null && sameRecord(previous, meta, numbers);
  const metaBytes = same ? previous.metaBytes : Buffer.from(JSON.stringify(meta), "utf8");
  const listingBytes = same ? previous.listingBytes : Buffer.from(JSON.stringify(listingsOf(observed)), "utf8");
  const head = recordHead(fileCount, dirs.length, metaBytes.length, ledger);
  writeFileAtomic(file, Buffer.concat([head, new Uint8Array(numbers.buffer), metaBytes, listingBytes]));
}

/** Same paths in the same order, and every directory with its recorded mtime (so its recorded entries). */
function sameRecord(previous: KnownFiles, meta: QuietMeta, numbers: Float64Array): boolean {
  const before = previous.meta;
  if (previous.listingsBroken) return false;
  if (before.key !== meta.key || before.sweptAtMs !== meta.sweptAtMs || before.filesScanned !== meta.filesScanned)
    return false;
  if (!sameValues(before.files, meta.files) || !sameValues(before.dirs, meta.dirs)) return false;
  for (let i = (meta.files.length / 2) * 4; i < numbers.length; i++)
    if (numbers[i] !== previous.numbers[i]) return false;
  return true;
}

function sameValues(a: readonly (number | string)[], b: readonly (number | string)[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function listingsOf(observed: ObservedFiles): [string[], string[]][] {
  const listings: [string[], string[]][] = [];
  for (const [dir, listing] of observed.dirs) {
    const name = (full: string) => full.slice(dir.length + path.sep.length);
    listings.push([listing.files.map(name), listing.dirs.map(name)]);
  }
  return listings;
}

/** The ledger's cursor file as [sizeBytes, mtimeMs, ino]; null when it has none. */
export type LedgerIdentity = readonly [number, number, number] | null;

export function ledgerIdentity(cursorFile: string): LedgerIdentity {
  const st = fs.statSync(cursorFile, { throwIfNoEntry: false });
  return st ? [st.size, st.mtimeMs, st.ino] : null;
}

function recordHead(fileCount: number, dirCount: number, metaBytes: number, ledger: readonly number[]): Buffer {
  const head = Buffer.alloc(HEAD_BYTES);
  head.write(MAGIC, 0, "latin1");
  head.writeUInt32LE(QUIET_VERSION, 4);
  head.writeUInt32LE(fileCount, 8);
  head.writeUInt32LE(dirCount, 12);
  head.writeUInt32LE(metaBytes, 16);
  ledger.forEach((value, i) => head.writeDoubleLE(value, 24 + 8 * i));
  return head;
}

export function clearKnown(file: string): void {
  fs.rmSync(file, { force: true });
}
