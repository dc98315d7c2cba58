/**
 * A `LedgerStore` on plain files in one directory (Raycast's `environment.supportPath`), so
 * the menu bar resumes ingestion where the last run stopped. Node built-ins only: the
 * benchmark and the tests run it without Raycast.
 *
 * Layout, chosen so that a warm run with nothing changed reads only `cursors.json`:
 * - `cursors.json`: every file cursor, replaced atomically (temp file + rename).
 * - `events/NN.jsonl`: dedup winners, sharded by a hash of the key, append-only (the last
 *   line of a key wins). A lookup of a few keys loads only their shards.
 * - `recent.jsonl`: the winners of the last `recentDays` days, append-only, so the Summary
 *   (today, this week, the last 14 days) is built without loading years of history.
 *
 * Commit order is recent, shards, cursors. A kill before the cursors are written makes the
 * next run read the same bytes again; the keys are then found in the shards, nothing is
 * counted twice, and the recent log already has them. Every append starts with a newline,
 * so a line torn by a kill is skipped on load and never glued to the next one.
 *
 * File calls are synchronous: a menu-bar run is a fresh process, and its first asynchronous
 * file call starts libuv's thread pool, which costs more than the few small files read here.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "../vendor/core/statusline/atomic-write";
import { DAY_MS } from "../vendor/core/time";
import type { FileCursor, LedgerCommit, LedgerStore, UsageEvent } from "../vendor/core/ingest";

const LEDGER_STORE_VERSION = 1;
const DEFAULT_SHARDS = 32;
const DEFAULT_RECENT_DAYS = 16;

export interface FileLedgerStoreOptions {
  /** Number of event shards (fixed once the store exists; a different value starts over). */
  shards?: number;
  /** How many days of events `recentEvents` keeps. */
  recentDays?: number;
  nowMs?: () => number;
}

interface CursorRecord {
  version: number;
  shards: number;
  cursors: FileCursor[];
}

export class FileLedgerStore implements LedgerStore {
  private readonly shardCount: number;
  private readonly recentDays: number;
  private readonly nowMs: () => number;
  /** Shards loaded so far: key -> winner. */
  private readonly shards = new Map<number, Map<string, UsageEvent>>();
  private layoutChecked = false;
  /** The cursors as last read or written (this store is their only writer). */
  private cursorCache: Map<string, FileCursor> | null = null;

  constructor(
    readonly dir: string,
    opts: FileLedgerStoreOptions = {},
  ) {
    this.shardCount = opts.shards ?? DEFAULT_SHARDS;
    this.recentDays = opts.recentDays ?? DEFAULT_RECENT_DAYS;
    this.nowMs = opts.nowMs ?? Date.now;
  }

  async loadCursors(): Promise<FileCursor[]> {
    return [...(await this.cursorMap()).values()].map(copyCursor);
  }

  async getEvents(keys: readonly string[]): Promise<Map<string, UsageEvent>> {
    await this.ensureLayout();
    const found = new Map<string, UsageEvent>();
    const byShard = new Map<number, string[]>();
    for (const key of keys) {
      const shard = shardOf(key, this.shardCount);
      const list = byShard.get(shard);
      if (list) list.push(key);
      else byShard.set(shard, [key]);
    }
    for (const [shard, shardKeys] of byShard) {
      const events = await this.loadShard(shard);
      for (const key of shardKeys) {
        const event = events.get(key);
        if (event) found.set(key, event);
      }
    }
    return found;
  }

  async commit(commit: LedgerCommit): Promise<void> {
    await this.ensureLayout();
    const cutoffMs = this.recentCutoffMs();
    const recent = commit.events.filter((e) => e.timestampMs >= cutoffMs);
    if (recent.length > 0) appendLines(this.recentPath(), recent);

    const byShard = new Map<number, UsageEvent[]>();
    for (const event of commit.events) {
      const shard = shardOf(event.key, this.shardCount);
      const list = byShard.get(shard);
      if (list) list.push(event);
      else byShard.set(shard, [event]);
    }
    for (const [shard, events] of byShard) {
      appendLines(this.shardPath(shard), events);
      const loaded = this.shards.get(shard);
      if (loaded) for (const event of events) loaded.set(event.key, event);
    }

    if (commit.cursors.length > 0 || commit.removedCursorPaths.length > 0) {
      const cursors = new Map(await this.cursorMap());
      for (const removed of commit.removedCursorPaths) cursors.delete(removed);
      for (const cursor of commit.cursors) cursors.set(cursor.path, copyCursor(cursor));
      const record: CursorRecord = {
        version: LEDGER_STORE_VERSION,
        shards: this.shardCount,
        cursors: [...cursors.values()],
      };
      writeFileAtomic(this.cursorsPath(), JSON.stringify(record));
      this.cursorCache = cursors;
    }
  }

