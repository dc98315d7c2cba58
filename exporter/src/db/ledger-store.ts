/**
 * The ledger's store on SQLite: file cursors, and one winning copy per dedup key kept in
 * segments, each a block of packed events (core's event-block layout) written by one commit.
 * Each commit is one transaction, so a kill in the middle of an ingest leaves cursors and
 * events consistent and nothing is counted twice.
 *
 * Why segments, not a row per event: a first `quotacast daily` commits every winner of the
 * history, and inserting them as rows into a keyed table was the largest part of its SQLite
 * time (16,032 rows: 60-70 ms of a 750 ms run, bench/RESULTS.md). A segment is one blob.
 * A commit writes only copies that beat the stored one, so for every key the newest segment
 * holding it holds its winner; older copies are dead and are dropped when segments merge
 * (at most MAX_SEGMENTS are kept). Lookups by key go through an index in memory, loaded from
 * the segments' keys when first needed (an empty ledger needs no loading).
 *
 * Every applied commit is also announced to listeners as (previous, current) pairs read
 * inside the transaction, so in-memory totals follow exactly what the database holds.
 */
import {
  encodeEventBlock,
  isBetterCopy,
  packedTimestampMs,
  readEventBlock,
  unpackEvent,
  type FileCursor,
  type LedgerCommit,
  type LedgerStore,
  type PackedEvents,
  type UsageChange,
  type UsageEvent,
} from "@quotacast/core/ingest";
import type { DayTotals } from "./day-totals";
import type { Db } from "./open";
import { SegmentIndex } from "./segment-index";

interface CursorRow {
  path: string;
  dev: number;
  ino: number;
  size_bytes: number;
  mtime_ms: number;
  offset_bytes: number;
}

interface SegmentRow {
  id: number;
  events: Buffer;
}

/** Thrown by the store once shutdown has begun, to stop an ingest after the write in progress. */
export class IngestStopped extends Error {
  constructor() {
    super("ingest stopped for shutdown");
    this.name = "IngestStopped";
  }
}

export type CommitListener = (changes: UsageChange[]) => void;

/**
 * Segments kept before two merge: enough that a first ingest (a commit per 5,000 winners)
 * of a large history never merges, few enough that loading the index reads a few rows.
 */
export const MAX_SEGMENTS = 32;

export class SqliteLedgerStore implements LedgerStore {
  private readonly listeners: CommitListener[] = [];
  private stopped = false;
  private readonly statements: ReturnType<SqliteLedgerStore["prepare"]>;
  private readonly applyCommit: ReturnType<typeof this.transaction>;
  /** Where each key's winner is; null until first needed, or after another connection committed. */
  private index: SegmentIndex | null = null;
  /** `PRAGMA data_version` when the index was loaded (a connection's own commits do not change it). */
  private dataVersion: number;

  /** `dayTotals`: per-day totals moved in the same transaction as each commit. */
  constructor(
    private readonly db: Db,
    private readonly dayTotals: DayTotals | null = null,
  ) {
    this.statements = this.prepare();
    this.applyCommit = this.transaction();
    this.dataVersion = this.readDataVersion();
    // An empty ledger's index is known without reading: a first ingest loads nothing.
    if (this.statements.anySegment.get() === undefined) this.index = new SegmentIndex();
  }

  private transaction() {
    return this.db.transaction((commit: LedgerCommit) => this.write(commit));
  }

  private readDataVersion(): number {
    return this.statements.dataVersion.get() as number;
  }

  private prepare() {
    const db = this.db;
    return {
      cursors: db.prepare("SELECT path, dev, ino, size_bytes, mtime_ms, offset_bytes FROM ledger_cursors"),
      segments: db.prepare("SELECT id, events FROM ledger_segments ORDER BY id"),
      segment: db.prepare("SELECT events FROM ledger_segments WHERE id = ?").pluck(),
      anySegment: db.prepare("SELECT 1 FROM ledger_segments LIMIT 1"),
      putSegment: db.prepare("INSERT INTO ledger_segments (events) VALUES (?)"),
      replaceSegment: db.prepare("UPDATE ledger_segments SET events = ? WHERE id = ?"),
      deleteSegment: db.prepare("DELETE FROM ledger_segments WHERE id = ?"),
      // Prepared once: db.pragma() prepares a statement on every call.
      dataVersion: db.prepare("PRAGMA data_version").pluck(),
      models: db.prepare("SELECT model FROM ledger_models"),
      putModel: db.prepare("INSERT OR IGNORE INTO ledger_models (model) VALUES (?)"),
      putCursor: db.prepare(
        "INSERT OR REPLACE INTO ledger_cursors (path, dev, ino, size_bytes, mtime_ms, offset_bytes) " +
          "VALUES (?, ?, ?, ?, ?, ?)",
      ),
      deleteCursor: db.prepare("DELETE FROM ledger_cursors WHERE path = ?"),
    };
  }

