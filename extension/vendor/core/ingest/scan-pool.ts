// Generated from core/src/ingest/scan-pool.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { FileScanRequest, FileScanResult } from "./file-scan";
import type { ScanOptions } from "./reader";

/** Reading transcripts in worker threads, for refreshes with many new bytes (a cold scan). */
export interface ParallelScanOptions {
  /** Worker threads; below 2 the ledger reads in its own thread. */
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

/** Replies come back in the order jobs were sent (a worker runs its jobs one after the other). */
export interface ScanJob {
  request: FileScanRequest;
  scanOptions: ScanOptions;
}

export type ScanJobReply =
  /** The whole file at once, its events reduced to the best copy of each key (`keepBestCopies`). */
  | { kind: "scanned"; result: FileScanResult }
  /** The file could not be read (vanished, permissions): the same as in the ledger's thread. */
  | { kind: "unreadable"; message: string };

/** What the pool gives back for a file; "failed" means no worker could do it (read it in-process). */
export type ScanOutcome = ScanJobReply | { kind: "failed" };

interface QueuedJob {
  job: ScanJob;
  resolve: (outcome: ScanOutcome) => void;
}

// Files queued on each worker: it starts the next one without waiting for the ledger's
// thread to answer (one round trip per file left workers idle a fifth of a cold scan).
const JOBS_PER_WORKER = 4;

/**
 * A few worker threads that each scan files one at a time, taking more as they finish.
 * A worker that dies hands its files back as "failed"; the pool never rejects, so the
 * ledger decides what to do with every file.
 */
export class ScanWorkerPool {
  private readonly queue: QueuedJob[] = [];
  /** Jobs sent to each live worker, in the order it answers them. */
  private readonly sent = new Map<Worker, QueuedJob[]>();
  private closed = false;

  private constructor(workers: Worker[]) {
    for (const worker of workers) this.adopt(worker);
  }

  /** Null when the compiled worker is not there (running from TypeScript sources, a bundle without it). */
  static start(threads: number, workerScript = defaultWorkerScript()): ScanWorkerPool | null {
    if (threads < 2 || !fs.existsSync(workerScript)) return null;
    const workers = Array.from({ length: threads }, () => new Worker(workerScript));
    return new ScanWorkerPool(workers);
  }

  scan(request: FileScanRequest, scanOptions: ScanOptions): Promise<ScanOutcome> {
    if (this.closed || this.sent.size === 0) return Promise.resolve({ kind: "failed" });
    return new Promise((resolve) => {
      this.queue.push({ job: { request, scanOptions }, resolve });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = [...this.sent.keys()];
    for (const worker of workers) this.lose(worker);
    this.failQueued();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private adopt(worker: Worker): void {
    this.sent.set(worker, []);
    worker.on("message", (reply: ScanJobReply) => {
      this.sent.get(worker)?.shift()?.resolve(reply);
      this.dispatch();
    });
    // A worker that fails to load or crashes: its files go back to the ledger, the others go on.
    const lose = () => this.lose(worker);
    worker.on("error", lose);
    worker.on("exit", lose);
  }

  private lose(worker: Worker): void {
    const jobs = this.sent.get(worker);
    if (jobs === undefined) return;
    this.sent.delete(worker);
    for (const queued of jobs) queued.resolve({ kind: "failed" });
    if (this.sent.size === 0) this.failQueued();
  }

  /** Tops every worker up to JOBS_PER_WORKER, the least loaded first. */
  private dispatch(): void {
    while (!this.closed && this.queue.length > 0) {
      const [worker, jobs] = [...this.sent].reduce((a, b) => (b[1].length < a[1].length ? b : a));
      if (jobs.length >= JOBS_PER_WORKER) return;
      const queued = this.queue.shift() as QueuedJob;
      jobs.push(queued);
      worker.postMessage(queued.job);
    }
  }

  private failQueued(): void {
    for (const queued of this.queue.splice(0)) queued.resolve({ kind: "failed" });
  }
}

function defaultWorkerScript(): string {
  return path.join(__dirname, "scan-worker.js");
}
