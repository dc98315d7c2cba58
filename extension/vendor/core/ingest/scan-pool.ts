// Generated from core/src/ingest/scan-pool.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Worker } from "node:worker_threads";
import type { FileScanRequest, FileScanResult } from "./file-scan";
import { unpackEvents, type PackedEvents } from "./packed-events";
import type { ScanOptions } from "./reader";

/** Reading transcripts in worker threads, for refreshes with many new bytes (a cold scan). */
export interface ParallelScanOptions {
  /** Worker threads (at least 1). */
  threads: number;
  /** Use the workers only when a refresh has at least this many bytes to read. */
  minBytes?: number;
  /** The compiled worker; default `scan-worker.js` next to this module (in `dist/`). */
  workerScript?: string;
}

// Starting a worker costs ~30 ms; below ~64 MB one thread reads faster than that.
export const DEFAULT_PARALLEL_MIN_BYTES = 64 * 1024 * 1024;

/** One worker per core, up to 4 (more adds start-up cost and memory, not speed, on transcripts). */
export function defaultScanThreads(): number {
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return Math.min(4, Math.max(1, cores));
}

/**
 * The one message each worker gets: every file of the refresh, and a shared counter from
 * which each worker claims the next file itself. No worker ever waits for the ledger's
 * thread (which is busy in SQLite commits while they read), and files are claimed in the
 * order given, so the ledger can apply them in that order as they arrive.
 */
export interface ScanBatchJob {
  requests: FileScanRequest[];
  scanOptions: ScanOptions;
  /** Int32Array(1) over a SharedArrayBuffer: the index of the next unclaimed request. */
  nextRequest: Int32Array;
}

export type ScanJobReply =
  /** The whole file at once, its events reduced to the best copy of each key (`keepBestCopies`). */
  | { kind: "scanned"; result: FileScanResult }
  /** The file could not be read (vanished, permissions): the same as in the ledger's thread. */
  | { kind: "unreadable"; message: string };

/** A reply as it crosses threads: the events packed (packed-events.ts). */
export type PackedScanReply =
  | { kind: "scanned"; result: Omit<FileScanResult, "events"> & { events: PackedEvents } }
  | { kind: "unreadable"; message: string };

/** A worker's messages: one per file it claimed, then `done` when none is left. */
export type ScanWorkerMessage = { kind: "file"; index: number; reply: PackedScanReply } | { kind: "done" };

/** What the pool gives back for a file; "failed" means no worker could do it (read it in-process). */
export type ScanOutcome = ScanJobReply | { kind: "failed" };

/**
 * A few worker threads that scan one batch of files. A worker that dies takes the files it
 * had claimed with it: once every worker has finished or died, those come back as "failed".
 * The pool never rejects, so the ledger decides what to do with every file.
 */
export class ScanWorkerPool {
  private readonly running = new Set<Worker>();
  private outcomes: Array<{ settled: boolean; resolve: (outcome: ScanOutcome) => void }> = [];

  private constructor(private readonly workers: Worker[]) {}

  /** Null when the compiled worker is not there (running from TypeScript sources, a bundle without it). */
  static start(threads: number, workerScript = defaultWorkerScript()): ScanWorkerPool | null {
    if (threads < 1 || !fs.existsSync(workerScript)) return null;
    // Required here: a run without workers (warm, or two cores) does not load worker_threads.
    const { Worker } = require("node:worker_threads") as typeof import("node:worker_threads");
    return new ScanWorkerPool(Array.from({ length: threads }, () => new Worker(workerScript)));
  }

  /** One outcome per request, in the same order; call once per pool. */
  scanAll(requests: FileScanRequest[], scanOptions: ScanOptions): Promise<ScanOutcome>[] {
    const promises = requests.map(
      (_, i) =>
        new Promise<ScanOutcome>((resolve) => {
          this.outcomes[i] = { settled: false, resolve };
        }),
    );
    const nextRequest = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    const job: ScanBatchJob = { requests, scanOptions, nextRequest };
    for (const worker of this.workers) {
      this.running.add(worker);
      worker.on("message", (message: ScanWorkerMessage) => {
        if (message.kind === "file") this.settle(message.index, unpackReply(message.reply));
        else this.finished(worker);
      });
      // A worker that fails to load or crashes: the others go on; its files come back as failed.
      const lost = () => this.finished(worker);
      worker.on("error", lost);
      worker.on("exit", lost);
      worker.postMessage(job);
    }
    return promises;
  }

  async close(): Promise<void> {
    for (const worker of this.workers) this.finished(worker);
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private settle(index: number, outcome: ScanOutcome): void {
    const pending = this.outcomes[index];
    if (pending === undefined || pending.settled) return;
    pending.settled = true;
    pending.resolve(outcome);
  }

  private finished(worker: Worker): void {
    if (!this.running.delete(worker) || this.running.size > 0) return;
    // No worker left: whatever is unanswered was claimed by one that died (or never claimed).
    for (let i = 0; i < this.outcomes.length; i++) this.settle(i, { kind: "failed" });
  }
}

function unpackReply(reply: PackedScanReply): ScanJobReply {
  if (reply.kind === "unreadable") return reply;
  return { kind: "scanned", result: { ...reply.result, events: unpackEvents(reply.result.events) } };
}

function defaultWorkerScript(): string {
  return path.join(__dirname, "scan-worker.js");
}