  /** Called with the changes of every commit, after it is durable. */
  onCommit(listener: CommitListener): void {
    this.listeners.push(listener);
  }

  /** From now on every read or write throws IngestStopped (a write in progress completes). */
  stop(): void {
    this.stopped = true;
  }

  async loadCursors(): Promise<FileCursor[]> {
    this.throwIfStopped();
    return (this.statements.cursors.all() as CursorRow[]).map((row) => ({
      path: row.path,
      identity: { dev: row.dev, ino: row.ino, sizeBytes: row.size_bytes, mtimeMs: row.mtime_ms },
      offsetBytes: row.offset_bytes,
    }));
  }

  /**
   * The stored winners of these keys, from the index as this connection knows it: a copy
   * another connection committed since may be missed, and each commit corrects for that
   * inside its transaction (see `write`), so no smaller copy ever replaces a larger one.
   */
  async getEvents(keys: readonly string[]): Promise<Map<string, UsageEvent>> {
    this.throwIfStopped();
    let index = this.index ?? this.loadIndex();
    try {
      return this.winnersOf(keys, index, new Map());
    } catch (error) {
      if (!(error instanceof StaleIndex)) throw error;
      index = this.loadIndex(); // another connection merged segments since
      return this.winnersOf(keys, index, new Map());
    }
  }

  async commit(commit: LedgerCommit): Promise<void> {
    this.throwIfStopped();
    // IMMEDIATE: the write lock from the start, so no other writer commits during `write`.
    let changes: UsageChange[];
    try {
      changes = this.applyCommit.immediate(commit);
    } catch (error) {
      this.index = null; // it may hold what the rollback undid: read it again when next needed
      throw error;
    }
    for (const listener of this.listeners) listener(changes);
  }

  /** Every stored winner, in key order (the order sums over them have always been taken in). */
  async allEvents(): Promise<UsageEvent[]> {
    return this.storedEvents(() => true).sort(byKey);
  }

  async models(): Promise<string[]> {
    return (this.statements.models.all() as Array<{ model: string }>).map((row) => row.model);
  }

  /** Every stored winner, in key order. */
  forEachEvent(visit: (event: UsageEvent) => void): void {
    for (const event of this.storedEvents(() => true).sort(byKey)) visit(event);
  }

  /** Every stored winner, in key order (for rebuilding aggregates). */
  *iterateEvents(): IterableIterator<UsageEvent> {
    yield* this.storedEvents(() => true).sort(byKey);
  }

  /** Winners with `timestampMs >= sinceMs`, oldest first (ties in key order). */
  eventsSince(sinceMs: number): UsageEvent[] {
    const since = Math.floor(sinceMs);
    return this.storedEvents((timestampMs) => timestampMs >= since).sort(byTimeThenKey);
  }

  /** Keys with a stored winner. */
  eventCount(): number {
    return this.loadIndex().keyCount;
  }

  /**
   * The winners whose time `keep` accepts, read from every segment in one statement (one
   * snapshot): a newer copy replaces an older one, also when the newer one is not kept.
   */
  private storedEvents(keep: (timestampMs: number) => boolean): UsageEvent[] {
    const winners = new Map<string, UsageEvent>();
    for (const row of this.statements.segments.iterate() as IterableIterator<SegmentRow>) {
      const packed = decodeSegment(row.id, row.events);
      for (let i = 0; i < packed.keys.length; i++) {
        // Decided before the event is built: a reader of recent events builds only those.
        if (keep(packedTimestampMs(packed, i))) winners.set(packed.keys[i], unpackEvent(packed, i));
        else winners.delete(packed.keys[i]);
      }
    }
    return [...winners.values()];
  }

  /** Reads every segment's keys into a fresh index. */
  private loadIndex(): SegmentIndex {
    this.dataVersion = this.readDataVersion();
    const index = new SegmentIndex();
    for (const row of this.statements.segments.iterate() as IterableIterator<SegmentRow>) {
      index.addSegment(row.id, decodeSegment(row.id, row.events).keys);
    }
    this.index = index;
    return index;
  }

