/**
 * The ledger's store on SQLite: file cursors and one winning copy per dedup key. Each
 * commit is one transaction, so a kill in the middle of an ingest leaves cursors and
 * events consistent and nothing is counted twice.
 *
 * Every applied commit is also announced to listeners as (previous, current) pairs read
 * inside the transaction, so in-memory totals follow exactly what the database holds.
 */
import {
  isBetterCopy,
  type FileCursor,
  type LedgerCommit,
  type LedgerStore,
  type UsageChange,
  type UsageEvent,
} from "@quotacast/core/ingest";
import type { DayTotals } from "./day-totals";
import type { Db } from "./open";

interface EventRow {
  key: string;
  timestamp_ms: number;
  model: string;
  session_id: string;
  project: string;
  input_tokens: number;
  output_tokens: number;
  cache_creation_tokens: number;
  cache_creation_1h_tokens: number;
  cache_read_tokens: number;
  speed: string;
  is_sidechain: number;
  recorded_cost_usd: number | null;
}

interface CursorRow {
  path: string;
  dev: number;
  ino: number;
  size_bytes: number;
  mtime_ms: number;
  offset_bytes: number;
}

/** Thrown by the store once shutdown has begun, to stop an ingest after the write in progress. */
export class IngestStopped extends Error {
  constructor() {
    super("ingest stopped for shutdown");
    this.name = "IngestStopped";
  }
}

export type CommitListener = (changes: UsageChange[]) => void;

const TIME_INDEX = "ledger_events_by_time";
const CREATE_TIME_INDEX = `CREATE INDEX IF NOT EXISTS ${TIME_INDEX} ON ledger_events (timestamp_ms)`;

const EVENT_COLUMNS =
  "key, timestamp_ms, model, session_id, project, input_tokens, output_tokens, cache_creation_tokens, " +
  "cache_creation_1h_tokens, cache_read_tokens, speed, is_sidechain, recorded_cost_usd";
const CURSOR_COLUMNS = "path, dev, ino, size_bytes, mtime_ms, offset_bytes";

/**
 * Rows written per INSERT: a first build writes ~16k events and ~1.5k cursors, and one call
 * into SQLite per 32 rows instead of per row took a first `daily`'s event inserts from ~61 to
 * ~51 ms in a fresh process.
 */
const ROWS_PER_INSERT = 32;

/** `INSERT OR REPLACE` of `rows` rows, with positional parameters in `columns` order. */
function insertOrReplaceSql(table: string, columns: string, rows: number): string {
  const row = `(${columns
    .split(",")
    .map(() => "?")
    .join(", ")})`;
  return `INSERT OR REPLACE INTO ${table} (${columns}) VALUES ${Array<string>(rows).fill(row).join(", ")}`;
}

export class SqliteLedgerStore implements LedgerStore {
  private readonly listeners: CommitListener[] = [];
  private stopped = false;
  private readonly statements: ReturnType<SqliteLedgerStore["prepare"]>;
  private readonly applyCommit: ReturnType<typeof this.transaction>;
  /**
   * Every key written since the table was seen empty, or null once it held events before:
   * a first ingest then needs no lookup for keys it has never written (most of them).
   * Another connection's commit makes it unknown (null); each commit checks, inside its
   * transaction, so a copy that connection stored is never replaced by a smaller one.
   */
  private writtenSinceEmpty: KeysWritten | null;
  /** `PRAGMA data_version` when opened (a connection's own commits do not change it). */
  private dataVersion: number;
  /** Whether `ledger_events_by_time` is known to exist (see `ensureTimeIndex`). */
  private timeIndexReady = false;

  /** `dayTotals`: per-day totals moved in the same transaction as each commit. */
  constructor(
    private readonly db: Db,
    private readonly dayTotals: DayTotals | null = null,
  ) {
    this.statements = this.prepare();
    this.applyCommit = this.transaction();
    this.writtenSinceEmpty = this.statements.any.get() === undefined ? new KeysWritten() : null;
    this.dataVersion = this.readDataVersion();
    // A first ingest into an empty table loads every event: building the time index once,
    // when a reader first needs it, costs a fraction of updating it row by row, and the
    // commands that never read by time (`daily`) never build it (bench/RESULTS.md, cli).
    if (this.writtenSinceEmpty !== null) db.exec(`DROP INDEX IF EXISTS ${TIME_INDEX}`);
  }

  /** Builds the time index unless it exists (a first ingest drops it; `eventsSince` needs it). */
  ensureTimeIndex(): void {
    if (this.timeIndexReady) return;
    this.db.exec(CREATE_TIME_INDEX);
    this.timeIndexReady = true;
  }

  private transaction() {
    return this.db.transaction((commit: LedgerCommit) => this.write(commit));
  }

  private readDataVersion(): number {
    return this.statements.dataVersion.get() as number;
  }

