import { systemClock, type Clock, type FileIdentity, type FilePort } from "../io/ports";
import { nodeFiles } from "../io/node";
import { bundledPriceTable, findModelPrice, type PriceTable } from "../pricing/price";
import { isBetterCopy } from "./dedup";
import { projectsDir } from "./discover";
import {
  scanTranscriptFile,
  type FileScanBatch,
  type FileScanRequest,
  type FileScanResult,
} from "./file-scan";
import { lineBoundsAt, SYNTHETIC_MODEL, UNKNOWN_MODEL } from "./parse";
import { DEFAULT_SCAN_OPTIONS, type ScanOptions } from "./reader";
import { sparseJsonScratch } from "./sparse-json";
import {
  DEFAULT_PARALLEL_MIN_BYTES,
  ScanWorkerPool,
  type ParallelScanOptions,
  type ScanOutcome,
} from "./scan-pool";
import { MemoryLedgerStore, type FileCursor, type LedgerStore } from "./store";
import type { UsageEvent } from "./usage-event";

/** What an ingest noticed but did not count (the Summary shows it as is). */
export interface Diagnostics {
  filesScanned: number;
  linesSkippedInvalidJson: number;
  linesSkippedOther: number;
  filesUnreadable: number;
  unknownModels: string[];
}

/** One counted message that is new or replaced by a larger copy. */
export interface UsageChange {
  /** The copy it replaced (subtract it), or null for a new message. */
  previous: UsageEvent | null;
  current: UsageEvent;
}

export interface RefreshResult {
  /** One entry per key that changed in this refresh (previous = the value before the refresh). */
  changes: UsageChange[];
  filesScanned: number;
  bytesRead: number;
  /** Counts of this refresh only; `UsageLedger.diagnostics()` has the running totals. */
  diagnostics: Diagnostics;
}

export interface UsageLedgerOptions {
  configDirs: string[];
  store?: LedgerStore;
  files?: FilePort;
  /** Used only to list models without a price in the diagnostics. */
  prices?: PriceTable;
  scan?: Partial<ScanOptions>;
  /** Flush to the store once this many changed events are pending (bounds memory and lost work). */
  commitEveryEvents?: number;
  /** Parallel stats while looking for changed files. */
  statConcurrency?: number;
  /**
   * Read big refreshes (a cold scan) in worker threads. Workers read with node:fs, not
   * `files`; the results are applied in the same order as in one thread, so totals and
   * dedup winners are identical. Off by default.
   */
  parallel?: ParallelScanOptions;
  /** The clock that bounds timestamps (lines dated over a day ahead of it are skipped). */
  clock?: Clock;
  /** Called after each file a refresh reads, with the bytes read so far and in all (a front's progress line). */
  onProgress?: (progress: RefreshProgress) => void;
}

export interface RefreshProgress {
  bytesDone: number;
  bytesTotal: number;
}

interface FileWork {
  path: string;
  configDir: string;
  identity: FileIdentity;
  startOffset: number;
  notAfterMs: number;
}

/**
 * The incremental transcript reader: per-file cursors, appended bytes only, dedup by key
 * with the largest copy winning, everything persisted through a LedgerStore.
 */
export class UsageLedger {
  private readonly configDirs: string[];
  private readonly store: LedgerStore;
  private readonly files: FilePort;
  private readonly prices: PriceTable;
  private readonly scanOptions: ScanOptions;
  private readonly commitEveryEvents: number;
  private readonly statConcurrency: number;
  private readonly parallel: ParallelScanOptions | null;
  private readonly clock: Clock;
  private readonly onProgress: ((progress: RefreshProgress) => void) | null;
  private cursors: Map<string, FileCursor> | null = null;
  private readonly modelNames = new Map<string, string>();
  private readonly totals: Diagnostics = emptyDiagnostics();
  private running: Promise<RefreshResult> | null = null;

  constructor(opts: UsageLedgerOptions) {
    this.configDirs = [...opts.configDirs];
    this.store = opts.store ?? new MemoryLedgerStore();
    this.files = opts.files ?? nodeFiles;
    this.prices = opts.prices ?? bundledPriceTable();
    this.scanOptions = { ...DEFAULT_SCAN_OPTIONS, ...opts.scan };
    this.commitEveryEvents = opts.commitEveryEvents ?? 5000;
    this.statConcurrency = opts.statConcurrency ?? 256;
    this.parallel = opts.parallel ?? null;
    this.clock = opts.clock ?? systemClock;
    this.onProgress = opts.onProgress ?? null;
  }

