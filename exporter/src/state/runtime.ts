/**
 * Everything `quotacast serve` runs besides HTTP: the database, the ledger with its
 * SQLite store, the rate-limit sources, and the jobs that refresh the in-memory state.
 */
import type { Dirent } from "node:fs";
// Loaded with the module, before the server listens, not on first use (a few ms) after it.
import { open, readdir, stat } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import {
  candidateConfigDirs,
  DAY_MS,
  isDue,
  mergeSnapshots,
  nodeFiles,
  pollSource,
  sourceStatus,
  transcriptsStatus,
  TRANSCRIPTS_SOURCE,
  UsageLedger,
  type FilePort,
  type LimitSource,
  type LimitsConfig,
  type PollContext,
  type WindowReading,
} from "@quotacast/core";
import { createSources, limitsConfigFor } from "@quotacast/core/limits/sources";
import { ADMIN_SOURCE } from "@quotacast/core/limits/sources/admin";
import { SqliteCounters, SqliteParams, SqliteSourceStates } from "../db/kv";
import { IngestStopped, SqliteLedgerStore } from "../db/ledger-store";
import { isDiskFull, isSqliteError, openDatabase, type Db } from "../db/open";
import { SqliteSnapshotHistory } from "../db/snapshot-history";
import {
  claimOwnership,
  OWNER_HEARTBEAT_MS,
  releaseOwnership,
  touchOwnership,
  type Ownership,
} from "../db/owner";
import { createPollContext } from "../poll-context";
import { Job } from "../schedule";
import type { Logger } from "./log";
import { Forecaster } from "./forecasts";
import { ExporterState, isFailure, type SourceRuntime } from "./state";
import { refreshSummary } from "./summary";
import { UsageTotals } from "./usage-totals";

/** How far back the last completed occurrence of each window is looked for (two weeks and a day). */
const COMPLETED_LOOKBACK_MS = 15 * DAY_MS;
/** Reset times are rounded to the minute: an occurrence counts as completed a minute after its reset. */
const COMPLETION_SLACK_MS = 60_000;
/** The admin job is hourly; a source due within this slack of the tick is polled at it. */
const ADMIN_SLACK_MS = 5 * 60_000;
/**
 * A change that brings nothing new (same totals, readings and statuses) rebuilds the
 * Summary only once it is this old, so what depends on the clock alone (ages, the current
 * block, today) and the statuses' last-success times never lag by more.
 */
const SUMMARY_MAX_AGE_MS = 60_000;

export interface RuntimeOptions {
  dbPath: string;
  /** Empty: Claude Code's own dirs (CLAUDE_CONFIG_DIR, ~/.config/claude, ~/.claude). */
  claudeConfigDirs: string[];
  timezone: string;
  /** Whether each registered rate-limit source is polled, by source name. */
  sources: Readonly<Record<string, boolean>>;
  anthropicBaseUrl: string | null;
  retentionDays: number;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  log: Logger;
  /** Tests replace the poll context (fake HTTP base URL, home dir). */
  pollContext?: PollContext;
  /** Ledger commit batch (events); the default bounds memory on a cold ingest. */
  commitEveryEvents?: number;
}

/** Longest stretch of ingest work between two turns of the event loop (a scrape waits at most this, plus one commit). */
const INGEST_SLICE_MS = 10;

/**
 * A FilePort that stops reading once shutdown begins, so an ingest ends quickly, and that
 * lets the event loop run between listings, reads and stats (synchronous in core's
 * `nodeFiles`), so that a first ingest of a large history is many short tasks and
 * `/metrics` never waits long. Its reads are asynchronous (`readRangeAsync`): a 1 MB read
 * that misses the page cache can take hundreds of milliseconds on a busy disk, and must
 * not hold the loop.
 */
class StoppableFiles implements FilePort {
  stopped = false;
  private sliceStartedMs = performance.now();
  constructor(private readonly inner: FilePort) {}