  async allEvents(): Promise<UsageEvent[]> {
    await this.ensureLayout();
    const all: UsageEvent[] = [];
    for (let shard = 0; shard < this.shardCount; shard++) {
      for (const event of (await this.loadShard(shard)).values()) all.push(event);
    }
    return all;
  }

  /**
   * Winners with `timestampMs >= sinceMs` (at most `recentDays` back). Compacts the recent
   * log when it holds mostly superseded or expired lines.
   */
  async recentEvents(sinceMs: number): Promise<UsageEvent[]> {
    await this.ensureLayout();
    const { events, lines } = readEventLog(this.recentPath());
    const cutoffMs = this.recentCutoffMs();
    const live = [...events.values()].filter((e) => e.timestampMs >= cutoffMs);
    if (lines > 2 * live.length + 1000) writeFileAtomic(this.recentPath(), toLines(live));
    return live.filter((e) => e.timestampMs >= sinceMs);
  }

  /** Oldest timestamp that `recentEvents` can answer for. */
  recentCutoffMs(): number {
    return this.nowMs() - this.recentDays * DAY_MS;
  }

  private async cursorMap(): Promise<Map<string, FileCursor>> {
    if (!this.cursorCache) {
      const record = this.readCursorRecord();
      this.cursorCache = new Map((record?.cursors ?? []).map((c) => [c.path, c]));
    }
    return this.cursorCache;
  }

  private async loadShard(shard: number): Promise<Map<string, UsageEvent>> {
    let events = this.shards.get(shard);
    if (!events) {
      const log = readEventLog(this.shardPath(shard));
      events = log.events;
      // Superseded copies pile up while sessions stream; rewrite when they dominate.
      if (log.lines > 2 * events.size + 1000) writeFileAtomic(this.shardPath(shard), toLines(events.values()));
      this.shards.set(shard, events);
    }
    return events;
  }

  /** A store written with another version or shard count is unreadable here: start over. */
  private async ensureLayout(): Promise<void> {
    if (this.layoutChecked) return;
    const record = this.readCursorRecord();
    if (record === null) {
      fs.rmSync(path.join(this.dir, "events"), { recursive: true, force: true });
      fs.rmSync(this.recentPath(), { force: true });
    }
    fs.mkdirSync(path.join(this.dir, "events"), { recursive: true });
    this.layoutChecked = true;
  }

  private readCursorRecord(): CursorRecord | null {
    let text: string;
    try {
      text = fs.readFileSync(this.cursorsPath(), "utf8");
    } catch {
      return null;
    }
    try {
      const record = JSON.parse(text) as CursorRecord;
      if (record.version !== LEDGER_STORE_VERSION || record.shards !== this.shardCount) return null;
      return Array.isArray(record.cursors) ? record : null;
    } catch {
      return null;
    }
  }

  private cursorsPath(): string {
    return path.join(this.dir, "cursors.json");
  }

  private recentPath(): string {
    return path.join(this.dir, "recent.jsonl");
  }

  private shardPath(shard: number): string {
    return path.join(this.dir, "events", `${String(shard).padStart(2, "0")}.jsonl`);
  }
}

/** FNV-1a over the key's UTF-16 units: stable across runs and machines. */
export function shardOf(key: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

function copyCursor(cursor: FileCursor): FileCursor {
  return { path: cursor.path, identity: { ...cursor.identity }, offsetBytes: cursor.offsetBytes };
}

function toLines(events: Iterable<UsageEvent>): string {
  let text = "";
  for (const event of events) text += JSON.stringify(event) + "\n";
  return text;
}

function appendLines(file: string, events: UsageEvent[]): void {
  fs.appendFileSync(file, "\n" + toLines(events));
}

/** Last line per key wins; torn or foreign lines are skipped. */
function readEventLog(file: string): { events: Map<string, UsageEvent>; lines: number } {
  const events = new Map<string, UsageEvent>();
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return { events, lines: 0 };
  }
  let lines = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    if (end > start) {
      lines++;
      const event = parseEvent(text.slice(start, end));
      if (event) events.set(event.key, event);
    }
    start = end + 1;
  }
  return { events, lines };
}

function parseEvent(line: string): UsageEvent | null {
  try {
    const value = JSON.parse(line) as UsageEvent;
    return typeof value?.key === "string" && typeof value.timestampMs === "number" ? value : null;
  } catch {
    return null;
  }
}
