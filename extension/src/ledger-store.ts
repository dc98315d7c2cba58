/**
 * A `LedgerStore` on plain files in one directory (Raycast's `environment.supportPath`), so
 * the menu bar resumes ingestion where the last run stopped. Node built-ins only: the
 * benchmark and the tests run it without Raycast.
 *
 * Layout, chosen so that a warm run with nothing changed reads only `cursors.bin`:
 * - `cursors.bin`: every file cursor, replaced atomically (cursor-file.ts).
 * - `events/NN.bin`: dedup winners, sharded by a hash of the key, append-only event logs
 *   (event-log.ts; the last copy of a key wins). A lookup of a few keys loads only their shards.
 * - `recent.bin`: the winners of the last `recentDays` days, an event log too, so the Summary
 *   (today, this week, the last 14 days) is built without loading years of history. It is read
 *   at most once per run: the commit appends to it and the Summary's read is then served from
 *   memory.
 *
 * Commit order is recent, shards, cursors. A kill before the cursors are written makes the
 * next run read the same bytes again; the keys are then found in the shards, nothing is
 * counted twice, and the recent log already has them. A block torn by a kill is ignored on
 * read and the file is rewritten whole before its next append.
 *
 * Version 1 kept JSON files (`cursors.json`, `*.jsonl`): a store without a readable
 * `cursors.bin` of this version and shard count starts over (one cold run).
 *
 * File calls are synchronous: a menu-bar run is a fresh process, and its first asynchronous
 * file call starts libuv's thread pool, which costs more than the few small files read here.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { fnv1a32 } from "../vendor/core/hash";
import { DAY_MS } from "../vendor/core/time";
import { writeFileAtomic } from "../vendor/core/statusline/atomic-write";
import type { FileCursor, LedgerCommit, LedgerStore, UsageEvent } from "../vendor/core/ingest";
import {
  readCursorTable,
  writeCursorFile,
  type CursorFileLayout,
  type CursorTable,
  type EncodedPaths,
} from "./cursor-file";
import { appendEvents, endsIntact, readEventLog, rewriteEvents } from "./event-log";

const LEDGER_STORE_VERSION = 2;
const DEFAULT_SHARDS = 32;
const DEFAULT_RECENT_DAYS = 16;
/** Files of earlier versions, removed when the store starts over. */
const FORMER_FILES = ["cursors.json", "recent.jsonl"];

export interface FileLedgerStoreOptions {
  /** Number of event shards (fixed once the store exists; a different value starts over). */
  shards?: number;
  /** How many days of events `recentEvents` keeps. */
  recentDays?: number;
  nowMs?: () => number;
}

export class FileLedgerStore implements LedgerStore {
  private readonly shardCount: number;
  private readonly recentDays: number;
  private readonly nowMs: () => number;
  private readonly layout: CursorFileLayout;
  /** Shards loaded so far: key -> winner. */
  private readonly shards = new Map<number, Map<string, UsageEvent>>();
  /** The recent log once loaded (by a commit or `recentEvents`): key -> winner. */
  private recent: Map<string, UsageEvent> | null = null;
  /** The cursors as last read or written (this store is their only writer); null until read. */
  private cursorCache: Map<string, FileCursor> | null = null;
  /** The cursor file's paths as last read or written, reused while they stay the same. */
  private cursorPaths: EncodedPaths | null = null;
  /** The cursor file as read (undefined until then, null when missing or of another layout). */
  private table: CursorTable | null | undefined = undefined;
  /** Set by `focus`: the only transcripts this run's refresh lists. */
  private focusPaths: readonly string[] | null = null;
  private eventsDirMade = false;
  /** The recent log's size before this run touched it; null until then. */
  private recentStartBytes: number | null = null;
  /** Its size as this run's own writes leave it (another writer makes the file differ). */
  private recentExpectedBytes = 0;
  private recentRewritten = false;

  constructor(
    readonly dir: string,
    opts: FileLedgerStoreOptions = {},
  ) {
    this.shardCount = opts.shards ?? DEFAULT_SHARDS;
    this.recentDays = opts.recentDays ?? DEFAULT_RECENT_DAYS;
    this.nowMs = opts.nowMs ?? Date.now;
    this.layout = { version: LEDGER_STORE_VERSION, shards: this.shardCount };
  }