  /** Yields to the event loop (timers, sockets) once the current slice of work is used up. */
  private async yieldWhenDue(): Promise<void> {
    if (performance.now() - this.sliceStartedMs < INGEST_SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.sliceStartedMs = performance.now();
  }
  listFiles(dir: string, suffix: string, onUnreadable?: (dir: string) => void) {
    return listFilesAsync(dir, suffix, onUnreadable);
  }
  async stat(path: string) {
    await this.yieldWhenDue();
    return statAsync(path);
  }
  async readRange(path: string, start: number, end: number, into?: Buffer) {
    await this.yieldWhenDue();
    if (this.stopped) throw new IngestStopped();
    return readRangeAsync(path, start, end, into);
  }
  readText(path: string) {
    return this.inner.readText(path);
  }
}

/**
 * `nodeFiles.listFiles` on the thread pool: a history has hundreds of directories, and
 * listing them synchronously held the event loop for 30-50 ms on every refresh. Siblings
 * are listed at once; the order differs from core's walk, which the ledger sorts anyway.
 */
async function listFilesAsync(
  dir: string,
  suffix: string,
  onUnreadable: ((dir: string) => void) | undefined,
): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "ENOTDIR") onUnreadable?.(dir);
    return [];
  }
  const files: string[] = [];
  const subdirs: Promise<string[]>[] = [];
  for (const entry of entries) {
    const full = `${dir}${path.sep}${entry.name}`;
    if (entry.isDirectory()) subdirs.push(listFilesAsync(full, suffix, onUnreadable));
    else if ((entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith(suffix)) files.push(full);
  }
  for (const listed of await Promise.all(subdirs)) files.push(...listed);
  return files;
}

/**
 * `nodeFiles.stat` on the thread pool: the ledger stats a batch of files at once, and
 * synchronous stats would run back to back in one task (tens of ms on a busy disk).
 */