  /** Reads what was appended since the last refresh. Concurrent calls share one run. */
  refresh(): Promise<RefreshResult> {
    if (this.running) return this.running;
    this.running = this.runRefresh()
      .catch((error: unknown) => {
        this.cursors = null; // some commits may have landed: reload the cursors next time
        throw error instanceof LedgerStoreError ? error.cause : error;
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** Every counted event: the dedup winners, including those of files deleted since. */
  async events(): Promise<UsageEvent[]> {
    return this.store.allEvents();
  }

  /**
   * Skipped lines since this ledger was created; `filesScanned` and `filesUnreadable` are
   * the latest refresh's (a file unreadable on every refresh is one file, not one per
   * refresh); `unknownModels` covers every stored event, also those of earlier runs.
   */
  diagnostics(): Diagnostics {
    return { ...this.totals, unknownModels: [...this.totals.unknownModels] };
  }

  private async runRefresh(): Promise<RefreshResult> {
    const cursors = await this.loadCursors();
    const run = new RefreshRun(
      this.store,
      this.commitEveryEvents,
      lineBoundsAt(this.clock.nowMs()).notAfterMs,
    );
    const listed = await this.listTranscripts(run);
    for (const path of cursors.keys()) {
      if (!listed.has(path)) run.removeCursor(path);
    }
    const work = await this.findChangedFiles(listed, cursors, run);
    await this.ingestFiles(work, run);
    await run.flush();
    for (const path of run.removedPaths) cursors.delete(path);
    for (const cursor of run.committedCursors) cursors.set(cursor.path, cursor);

    const diagnostics = run.diagnostics;
    diagnostics.filesScanned = listed.size;
    const checkedModels = new Set<string>();
    for (const change of run.changes) {
      if (checkedModels.has(change.current.model)) continue;
      checkedModels.add(change.current.model);
      this.noteModel(change.current.model, diagnostics);
    }
    this.addToTotals(diagnostics);
    return {
      changes: run.changes,
      filesScanned: listed.size,
      bytesRead: run.bytesRead,
      diagnostics,
    };
  }

  private async loadCursors(): Promise<Map<string, FileCursor>> {
    if (!this.cursors) {
      this.cursors = new Map((await this.store.loadCursors()).map((cursor) => [cursor.path, cursor]));
      // Models committed by an earlier run: their missing price is still worth a note.
      for (const model of (await this.store.models?.()) ?? []) this.noteModel(model, this.totals);
    }
    return this.cursors;
  }

  /** path -> config dir, for every transcript under every config dir. */
  private async listTranscripts(run: RefreshRun): Promise<Map<string, string>> {
    const listed = new Map<string, string>();
    const unreadableDir = (): void => {
      run.diagnostics.filesUnreadable++;
    };
    for (const configDir of this.configDirs) {
      // Sorted: ties between equal copies go to the first one read, so keep the order stable.
      const paths = (await this.files.listFiles(projectsDir(configDir), ".jsonl", unreadableDir)).sort();
      for (const path of paths) {
        if (!listed.has(path)) listed.set(path, configDir);
      }
    }
    return listed;
  }

  private async findChangedFiles(
    listed: Map<string, string>,
    cursors: Map<string, FileCursor>,
    run: RefreshRun,
  ): Promise<FileWork[]> {
    const paths = [...listed.keys()];
    const work: FileWork[] = [];
    for (let i = 0; i < paths.length; i += this.statConcurrency) {
      const batch = paths.slice(i, i + this.statConcurrency);
      const stats = await Promise.all(batch.map((path) => this.safeStat(path)));
      batch.forEach((path, j) => {
        const identity = stats[j];
        if (identity === "unreadable") {
          run.diagnostics.filesUnreadable++;
          return;
        }
        if (identity === null) {
          if (cursors.has(path)) run.removeCursor(path);
          return;
        }
        const startOffset = readStartOffset(cursors.get(path), identity);
        if (startOffset !== null)
          work.push({
            path,
            configDir: listed.get(path) ?? "",
            identity,
            startOffset,
            notAfterMs: run.notAfterMs,
          });
      });
    }
    return work;
  }

  private async safeStat(path: string): Promise<FileIdentity | null | "unreadable"> {
    try {
      return await this.files.stat(path);
    } catch {
      return "unreadable";
    }
  }

  private async ingestFiles(work: FileWork[], run: RefreshRun): Promise<void> {
    const bytesTotal = work.reduce((sum, file) => sum + bytesToRead(file), 0);
    let bytesDone = 0;
    const fileDone = (file: FileWork) => {
      bytesDone += bytesToRead(file);
      this.onProgress?.({ bytesDone, bytesTotal });
    };
    const pool = this.startWorkers(work);
    if (pool === null) {
      for (const file of work) {
        await this.ingestFile(file, run, this.readInThisThread());
        fileDone(file);
      }
      return;
    }
    try {
      // Workers claim files in path order, so the ones needed next arrive first; applied in
      // path order, as in one thread: ties between equal copies resolve the same way.
      const outcomes = pool.scanAll(work.map(scanRequest), this.scanOptions);
      for (let i = 0; i < work.length; i++) {
        const outcome = await outcomes[i];
        const read = outcome.kind === "failed" ? this.readInThisThread() : replayOutcome(outcome);
        await this.ingestFile(work[i], run, read);
        fileDone(work[i]);
      }
    } finally {
      await pool.close();
    }
  }

  private startWorkers(work: FileWork[]): ScanWorkerPool | null {
    if (this.parallel === null || work.length < 2) return null;
    const totalBytes = work.reduce((sum, file) => sum + bytesToRead(file), 0);
    if (totalBytes < (this.parallel.minBytes ?? DEFAULT_PARALLEL_MIN_BYTES)) return null;
    const threads = Math.min(this.parallel.threads, work.length);
    return ScanWorkerPool.start(threads, this.parallel.workerScript);
  }

  private readInThisThread(): ReadFile {
    // Chunks are read into the parser's memory, where their usage lines are parsed in place.
    const scratch = sparseJsonScratch(this.scanOptions.chunkBytes, this.scanOptions.maxLineBytes);
    return (request, onBatch) => scanTranscriptFile(this.files, request, this.scanOptions, onBatch, scratch);
  }

  private async ingestFile(file: FileWork, run: RefreshRun, read: ReadFile): Promise<void> {
    const { dev, ino, mtimeMs } = file.identity;
    const cursorAt = (offsetBytes: number, sizeBytes: number): FileCursor => ({
      path: file.path,
      identity: { dev, ino, sizeBytes, mtimeMs },
      offsetBytes,
    });
    try {
      // Mid-file batches record the consumed offset as the size, so the next refresh
      // sees "grown" and continues from there after a crash.
      const result = await read(scanRequest(file), (batch) =>
        run.offer(this.internModels(batch.events), cursorAt(batch.consumedOffset, batch.consumedOffset)),
      );
      run.bytesRead += result.bytesRead;
      run.diagnostics.linesSkippedInvalidJson += result.skips.invalidJson;
      run.diagnostics.linesSkippedOther += result.skips.malformed;
      await run.offer(
        this.internModels(result.events),
        cursorAt(result.consumedOffset, file.identity.sizeBytes),
      );
    } catch (error) {
      if (error instanceof LedgerStoreError) throw error;
      // Unreadable (permissions, vanished mid-read): keep what was committed, try again next time.
      run.diagnostics.filesUnreadable++;
      run.dropPendingCursor(file.path);
    }
  }

  /** Shares one string per model name across the (many) events of a cold scan. */
  private internModels(events: UsageEvent[]): UsageEvent[] {
    for (const event of events) {
      const shared = this.modelNames.get(event.model);
      if (shared === undefined) this.modelNames.set(event.model, event.model);
      else event.model = shared;
    }
    return events;
  }

  private noteModel(model: string, diagnostics: Diagnostics): void {
    if (model === SYNTHETIC_MODEL || diagnostics.unknownModels.includes(model)) return;
    if (model === UNKNOWN_MODEL || findModelPrice(model, this.prices) === null)
      diagnostics.unknownModels.push(model);
  }

  private addToTotals(run: Diagnostics): void {
    this.totals.filesScanned = run.filesScanned;
    this.totals.linesSkippedInvalidJson += run.linesSkippedInvalidJson;
    this.totals.linesSkippedOther += run.linesSkippedOther;
    this.totals.filesUnreadable = run.filesUnreadable;
    for (const model of run.unknownModels) {
      if (!this.totals.unknownModels.includes(model)) this.totals.unknownModels.push(model);
    }
  }
}

/**
 * Where to start reading a file, or null when it has not changed. A new inode means the
 * file was replaced and a smaller size means truncation: both are re-read from 0, which
 * dedup makes harmless. Same size with a new mtime (rewritten in place) is re-read too.
 */
function readStartOffset(cursor: FileCursor | undefined, now: FileIdentity): number | null {
  if (!cursor) return 0;
  const before = cursor.identity;
  if (now.dev !== before.dev || now.ino !== before.ino) return 0;
  if (now.sizeBytes < cursor.offsetBytes || now.sizeBytes < before.sizeBytes) return 0;
  if (now.sizeBytes === before.sizeBytes) return now.mtimeMs === before.mtimeMs ? null : 0;
  return cursor.offsetBytes;
}

/** Reads one file's new bytes, handing over the events chunk by chunk (see scanTranscriptFile). */
type ReadFile = (
  request: FileScanRequest,
  onBatch: (batch: FileScanBatch) => Promise<void>,
) => Promise<FileScanResult>;

/** A worker's result, handed to the ledger as if the file were being read now. */
function replayOutcome(outcome: Exclude<ScanOutcome, { kind: "failed" }>): ReadFile {
  return async () => {
    if (outcome.kind === "unreadable") throw new Error(outcome.message);
    return outcome.result;
  };
}

function scanRequest(file: FileWork): FileScanRequest {
  return {
    path: file.path,
    configDir: file.configDir,
    startOffset: file.startOffset,
    endOffset: file.identity.sizeBytes,
    notAfterMs: file.notAfterMs,
  };
}

function bytesToRead(file: FileWork): number {
  return file.identity.sizeBytes - file.startOffset;
}

function emptyDiagnostics(): Diagnostics {
  return {
    filesScanned: 0,
    linesSkippedInvalidJson: 0,
    linesSkippedOther: 0,
    filesUnreadable: 0,
    unknownModels: [],
  };
}

/** A store failure: ends the refresh (unlike an unreadable file, which is skipped). */
class LedgerStoreError extends Error {
  constructor(readonly cause: unknown) {
    super(`ledger store failed: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** One dedup key during a refresh. */
interface KeyState {
  /** The stored winner before this refresh (null = none). */
  before: UsageEvent | null;
  /** The winner now: `before`, or a better copy read in this refresh. */
  winner: UsageEvent | null;
  /** Reported change, once a copy read in this refresh has won. */
  change: UsageChange | null;
  /** Whether the winner waits for the next commit. */
  dirty: boolean;
}

/**
 * The state of one refresh: known winners, pending writes, and the changes to report.
 * One map entry per key holds all of it, so a copy costs a single lookup once its key is known.
 *
 * A first build into an empty store that commits once, at the end, keeps no map: it collects
 * the copies and settles them at the commit by sorting them by key, which gives the same
 * winners and changes in the same order. A cold `daily` offers ~16k keys, and the map's
 * lookups and insertions took 32-39 ms of it.
 */
class RefreshRun {
  /** In the order keys first changed. */
  readonly changes: UsageChange[] = [];
  readonly diagnostics = emptyDiagnostics();
  readonly removedPaths: string[] = [];
  readonly committedCursors: FileCursor[] = [];
  bytesRead = 0;
  /** Keys looked up during this refresh. */
  private readonly keys = new Map<string, KeyState>();
  /** Keys whose winner is not committed yet, in the order they became dirty. */
  private dirty: KeyState[] = [];
  private readonly dirtyCursors = new Map<string, FileCursor>();
  private readonly pendingRemovals: string[] = [];
  /** Every copy offered, in order, while collecting (see the class comment); null otherwise. */
  private collected: UsageEvent[] | null;
  /** The settled winners in key order, until they are committed. */
  private settledInKeyOrder: UsageEvent[] | null = null;

  constructor(
    private readonly store: LedgerStore,
    private readonly commitEveryEvents: number,
    /** Lines dated after this are skipped (see LineBounds). */
    readonly notAfterMs: number,
  ) {
    this.collected = commitEveryEvents === Number.POSITIVE_INFINITY && store.isEmpty?.() === true ? [] : null;
  }

  removeCursor(path: string): void {
    this.pendingRemovals.push(path);
  }

  dropPendingCursor(path: string): void {
    this.dirtyCursors.delete(path);
  }

  /** Resolves a batch of parsed copies against the winners and records the cursor reached. */
  async offer(candidates: UsageEvent[], cursor: FileCursor): Promise<void> {
    if (this.collected !== null) {
      for (const candidate of candidates) this.collected.push(candidate);
    } else if (candidates.length > 0) {
      const states = await this.statesOf(candidates);
      for (let i = 0; i < candidates.length; i++) this.consider(candidates[i], states[i]);
    }
    this.dirtyCursors.set(cursor.path, cursor);
    if (this.dirty.length >= this.commitEveryEvents) await this.flush();
  }

  /** One atomic store commit of everything pending. */
  async flush(): Promise<void> {
    if (this.collected !== null) this.settleCollected();
    if (this.dirty.length === 0 && this.dirtyCursors.size === 0 && this.pendingRemovals.length === 0) return;
    const cursors = [...this.dirtyCursors.values()];
    const removed = this.pendingRemovals.splice(0);
    const dirty = this.dirty;
    const eventsInKeyOrder = this.settledInKeyOrder ?? undefined;
    this.settledInKeyOrder = null;
    try {
      await this.store.commit({
        cursors,
        removedCursorPaths: removed,
        events: dirty.map((state) => state.winner as UsageEvent),
        eventsInKeyOrder,
      });
    } catch (error) {
      throw new LedgerStoreError(error);
    }
    this.committedCursors.push(...cursors);
    this.removedPaths.push(...removed);
    for (const state of dirty) state.dirty = false;
    this.dirty = [];
    this.dirtyCursors.clear();
  }

  /**
   * The winner of each collected key, as offering the copies one by one to an empty store
   * leaves it: copies sorted by key (then by the order they came in), the best of each run
   * wins (ties keep the first), and the keys change in the order they first came. From then on
   * the run looks keys up as usual: the store has the winners once they are committed. The
   * winners in key order go to the store with them, which writes rows in that order.
   */
  private settleCollected(): void {
    const copies = this.collected ?? [];
    this.collected = null;
    const keys = copies.map((copy) => copy.key);
    const order = Array.from(keys, (_, i) => i);
    order.sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b));
    // Indexed by the first copy of each key: holes elsewhere.
    const winnerByFirstCopy = new Array<UsageEvent | undefined>(copies.length);
    const inKeyOrder: UsageEvent[] = [];
    for (let i = 0; i < order.length;) {
      const first = order[i];
      let winner = copies[first];
      for (i++; i < order.length && copies[order[i]].key === winner.key; i++) {
        if (isBetterCopy(copies[order[i]], winner)) winner = copies[order[i]];
      }
      winnerByFirstCopy[first] = winner;
      inKeyOrder.push(winner);
    }
    this.settledInKeyOrder = inKeyOrder;
    for (const winner of winnerByFirstCopy) {
      if (winner === undefined) continue;
      const change: UsageChange = { previous: null, current: winner };
      this.changes.push(change);
      this.dirty.push({ before: null, winner, change, dirty: true });
    }
  }

  /**
   * The state of each candidate's key, in the candidates' order; the stored winners of keys
   * not seen yet in this refresh are loaded (one store call per batch). One map lookup per
   * candidate: a cold scan offers ~17k keys, and each lookup costs about half a microsecond.
   */
  private async statesOf(candidates: UsageEvent[]): Promise<KeyState[]> {
    const states: KeyState[] = new Array<KeyState>(candidates.length);
    const newKeys: string[] = [];
    const newStates: KeyState[] = [];
    for (let i = 0; i < candidates.length; i++) {
      const key = candidates[i].key;
      let state = this.keys.get(key);
      if (state === undefined) {
        state = { before: null, winner: null, change: null, dirty: false };
        this.keys.set(key, state);
        newKeys.push(key);
        newStates.push(state);
      }
      states[i] = state;
    }
    if (newKeys.length === 0) return states;
    let stored: Map<string, UsageEvent>;
    try {
      stored = await this.store.getEvents(newKeys);
    } catch (error) {
      throw new LedgerStoreError(error);
    }
    if (stored.size === 0) return states;
    for (let i = 0; i < newKeys.length; i++) {
      const event = stored.get(newKeys[i]);
      if (event !== undefined) newStates[i].before = newStates[i].winner = event;
    }
    return states;
  }

  private consider(candidate: UsageEvent, state: KeyState): void {
    if (state.winner !== null && !isBetterCopy(candidate, state.winner)) return;
    state.winner = candidate;
    if (state.change === null) {
      state.change = { previous: state.before, current: candidate };
      this.changes.push(state.change);
    } else {
      state.change.current = candidate; // the change keeps the value from before the refresh
    }
    if (!state.dirty) {
      state.dirty = true;
      this.dirty.push(state);
    }
  }
}