  /**
   * For a refresh that lists only these transcripts (the others known unchanged, quiet-files.ts):
   * `loadCursors` returns theirs only, and a commit that moves on only existing cursors changes
   * them in the file as read instead of rebuilding every cursor.
   */
  focus(paths: readonly string[]): void {
    this.focusPaths = paths;
  }

  /** Copies (the LedgerStore contract: a caller changing one changes nothing stored; ~0.3 ms for 2,600). */
  async loadCursors(): Promise<FileCursor[]> {
    const focus = this.focusPaths;
    if (focus !== null && this.cursorCache === null) {
      const table = this.cursorTable();
      const found: FileCursor[] = [];
      for (const file of focus) {
        const cursor = table?.cursorOf(file);
        if (cursor) found.push(copyCursor(cursor));
      }
      return found;
    }
    return [...this.cursorMap().values()].map(copyCursor);
  }

  async getEvents(keys: readonly string[]): Promise<Map<string, UsageEvent>> {
    const found = new Map<string, UsageEvent>();
    for (const key of keys) {
      const event = this.shard(shardOf(key, this.shardCount)).get(key);
      if (event) found.set(key, event);
    }
    return found;
  }

  async commit(commit: LedgerCommit): Promise<void> {
    this.makeEventsDir();
    const cutoffMs = this.recentCutoffMs();
    const recent = commit.events.filter((e) => e.timestampMs >= cutoffMs);
    if (recent.length > 0) this.addRecent(recent);
    for (const [shard, events] of groupByShard(commit.events, this.shardCount))
      addEvents(this.shardPath(shard), this.shard(shard), events);

    if (commit.cursors.length > 0 || commit.removedCursorPaths.length > 0) {
      if (this.cursorCache === null && this.movedOnInTable(commit)) {
        writeFileAtomic(this.cursorsPath(), (this.table as CursorTable).encode(this.layout));
        return;
      }
      const cursors = new Map(this.cursorMap());
      for (const removed of commit.removedCursorPaths) cursors.delete(removed);
      for (const cursor of commit.cursors) cursors.set(cursor.path, copyCursor(cursor));
      this.cursorPaths = writeCursorFile(this.cursorsPath(), this.layout, [...cursors.values()], this.cursorPaths);
      this.cursorCache = cursors;
    }
  }

  async allEvents(): Promise<UsageEvent[]> {
    const all: UsageEvent[] = [];
    for (let shard = 0; shard < this.shardCount; shard++) {
      for (const event of this.shard(shard).values()) all.push(event);
    }
    return all;
  }

  /** Winners with `timestampMs >= sinceMs` (at most `recentDays` back). */
  async recentEvents(sinceMs: number): Promise<UsageEvent[]> {
    const fromMs = Math.max(sinceMs, this.recentCutoffMs());
    const found: UsageEvent[] = [];
    for (const event of this.recentLog().values()) if (event.timestampMs >= fromMs) found.push(event);
    return found;
  }

  /**
   * The recent log's size before this run and now, for a reader that keeps totals of its
   * contents between runs (kept-usage.ts): they stay valid while the log grew by this run's
   * appends only. `ownWritesOnly` is false when another process wrote it meanwhile.
   */
  recentLogBytes(): { startBytes: number; nowBytes: number; rewritten: boolean; ownWritesOnly: boolean } {
    this.touchRecent();
    const nowBytes = fileBytes(this.recentPath());
    return {
      startBytes: this.recentStartBytes ?? 0,
      nowBytes,
      rewritten: this.recentRewritten,
      ownWritesOnly: nowBytes === this.recentExpectedBytes,
    };
  }

  /** Oldest timestamp that `recentEvents` can answer for. */
  recentCutoffMs(): number {
    return this.nowMs() - this.recentDays * DAY_MS;
  }

  /** The stored cursors, read once; a store without readable ones (or of another layout) starts over. */
  private cursorMap(): Map<string, FileCursor> {
    if (!this.cursorCache) {
      const table = this.cursorTable();
      this.cursorPaths = table?.encodedPaths ?? null;
      this.cursorCache = new Map((table?.cursors() ?? []).map((c) => [c.path, c]));
    }
    return this.cursorCache;
  }

  private cursorTable(): CursorTable | null {
    if (this.table === undefined) {
      this.table = readCursorTable(this.cursorsPath(), this.layout);
      if (this.table === null) this.startOver();
    }
    return this.table;
  }