  /** Adds to `into` the stored winner of each key that has one (each segment read once). */
  private winnersOf(
    keys: readonly string[],
    index: SegmentIndex,
    into: Map<string, UsageEvent>,
    segments = new Map<number, PackedEvents>(),
  ): Map<string, UsageEvent> {
    for (const key of keys) {
      const at = index.locate(key);
      if (at === undefined) continue;
      let packed = segments.get(at.segmentId);
      if (packed === undefined) {
        packed = this.readSegment(at.segmentId);
        segments.set(at.segmentId, packed);
      }
      if (packed.keys[at.position] !== key) throw new StaleIndex();
      into.set(key, unpackEvent(packed, at.position));
    }
    return into;
  }

  private readSegment(id: number): PackedEvents {
    const bytes = this.statements.segment.get(id) as Buffer | undefined;
    if (bytes === undefined) throw new StaleIndex();
    return decodeSegment(id, bytes);
  }

  private write(commit: LedgerCommit): UsageChange[] {
    const s = this.statements;
    for (const path of commit.removedCursorPaths) s.deleteCursor.run(path);
    for (const cursor of commit.cursors) {
      const { dev, ino, sizeBytes, mtimeMs } = cursor.identity;
      s.putCursor.run(cursor.path, dev, ino, sizeBytes, mtimeMs, cursor.offsetBytes);
    }
    // No other writer until the transaction ends: an index older than another connection's
    // commit is read again here, so a copy that connection stored is never replaced by a smaller one.
    const index =
      this.index !== null && this.readDataVersion() === this.dataVersion ? this.index : this.loadIndex();
    const stored = this.winnersOf(
      commit.events.map((event) => event.key),
      index,
      new Map(),
    );
    // Keys are unique within a commit. `changes` keep the commit's order, so sums over them
    // (costs in floating point) come out the same to the last digit.
    const changes: UsageChange[] = [];
    const winners: UsageEvent[] = [];
    for (const event of commit.events) {
      const before = stored.get(event.key) ?? null;
      if (before !== null && !isBetterCopy(event, before)) continue;
      changes.push({ previous: before, current: event });
      winners.push(event);
    }
    if (winners.length > 0) {
      for (const model of new Set(winners.map((event) => event.model))) s.putModel.run(model);
      const id = Number(s.putSegment.run(encodeEventBlock(winners)).lastInsertRowid);
      index.addSegment(
        id,
        winners.map((event) => event.key),
      );
      while (index.segments.length > MAX_SEGMENTS && this.mergeCheapest(index));
    }
    this.dayTotals?.apply(changes);
    return changes;
  }

  /**
   * Merges the two adjacent segments that hold the fewest events together into the newer one's
   * row, dropping dead copies; false when no merge is possible.
   */
  private mergeCheapest(index: SegmentIndex): boolean {
    const pair = index.cheapestMerge();
    if (pair === null) return false;
    const winners: UsageEvent[] = [];
    for (const segment of [pair.older, pair.newer]) {
      const packed = this.readSegment(segment.id);
      for (let i = 0; i < packed.keys.length; i++) {
        if (index.isWinner(packed.keys[i], segment.id, i)) winners.push(unpackEvent(packed, i));
      }
    }
    this.statements.replaceSegment.run(encodeEventBlock(winners), pair.newer.id);
    this.statements.deleteSegment.run(pair.older.id);
    index.merged(
      pair.older,
      pair.newer,
      winners.map((event) => event.key),
    );
    return true;
  }

  private throwIfStopped(): void {
    if (this.stopped) throw new IngestStopped();
  }
}

/** The index points at a segment another connection has merged since (gone, or holding other keys). */
class StaleIndex extends Error {
  constructor() {
    super("the ledger's segments changed under this connection's index");
  }
}

function decodeSegment(id: number, bytes: Buffer): PackedEvents {
  const block = readEventBlock(bytes, 0);
  if (block === null || block.next !== bytes.length) {
    throw new Error(`the ledger's segment ${id} does not decode: the database is damaged`);
  }
  return block.packed;
}

function byKey(a: UsageEvent, b: UsageEvent): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

function byTimeThenKey(a: UsageEvent, b: UsageEvent): number {
  return a.timestampMs - b.timestampMs || byKey(a, b);
}
