// Generated from core/src/ingest/store.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
import type { FileIdentity } from "../io/ports";
import type { UsageEvent } from "./usage-event";

/** How far one transcript file has been read, and what the file looked like then. */
export interface FileCursor {
  path: string;
  /** Stat of the file when it was last read: a different dev/ino means replaced, a smaller size truncated. */
  identity: FileIdentity;
  /** Bytes consumed: always the start of a line (a partial last line is held back). */
  offsetBytes: number;
}

/** One atomic unit of progress: the store applies all of it or none of it. */
export interface LedgerCommit {
  /** Cursors to insert or replace (keyed by path). */
  cursors: FileCursor[];
  /** Paths whose file vanished: their cursors go, their events stay. */
  removedCursorPaths: string[];
  /** Dedup winners to insert or replace (keyed by `event.key`). */
  events: UsageEvent[];
  /**
   * The same events in key order, when the ledger has them so (a first build sorts them to
   * settle copies): a store that writes rows in key order need not sort them again.
   */
  eventsInKeyOrder?: readonly UsageEvent[];
}

/**
 * Persistence for the ledger: file cursors plus one winning copy per dedup key.
 *
 * Implementations must apply a commit atomically (one SQLite transaction), so a kill in
 * the middle of an ingest leaves cursors and events consistent and nothing is counted
 * twice. Events are looked up lazily by key, so a refresh in which no file changed
 * reads only the cursors (which the ledger caches after the first load).
 */
export interface LedgerStore {
  loadCursors(): Promise<FileCursor[]>;
  /**
   * Existing winners for these keys; keys not stored are absent from the map. Called once
   * per chunk read, with up to a few thousand distinct keys, never when no file changed.
   */
  getEvents(keys: readonly string[]): Promise<Map<string, UsageEvent>>;
  commit(commit: LedgerCommit): Promise<void>;
  /** Every stored winner, including those whose file has been deleted since. */
  allEvents(): Promise<UsageEvent[]>;
  /** The distinct models of the stored events (so an unpriced one is noted after a restart). */
  models?(): Promise<string[]>;
  /**
   * Whether the store holds no event, as far as this instance knows (a commit still keeps the
   * larger copy of a key another writer stored since). A first build then looks nothing up.
   */
  isEmpty?(): boolean;
}

/** The in-memory store: the default for the CLI and tests. */
export class MemoryLedgerStore implements LedgerStore {
  private readonly cursors = new Map<string, FileCursor>();
  private readonly events = new Map<string, UsageEvent>();

  async loadCursors(): Promise<FileCursor[]> {
    return [...this.cursors.values()].map(copyCursor);
  }

  async getEvents(keys: readonly string[]): Promise<Map<string, UsageEvent>> {
    const found = new Map<string, UsageEvent>();
    for (const key of keys) {
      const event = this.events.get(key);
      if (event) found.set(key, event);
    }
    return found;
  }

  async commit(commit: LedgerCommit): Promise<void> {
    for (const path of commit.removedCursorPaths) this.cursors.delete(path);
    for (const cursor of commit.cursors) this.cursors.set(cursor.path, copyCursor(cursor));
    for (const event of commit.events) this.events.set(event.key, event);
  }

  async allEvents(): Promise<UsageEvent[]> {
    return [...this.events.values()];
  }

  async models(): Promise<string[]> {
    return [...new Set([...this.events.values()].map((e) => e.model))];
  }

  isEmpty(): boolean {
    return this.events.size === 0;
  }

  /** Number of stored events (for tests and diagnostics). */
  get eventCount(): number {
    return this.events.size;
  }
}

function copyCursor(cursor: FileCursor): FileCursor {
  return { path: cursor.path, identity: { ...cursor.identity }, offsetBytes: cursor.offsetBytes };
}