  /** Applies a commit that only moves on existing cursors to the table as read; false when it is not one. */
  private movedOnInTable(commit: LedgerCommit): boolean {
    const table = this.table;
    if (!table || commit.removedCursorPaths.length > 0) return false;
    if (!commit.cursors.every((cursor) => table.cursorOf(cursor.path) !== null)) return false;
    for (const cursor of commit.cursors) table.replace(cursor);
    return true;
  }

  /** Events written without cursors (or by another layout) cannot be trusted: drop every event file. */
  private startOver(): void {
    fs.rmSync(path.join(this.dir, "events"), { recursive: true, force: true });
    for (const name of ["recent.bin", ...FORMER_FILES]) fs.rmSync(path.join(this.dir, name), { force: true });
  }

  private makeEventsDir(): void {
    this.cursorTable(); // the layout check comes first: it may remove the directory
    if (!this.eventsDirMade) fs.mkdirSync(path.join(this.dir, "events"), { recursive: true });
    this.eventsDirMade = true;
  }

  private shard(shard: number): Map<string, UsageEvent> {
    let events = this.shards.get(shard);
    if (!events) {
      this.cursorTable();
      events = loadLog(this.shardPath(shard), () => true).events;
      this.shards.set(shard, events);
    }
    return events;
  }

  private recentLog(): Map<string, UsageEvent> {
    if (!this.recent) {
      this.cursorTable();
      this.touchRecent();
      const cutoffMs = this.recentCutoffMs();
      const loaded = loadLog(this.recentPath(), (timestampMs) => timestampMs >= cutoffMs);
      this.recent = loaded.events;
      if (loaded.rewritten) {
        this.recentRewritten = true;
        this.recentExpectedBytes = fileBytes(this.recentPath());
      }
    }
    return this.recent;
  }

  /**
   * Appends to the recent log without reading it when it is not loaded (an appended line then
   * costs no decoding of two weeks of events), unless its end is torn: loading rewrites it first.
   */
  private addRecent(events: readonly UsageEvent[]): void {
    this.touchRecent();
    if (!this.recent && !endsIntact(this.recentPath())) this.recentLog();
    this.recentExpectedBytes += appendEvents(this.recentPath(), events);
    if (this.recent) for (const event of events) this.recent.set(event.key, event);
  }

  private touchRecent(): void {
    if (this.recentStartBytes !== null) return;
    this.recentStartBytes = fileBytes(this.recentPath());
    this.recentExpectedBytes = this.recentStartBytes;
  }

  /** The cursor file (its identity tells a reader that the store changed, quiet-files.ts). */
  cursorsPath(): string {
    return path.join(this.dir, "cursors.bin");
  }

  private recentPath(): string {
    return path.join(this.dir, "recent.bin");
  }

  private shardPath(shard: number): string {
    return path.join(this.dir, "events", `${String(shard).padStart(2, "0")}.bin`);
  }
}

/**
 * An event log's winners that `keep` accepts. The file is rewritten with just those when it is
 * damaged (a torn block is then gone before anything is appended after it) or when superseded
 * and dropped copies dominate it (sessions stream several copies of each response).
 */
function loadLog(
  file: string,
  keep: (timestampMs: number) => boolean,
): { events: Map<string, UsageEvent>; rewritten: boolean } {
  const log = readEventLog(file, keep);
  const rewritten = log.damaged || log.records > 2 * log.events.size + 1000;
  if (rewritten) rewriteEvents(file, log.events.values());
  return { events: log.events, rewritten };
}

function fileBytes(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/** Adds events to a loaded log and appends them to its file. */
function addEvents(file: string, log: Map<string, UsageEvent>, events: readonly UsageEvent[]): void {
  appendEvents(file, events);
  for (const event of events) log.set(event.key, event);
}

function groupByShard(events: readonly UsageEvent[], shards: number): Map<number, UsageEvent[]> {
  const byShard = new Map<number, UsageEvent[]>();
  for (const event of events) {
    const shard = shardOf(event.key, shards);
    const list = byShard.get(shard);
    if (list) list.push(event);
    else byShard.set(shard, [event]);
  }
  return byShard;
}

/** The shard of a key: core's FNV-1a, stable across runs, machines and versions. */
export function shardOf(key: string, shards: number): number {
  return fnv1a32(key) % shards;
}

function copyCursor(cursor: FileCursor): FileCursor {
  return { path: cursor.path, identity: { ...cursor.identity }, offsetBytes: cursor.offsetBytes };
}