async function statAsync(path: string): ReturnType<FilePort["stat"]> {
  try {
    const st = await stat(path);
    return { dev: st.dev, ino: st.ino, sizeBytes: st.size, mtimeMs: st.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/**
 * `nodeFiles.readRange` on the thread pool: bytes [start, end) of a file (fewer when it is
 * shorter), in `into` when it is large enough. The ledger reads one file at a time, so its
 * reused buffer is never written by two reads at once.
 */
async function readRangeAsync(path: string, start: number, end: number, into?: Buffer): Promise<Buffer> {
  const length = Math.max(0, end - start);
  const buffer =
    into !== undefined && into.length >= length ? into.subarray(0, length) : Buffer.allocUnsafe(length);
  const handle = await open(path, "r");
  try {
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await handle.read(buffer, filled, length - filled, start + filled);
      if (bytesRead === 0) break; // the file is shorter than asked
      filled += bytesRead;
    }
    return filled === length ? buffer : buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

export class ExporterRuntime {
  readonly state: ExporterState;
  readonly db: Db;
  readonly store: SqliteLedgerStore;
  readonly history: SqliteSnapshotHistory;
  readonly params: SqliteParams;
  readonly configDirs: string[];
  readonly transcriptsJob: Job;
  readonly sourcesJob: Job;
  readonly adminJob: Job;
  readonly pruneJob: Job;
  readonly refitJob: Job;
  readonly forecaster: Forecaster;
  private readonly ledger: UsageLedger;
  private readonly files: StoppableFiles;
  private readonly counters: SqliteCounters;
  private readonly sourceStates: SqliteSourceStates;
  private readonly sources: LimitSource[];
  private readonly pollContext: PollContext;
  private readonly log: Logger;
  private readonly retentionMs: number;
  private readonly sourceRuns = new Map<string, Promise<void>>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly ownership: Ownership;
  private closing = false;
  /** When to look for newly completed windows again (the next reset, or within the hour). */
  private completedCheckAtMs = 0;
  /** What the current Summary was built from (`summaryInputs`), and when. */
  private summarizedInputs: string | null = null;
  private summarizedAtMs = 0;
  /** How many times the Summary was rebuilt. */
  summaryBuilds = 0;

  /** Opens the database (throws DatabaseError when it must not be used) and loads the state. */
  constructor(private readonly opts: RuntimeOptions) {
    this.log = opts.log;
    this.retentionMs = opts.retentionDays * DAY_MS;
    this.db = openDatabase(opts.dbPath);
    try {
      this.ownership = claimOwnership(this.db, opts.dbPath, Date.now());
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.heartbeat = setInterval(() => this.touch(), OWNER_HEARTBEAT_MS);
    this.heartbeat.unref();
    this.store = new SqliteLedgerStore(this.db);
    this.history = new SqliteSnapshotHistory(this.db);
    this.params = new SqliteParams(this.db);
    this.counters = new SqliteCounters(this.db);
    this.sourceStates = new SqliteSourceStates(this.db);

    const usage = new UsageTotals(opts.timezone);
    this.store.forEachEvent((event) => usage.add(event));
    this.store.onCommit((changes) => {
      usage.apply(changes);
      this.state.markChanged();
    });
    this.state = new ExporterState(usage, opts.timezone, {
      source_polls_total: this.counters.load("source_polls_total"),
      source_failures_total: this.counters.load("source_failures_total"),
      ingest_lines_skipped_total: this.counters.load("ingest_lines_skipped_total"),
    });

    const env = opts.env ?? process.env;
    const home = opts.homeDir ?? os.homedir();
    this.configDirs =
      opts.claudeConfigDirs.length > 0 ? opts.claudeConfigDirs : candidateConfigDirs(env, home);
    this.files = new StoppableFiles(nodeFiles);
    // One thread on purpose: StoppableFiles yields to the event loop every few milliseconds
    // so /metrics answers during the first ingest, and stops it between reads at shutdown
    // (worker threads would bypass both).
    this.ledger = new UsageLedger({
      configDirs: this.configDirs,
      store: this.store,
      files: this.files,
      ...(opts.commitEveryEvents ? { commitEveryEvents: opts.commitEveryEvents } : {}),
    });
    this.state.sources.set(TRANSCRIPTS_SOURCE, {
      name: TRANSCRIPTS_SOURCE,
      status: sourceStatus(TRANSCRIPTS_SOURCE, "stale", "first read of the transcripts in progress", null),
      snapshot: null,
      orgUsage: null,
      nextPollAtMs: 0,
    });

    this.pollContext = opts.pollContext ?? { ...createPollContext(limitsConfig(opts), env), homeDir: home };
    this.sources = createSources().filter((source) => source.isEnabled(this.pollContext));
    this.restoreSources();

    this.transcriptsJob = new Job("transcripts", () => this.refreshTranscripts(), this.log);
    this.sourcesJob = new Job("sources", () => this.pollDueSources(false), this.log);
    this.adminJob = new Job("admin", () => this.pollDueSources(true), this.log);
    this.pruneJob = new Job("prune", () => this.prune(), this.log);
    this.refitJob = new Job("refit", () => this.refit(), this.log);
    this.forecaster = new Forecaster(this.history, this.store, this.params, opts.timezone);
  }

  /** Restores the learned parameters (call once after construction). */
  async loadLearned(): Promise<void> {
    try {
      await this.forecaster.load();
    } catch (err) {
      this.log("warn", "learned parameters unreadable; the next refit replaces them", { error: String(err) });
    }
  }

  /** Refits the forecast models, learned limits and spend prior from the stored history. */
  async refit(): Promise<void> {
    if (this.closing) return;
    const startedMs = Date.now();
    try {
      const fitted = await this.forecaster.refit(startedMs, startedMs - this.retentionMs);
      this.log("info", "forecast refit", { ...fitted, duration_ms: Date.now() - startedMs });
    } catch (err) {
      this.noteDbError(err, "forecast refit failed");
    }
    this.summarizedInputs = null; // new learned parameters: always rebuild
    await this.afterChange();
  }

  get enabledSources(): string[] {
    return this.sources.map((s) => s.name);
  }

  /** Each enabled rate-limit source's own poll interval (its configured one, else its default). */
  sourceIntervalsMs(): Map<string, number> {
    const config = this.pollContext.config;
    const configured: Record<string, number | undefined> = {
      oauth: config.oauth?.intervalMs,
      admin: config.admin?.intervalMs,
    };
    return new Map(this.sources.map((s) => [s.name, configured[s.name] ?? s.defaultIntervalMs]));
  }

  /** Reads appended transcript bytes; the store's commits update the totals as they land. */
  async refreshTranscripts(): Promise<void> {
    if (this.closing) return;
    const startedMs = Date.now();
    const runtime = this.state.sources.get(TRANSCRIPTS_SOURCE) as SourceRuntime;
    try {
      const result = await this.ledger.refresh();
      this.state.countSkippedLines(
        result.diagnostics.linesSkippedInvalidJson,
        result.diagnostics.linesSkippedOther,
      );
      this.state.diagnostics = this.ledger.diagnostics();
      runtime.status = transcriptsStatus(this.configDirs, result.filesScanned, Date.now());
      this.state.dbProblem = null;
      if (result.changes.length > 0 || result.bytesRead > 0) {
        this.log("info", "transcripts refreshed", {
          files: result.filesScanned,
          bytes_read: result.bytesRead,
          changed_messages: result.changes.length,
          skipped_lines: result.diagnostics.linesSkippedInvalidJson + result.diagnostics.linesSkippedOther,
          duration_ms: Date.now() - startedMs,
        });
      }
    } catch (err) {
      if (err instanceof IngestStopped || this.closing) return;
      this.noteFailure(runtime, err, "transcript refresh failed");
    }
    this.state.countPoll(runtime.status);
    await this.afterChange();
  }

  /**
   * Polls every source whose time has come. The hourly admin job runs only the admin source,
   * with some slack so that "due at 11:00:00.5" is not pushed to the next hourly tick.
   */
  async pollDueSources(admin: boolean): Promise<void> {
    const nowMs = Date.now();
    const slackMs = admin ? ADMIN_SLACK_MS : 0;
    const due = this.sources.filter(
      (source) =>
        (source.name === ADMIN_SOURCE) === admin &&
        isDue(this.state.sources.get(source.name)?.nextPollAtMs, nowMs, slackMs),
    );
    // Each source runs on its own: a hanging one never delays the others or a later tick.
    for (const source of due) void this.startPoll(source);
  }

  /** Polls one source now, whatever its schedule (tests); joins a poll in progress. */
  async pollNow(name: string): Promise<void> {
    const source = this.sources.find((s) => s.name === name);
    if (!source) throw new Error(`source ${name} is not enabled`);
    await this.startPoll(source);
  }

  /** One poll per source at a time: a poll in progress is joined, never doubled. */
  private startPoll(source: LimitSource): Promise<void> {
    let run = this.sourceRuns.get(source.name);
    if (!run) {
      run = this.pollOne(source).finally(() => this.sourceRuns.delete(source.name));
      this.sourceRuns.set(source.name, run);
    }
    return run;
  }

  async prune(): Promise<void> {
    if (this.closing) return;
    try {
      const deleted = await this.history.prune(Date.now(), this.retentionMs);
      this.log("info", "rate-limit history pruned", { deleted, retention_days: this.opts.retentionDays });
    } catch (err) {
      this.noteDbError(err, "pruning failed");
    }
  }

  /** Stops reading, waits for the write in progress, saves the counters and closes the database. */
  async close(): Promise<void> {
    this.closing = true;
    this.files.stopped = true;
    this.store.stop();
    await this.transcriptsJob.idle();
    await this.pruneJob.idle();
    await this.refitJob.idle();
    clearInterval(this.heartbeat);
    this.saveCounters();
    try {
      releaseOwnership(this.db, this.ownership);
    } catch {
      // A database that cannot be written is already reported; the owner row goes stale.
    }
    this.db.close();
  }

  private touch(): void {
    try {
      touchOwnership(this.db, this.ownership, Date.now());
    } catch (err) {
      this.noteDbError(err, "database heartbeat failed");
    }
  }

  private async pollOne(source: LimitSource): Promise<void> {
    const result = await pollSource(source, this.pollContext);
    if (this.closing) return;
    const runtime: SourceRuntime = this.state.sources.get(source.name) ?? {
      name: source.name,
      status: result.status,
      snapshot: null,
      orgUsage: null,
      nextPollAtMs: 0,
    };
    // File sources answer with the same observation until the file changes: store it once.
    const isNewObservation =
      result.snapshot !== null && result.snapshot.observedAtMs !== runtime.snapshot?.observedAtMs;
    runtime.status = result.status;
    runtime.nextPollAtMs = result.nextPollAtMs;
    if (result.snapshot) runtime.snapshot = result.snapshot;
    if (result.orgUsage) runtime.orgUsage = result.orgUsage;
    this.state.sources.set(source.name, runtime);
    this.state.countPoll(result.status);
    if (isFailure(result.status)) {
      this.log("warn", "source poll failed", {
        source: source.name,
        reason: result.status.lastErrorReason,
        detail: result.status.message,
        next_poll: new Date(result.nextPollAtMs).toISOString(),
      });
    }
    try {
      if (isNewObservation && result.snapshot && result.snapshot.windows.length > 0) {
        await this.history.append(result.snapshot);
      }
      this.sourceStates.save(
        {
          source: source.name,
          snapshot: result.snapshot,
          status: result.status,
          nextPollAtMs: result.nextPollAtMs,
        },
        Date.now(),
      );
    } catch (err) {
      this.noteDbError(err, "saving rate limits failed");
    }
    await this.afterChange();
  }

  private restoreSources(): void {
    const enabled = new Set(this.sources.map((s) => s.name));
    for (const stored of this.sourceStates.loadAll()) {
      if (!enabled.has(stored.source)) continue;
      this.state.sources.set(stored.source, {
        name: stored.source,
        status: stored.status,
        snapshot: stored.snapshot,
        orgUsage: null,
        nextPollAtMs: stored.nextPollAtMs,
      });
    }
    for (const source of this.sources) {
      if (this.state.sources.has(source.name)) continue;
      this.state.sources.set(source.name, {
        name: source.name,
        status: sourceStatus(source.name, "stale", "not polled yet", null),
        snapshot: null,
        orgUsage: null,
        nextPollAtMs: 0,
      });
    }
  }

  private noteFailure(runtime: SourceRuntime, err: unknown, what: string): void {
    const lastSuccessMs = runtime.status.lastSuccessMs;
    if (isSqliteError(err)) {
      const message = isDiskFull(err)
        ? "disk full: new transcript data is not saved"
        : "the database cannot be written: new transcript data is not saved";
      runtime.status = sourceStatus(runtime.name, "error", message, lastSuccessMs);
      runtime.status.lastErrorReason = "disk";
    } else {
      const message = err instanceof Error ? err.message : String(err);
      runtime.status = sourceStatus(
        runtime.name,
        "error",
        `${what}: ${message}`,
        lastSuccessMs,
        "bad_response",
      );
    }
    this.noteDbError(err, what);
  }

  /** A database write failed: /healthz turns 503 until a write succeeds again; memory is kept. */
  private noteDbError(err: unknown, what: string): void {
    const message = err instanceof Error ? err.message : String(err);
    if (isDiskFull(err)) {
      this.state.dbProblem = `disk full: cannot write ${this.opts.dbPath}; free some space (the state in memory is kept)`;
      this.log("error", what, { reason: "disk", db: this.opts.dbPath, error: message });
    } else if (isSqliteError(err)) {
      this.state.dbProblem = `cannot write ${this.opts.dbPath}: ${message}`;
      this.log("error", what, { reason: "disk", db: this.opts.dbPath, error: message });
    } else {
      this.log("error", what, { error: message });
    }
  }

  /**
   * Saves the counters and rebuilds the Summary with its forecasts (core's pipeline), unless
   * nothing it is built from has changed since the last build (a poll that brought the same
   * readings and statuses) and that build is recent: the counters still move (in `/metrics`),
   * the forecasts are not recomputed.
   */
  private async afterChange(): Promise<void> {
    if (this.closing) return;
    this.saveCounters();
    const inputs = this.summaryInputs();
    if (inputs !== this.summarizedInputs || Date.now() - this.summarizedAtMs >= SUMMARY_MAX_AGE_MS)
      await this.summarize();
    this.state.settle();
  }

  /**
   * A fingerprint of what the Summary is built from, except the clock: the usage totals'
   * version, each source's state, message and readings (not its observation or success
   * times), the org usage and the diagnostics.
   */
  private summaryInputs(): string {
    const sources = [...this.state.sources.values()].map((s) => [
      s.name,
      s.status.state,
      s.status.message,
      s.status.lastErrorReason,
      s.snapshot,
      s.orgUsage,
    ]);
    const d = this.state.diagnostics;
    return JSON.stringify(
      [
        this.state.usage.version,
        sources,
        [d.filesScanned, d.linesSkippedInvalidJson, d.linesSkippedOther, d.filesUnreadable, d.unknownModels],
      ],
      (key, value: unknown) => (key === "observedAtMs" ? undefined : value),
    );
  }

  /** Rebuilds the Summary; a failure keeps the previous one and is logged. */
  async summarize(): Promise<void> {
    const nowMs = Date.now();
    this.summarizedInputs = this.summaryInputs();
    this.summarizedAtMs = nowMs;
    this.summaryBuilds++;
    try {
      const current = mergeSnapshots(this.state.snapshots(), nowMs)?.windows ?? [];
      await this.updateCompletedWindows(current, nowMs);
      await refreshSummary(this.state, this.history, this.forecaster.learned(), nowMs);
    } catch (err) {
      this.log("warn", "summary failed", { error: err instanceof Error ? err.message : String(err) });
    }
  }

  /**
   * Each window's last completed occurrence and its final utilization, looked up again
   * only once a current window may have reset (or hourly), not on every change.
   */
  private async updateCompletedWindows(current: readonly WindowReading[], nowMs: number): Promise<void> {
    if (nowMs < this.completedCheckAtMs) return;
    for (const window of this.history.windowNames()) {
      const completed = await this.history.completedWindows(window, nowMs, nowMs - COMPLETED_LOOKBACK_MS);
      const last = completed.at(-1);
      if (last) {
        this.state.lastCompletedWindows.set(window, {
          resetsAtMs: last.resetsAtMs,
          finalUtilizationRatio: last.maxUtilizationRatio,
        });
      }
    }
    const nextChecks = current
      .map((r) => r.resetsAtMs)
      .filter((ms): ms is number => ms !== null && ms > nowMs)
      .map((ms) => ms + COMPLETION_SLACK_MS);
    this.completedCheckAtMs = Math.min(nowMs + 3600_000, ...nextChecks);
  }

  private saveCounters(): void {
    if (!this.db.open) return;
    try {
      this.counters.save({ ...this.state.counters });
    } catch (err) {
      this.noteDbError(err, "saving counters failed");
    }
  }
}

/** Every registered source's section; `--anthropic.base-url` goes to the sources that take a `baseUrl`. */
export function limitsConfig(opts: Pick<RuntimeOptions, "sources" | "anthropicBaseUrl">): LimitsConfig {
  const baseUrl = opts.anthropicBaseUrl ? { baseUrl: opts.anthropicBaseUrl } : {};
  // Hourly: the Admin API's data is at least an hour late anyway (its own job polls it).
  return limitsConfigFor(opts.sources, baseUrl, { admin: { intervalMs: 3600_000 } });
}