  /**
   * The keys written since empty, unless another connection has committed since this one's
   * last commit (then unknown). Checked inside each commit's transaction, not per lookup: a
   * lookup that misses another connection's copy is corrected by the commit (see `write`).
   */
  private writtenKeysInTransaction(): KeysWritten | null {
    if (this.writtenSinceEmpty !== null && this.readDataVersion() !== this.dataVersion) {
      this.writtenSinceEmpty = null;
    }
    return this.writtenSinceEmpty;
  }

  private prepare() {
    const db = this.db;
    return {
      cursors: db.prepare("SELECT path, dev, ino, size_bytes, mtime_ms, offset_bytes FROM ledger_cursors"),
      event: db.prepare(`SELECT ${EVENT_COLUMNS} FROM ledger_events WHERE key = ?`),
      all: db.prepare(`SELECT ${EVENT_COLUMNS} FROM ledger_events`),
      since: db.prepare(`SELECT ${EVENT_COLUMNS} FROM ledger_events WHERE timestamp_ms >= ?`),
      count: db.prepare("SELECT count(*) AS n FROM ledger_events"),
      any: db.prepare("SELECT 1 FROM ledger_events LIMIT 1"),
      // Prepared once: db.pragma() prepares a statement on every call (one per chunk read).
      dataVersion: db.prepare("PRAGMA data_version").pluck(),
      models: db.prepare("SELECT model FROM ledger_models"),
      putModel: db.prepare("INSERT OR IGNORE INTO ledger_models (model) VALUES (?)"),
      // Positional parameters: binding by name looks each one up, a tenth of a first ingest's writes.
      putEvents: batchInsert(db, "ledger_events", EVENT_COLUMNS, setEventValues),
      putCursors: batchInsert(db, "ledger_cursors", CURSOR_COLUMNS, setCursorValues),
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

  /** No event since the table was seen empty when opened (another writer's commit is caught by `write`). */
  isEmpty(): boolean {
    return this.writtenSinceEmpty?.isEmpty() === true;
  }

  async getEvents(keys: readonly string[]): Promise<Map<string, UsageEvent>> {
    this.throwIfStopped();
    const found = new Map<string, UsageEvent>();
    const written = this.writtenSinceEmpty;
    for (const key of keys) {
      if (written !== null && !written.has(key)) continue;
      const row = this.statements.event.get(key) as EventRow | undefined;
      if (row) found.set(key, rowToEvent(row));
    }
    return found;
  }

  async commit(commit: LedgerCommit): Promise<void> {
    this.throwIfStopped();
    // IMMEDIATE: the write lock from the start, so no other writer commits during `write`.
    const changes = this.applyCommit.immediate(commit);
    for (const listener of this.listeners) listener(changes);
  }

  async allEvents(): Promise<UsageEvent[]> {
    return (this.statements.all.all() as EventRow[]).map(rowToEvent);
  }

  async models(): Promise<string[]> {
    return (this.statements.models.all() as Array<{ model: string }>).map((row) => row.model);
  }

  /** Streams every stored event without holding them all in memory. */
  forEachEvent(visit: (event: UsageEvent) => void): void {
    for (const row of this.statements.all.iterate() as IterableIterator<EventRow>) visit(rowToEvent(row));
  }

  /** Every stored event, one row at a time (for rebuilding aggregates). */
  *iterateEvents(): IterableIterator<UsageEvent> {
    for (const row of this.statements.all.iterate() as IterableIterator<EventRow>) yield rowToEvent(row);
  }

  /** Events with `timestampMs >= sinceMs`. */
  eventsSince(sinceMs: number): UsageEvent[] {
    this.ensureTimeIndex();
    return (this.statements.since.all(Math.floor(sinceMs)) as EventRow[]).map(rowToEvent);
  }

  eventCount(): number {
    return (this.statements.count.get() as { n: number }).n;
  }

  private write(commit: LedgerCommit): UsageChange[] {
    const s = this.statements;
    for (const path of commit.removedCursorPaths) s.deleteCursor.run(path);
    putRows(s.putCursors, commit.cursors);
    const written = this.writtenKeysInTransaction(); // no other writer until the transaction ends
    // Keys are unique within a commit: every previous copy is read before any is replaced.
    // A stored copy at least as large stays (another connection stored it since our lookup).
    const changes: UsageChange[] = [];
    const winners: UsageEvent[] = [];
    for (const event of commit.events) {
      const seen = written === null || written.has(event.key);
      const row = seen ? (s.event.get(event.key) as EventRow | undefined) : undefined;
      const before = row ? rowToEvent(row) : null;
      if (before !== null && !isBetterCopy(event, before)) continue;
      changes.push({ previous: before, current: event });
      winners.push(event);
    }
    // Written in key order: the primary key's B-tree then fills page by page (about half the
    // time of random order on a first ingest). `changes` keep the commit's order, so sums over
    // them (costs in floating point) come out the same to the last digit. A first build's
    // ledger hands them over in key order too (nothing then skipped: the same events).
    const inKeyOrder =
      winners.length === commit.events.length && commit.eventsInKeyOrder?.length === winners.length
        ? commit.eventsInKeyOrder
        : winners.sort(byKey);
    for (const model of new Set(winners.map((event) => event.model))) s.putModel.run(model);
    putRows(s.putEvents, inKeyOrder);
    written?.add(winners);
    this.dayTotals?.apply(changes);
    return changes;
  }

  private throwIfStopped(): void {
    if (this.stopped) throw new IngestStopped();
  }
}

function byKey(a: UsageEvent, b: UsageEvent): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** INSERT OR REPLACE statements of one table: ROWS_PER_INSERT rows at once, and one row. */
interface BatchInsert<T> {
  many: Statement;
  one: Statement;
  columnCount: number;
  /** Puts one row's values in column order from `values[at]` on. */
  setValues: (values: unknown[], at: number, row: T) => void;
}

type Statement = { run(values: unknown[]): unknown };

function batchInsert<T>(
  db: Db,
  table: string,
  columns: string,
  setValues: BatchInsert<T>["setValues"],
): BatchInsert<T> {
  return {
    many: db.prepare(insertOrReplaceSql(table, columns, ROWS_PER_INSERT)),
    one: db.prepare(insertOrReplaceSql(table, columns, 1)),
    columnCount: columns.split(",").length,
    setValues,
  };
}

/** Writes `rows` ROWS_PER_INSERT at a time, the rest one by one. */
function putRows<T>(insert: BatchInsert<T>, rows: readonly T[]): void {
  const { columnCount, setValues } = insert;
  const values: unknown[] = new Array(columnCount * ROWS_PER_INSERT);
  let next = 0;
  for (; next + ROWS_PER_INSERT <= rows.length; next += ROWS_PER_INSERT) {
    for (let row = 0; row < ROWS_PER_INSERT; row++) setValues(values, row * columnCount, rows[next + row]);
    insert.many.run(values);
  }
  const single: unknown[] = new Array(columnCount);
  for (; next < rows.length; next++) {
    setValues(single, 0, rows[next]);
    insert.one.run(single);
  }
}

/** One cursor's values in CURSOR_COLUMNS order, from `values[at]` on. */
function setCursorValues(values: unknown[], at: number, cursor: FileCursor): void {
  values[at] = cursor.path;
  values[at + 1] = cursor.identity.dev;
  values[at + 2] = cursor.identity.ino;
  values[at + 3] = cursor.identity.sizeBytes;
  values[at + 4] = cursor.identity.mtimeMs;
  values[at + 5] = cursor.offsetBytes;
}

/** One event's values in EVENT_COLUMNS order, from `values[at]` on. */
function setEventValues(values: unknown[], at: number, e: UsageEvent): void {
  values[at] = e.key;
  values[at + 1] = Math.round(e.timestampMs);
  values[at + 2] = e.model;
  values[at + 3] = e.sessionId;
  values[at + 4] = e.project;
  values[at + 5] = e.inputTokens;
  values[at + 6] = e.outputTokens;
  values[at + 7] = e.cacheCreationTokens;
  values[at + 8] = e.cacheCreation1hTokens;
  values[at + 9] = e.cacheReadTokens;
  values[at + 10] = e.speed;
  values[at + 11] = e.isSidechain ? 1 : 0;
  values[at + 12] = e.recordedCostUsd ?? null;
}

function rowToEvent(row: EventRow): UsageEvent {
  const event: UsageEvent = {
    key: row.key,
    timestampMs: row.timestamp_ms,
    model: row.model,
    sessionId: row.session_id,
    project: row.project,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    cacheCreationTokens: row.cache_creation_tokens,
    cacheCreation1hTokens: row.cache_creation_1h_tokens,
    cacheReadTokens: row.cache_read_tokens,
    speed: row.speed === "fast" ? "fast" : "standard",
    isSidechain: row.is_sidechain === 1,
  };
  if (row.recorded_cost_usd !== null) event.recordedCostUsd = row.recorded_cost_usd;
  return event;
}

/**
 * The keys of the events written since the table was seen empty. Each commit's events are
 * kept as they are and put in a set when a key is first asked about: a first build that
 * commits once and exits never asks, and skips 16k set insertions (~5 ms).
 */
class KeysWritten {
  private readonly keys = new Set<string>();
  private pending: (readonly UsageEvent[])[] = [];

  add(events: readonly UsageEvent[]): void {
    if (events.length > 0) this.pending.push(events);
  }

  isEmpty(): boolean {
    return this.pending.length === 0 && this.keys.size === 0;
  }

  has(key: string): boolean {
    if (this.pending.length > 0) {
      for (const events of this.pending) for (const event of events) this.keys.add(event.key);
      this.pending = [];
    }
    return this.keys.has(key);
  }
}
