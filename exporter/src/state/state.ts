/**
 * The exporter's in-memory state: what every scrape and API call reads. Jobs write it;
 * `/metrics` and `/api/v1/*` only read it, so a scrape never waits on disk or network.
 */
import type {
  Diagnostics,
  OrgUsage,
  RateLimitSnapshot,
  SourceStatus,
  Summary,
  WindowForecastEntry,
} from "@quotacast/core";
import { labelKey, type CounterValues } from "../db/kv";
import type { UsageTotals } from "./usage-totals";

export interface SourceRuntime {
  name: string;
  status: SourceStatus;
  /** Latest snapshot that carried data (kept across failures, so limits stay visible). */
  snapshot: RateLimitSnapshot | null;
  orgUsage: OrgUsage | null;
  nextPollAtMs: number;
}

/** Counters that survive restarts (saved in the database after each change). */
export interface PersistedCounters {
  source_polls_total: CounterValues;
  source_failures_total: CounterValues;
  ingest_lines_skipped_total: CounterValues;
}

/** The last occurrence of a window that has reset, and the utilization it ended at. */
export interface CompletedWindow {
  resetsAtMs: number;
  finalUtilizationRatio: number;
}

export class ExporterState {
  /** Enabled rate-limit sources by name, plus `transcripts`. */
  readonly sources = new Map<string, SourceRuntime>();
  readonly windowModels = new Map<string, WindowForecastEntry>();
  /** Per window name, its last completed occurrence (from the stored history). */
  readonly lastCompletedWindows = new Map<string, CompletedWindow>();
  /** Per source, the longest time between two scheduled polls (set by `serve`). */
  readonly pollIntervalsMs = new Map<string, number>();
  readonly counters: PersistedCounters;
  diagnostics: Diagnostics = {
    filesScanned: 0,
    linesSkippedInvalidJson: 0,
    linesSkippedOther: 0,
    filesUnreadable: 0,
    unknownModels: [],
  };
  summary: Summary | null = null;
  /** Pre-serialized API bodies, rebuilt after each refresh. */
  summaryJson = "null";
  windowsJson = "[]";
  /** Null while the database is usable; otherwise what went wrong. */
  dbProblem: string | null = null;
  /** Null while `/metrics` renders; otherwise why the last rendering failed. */
  metricsProblem: string | null = null;
  /** How long the last rendering of the metrics text took (`quotacast_scrape_duration_seconds`). */
  lastScrapeDurationSeconds = 0;
  /**
   * Bumped by every write the metrics read (ledger commits, polls, refreshes, refits), so
   * `/metrics` renders its text once per change and serves that text until the next one.
   */
  version = 0;

  constructor(
    readonly usage: UsageTotals,
    readonly timezone: string,
    counters?: Partial<PersistedCounters>,
  ) {
    this.counters = {
      source_polls_total: counters?.source_polls_total ?? new Map(),
      source_failures_total: counters?.source_failures_total ?? new Map(),
      ingest_lines_skipped_total: counters?.ingest_lines_skipped_total ?? new Map(),
    };
  }

  private readonly changeListeners: ((settled: boolean) => void)[] = [];

  /** Call after changing anything `/metrics` or the API bodies read. */
  markChanged(): void {
    this.version++;
    for (const listener of this.changeListeners) listener(false);
  }

  /** Call when a job has finished its changes: what is served should show them now. */
  settle(): void {
    for (const listener of this.changeListeners) listener(true);
  }

  /**
   * `listener` runs synchronously on each `markChanged` (`settled` false: more changes may
   * follow, as during an ingest) and `settle` (true); it should only schedule work.
   */
  onChange(listener: (settled: boolean) => void): void {
    this.changeListeners.push(listener);
  }

  /** Records one poll's outcome in the counters. */
  countPoll(status: SourceStatus): void {
    this.markChanged();
    increment(this.counters.source_polls_total, { source: status.source }, 1);
    if (isFailure(status)) {
      increment(
        this.counters.source_failures_total,
        { source: status.source, reason: status.lastErrorReason },
        1,
      );
    }
  }

  countSkippedLines(invalidJson: number, malformed: number): void {
    this.markChanged();
    if (invalidJson > 0)
      increment(this.counters.ingest_lines_skipped_total, { reason: "invalid_json" }, invalidJson);
    if (malformed > 0)
      increment(this.counters.ingest_lines_skipped_total, { reason: "malformed" }, malformed);
  }

  statuses(): SourceStatus[] {
    return [...this.sources.values()].map((s) => s.status);
  }

  snapshots(): RateLimitSnapshot[] {
    return [...this.sources.values()]
      .map((s) => s.snapshot)
      .filter((s): s is RateLimitSnapshot => s !== null);
  }

  orgUsage(): OrgUsage | null {
    for (const source of this.sources.values()) if (source.orgUsage) return source.orgUsage;
    return null;
  }
}

/** A poll that did not succeed for a reason worth counting. */
export function isFailure(status: SourceStatus): boolean {
  return status.state === "error" || status.state === "backoff";
}

/** Up = the last poll succeeded (fresh or stale data). */
export function isUp(status: SourceStatus): boolean {
  return status.state === "ok" || status.state === "stale";
}

function increment(values: CounterValues, labels: Record<string, string>, by: number): void {
  const key = labelKey(labels);
  values.set(key, (values.get(key) ?? 0) + by);
}
