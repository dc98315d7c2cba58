/**
 * bcrypt checks for basic auth, off the event loop and bounded: comparisons run in one
 * worker thread (bcryptjs's async mode would still block the loop up to 100 ms at a time),
 * at most `perSecond` start each second, and at most `maxQueued` wait. A password flood
 * then costs one core at most and gets "busy" answers, while a scrape whose credentials
 * were already verified (cached by the caller) never waits for it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import * as bcrypt from "bcryptjs";

export interface CompareJob {
  id: number;
  password: string;
  hash: string;
}

export interface CompareReply {
  id: number;
  matches: boolean;
}

export type Compare = (password: string, hash: string) => Promise<boolean>;

export interface PasswordCheckOptions {
  /** Comparisons started per second at most. Default 5 (about 0.4 s of one core's time at cost 10). */
  perSecond?: number;
  /** Checks waiting their turn at most; beyond, `check` answers "busy" at once. Default 16. */
  maxQueued?: number;
  /** The comparison; default bcryptjs in the compiled worker (`bcrypt-worker.js` next to this module), in-process when it is not there. */
  compare?: Compare;
}

const DEFAULT_CHECKS_PER_SECOND = 5;
const DEFAULT_MAX_QUEUED_CHECKS = 16;

/** Compares in a worker thread, started on first use; a worker that dies is replaced on the next job. */
class WorkerCompare {
  private worker: Worker | null = null;
  private nextId = 0;
  private readonly pending = new Map<
    number,
    { resolve: (ok: boolean) => void; reject: (e: Error) => void }
  >();

  constructor(private readonly script: string) {}

  readonly compare: Compare = (password, hash) =>
    new Promise<boolean>((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      const job: CompareJob = { id, password, hash };
      this.start().postMessage(job);
    });

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script);
    worker.unref(); // never keeps the process alive
    worker.on("message", (reply: CompareReply) => {
      this.pending.get(reply.id)?.resolve(reply.matches);
      this.pending.delete(reply.id);
    });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const { reject } of this.pending.values()) reject(err);
      this.pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`bcrypt worker exited (${code})`)));
    this.worker = worker;
    return worker;
  }
}

function defaultCompare(): Compare {
  const script = path.join(__dirname, "bcrypt-worker.js");
  if (fs.existsSync(script)) return new WorkerCompare(script).compare;
  // Running from TypeScript sources (tests) or a bundle without the worker.
  return (password, hash) => bcrypt.compare(password, hash);
}

/** Checks passwords one at a time, at a bounded rate. */
export class PasswordChecker {
  private readonly perSecond: number;
  private readonly maxQueued: number;
  private readonly compare: Compare;
  private readonly queue: Array<() => void> = [];
  private running = false;
  private windowStartMs = 0;
  private startedInWindow = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    opts: PasswordCheckOptions = {},
    private readonly clock: () => number = Date.now,
  ) {
    this.perSecond = opts.perSecond ?? DEFAULT_CHECKS_PER_SECOND;
    this.maxQueued = opts.maxQueued ?? DEFAULT_MAX_QUEUED_CHECKS;
    this.compare = opts.compare ?? defaultCompare();
  }

  /** Whether `password` matches `hash`, or "busy" when too many checks are waiting. */
  check(password: string, hash: string): Promise<boolean | "busy"> {
    if (this.queue.length >= this.maxQueued) return Promise.resolve("busy");
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push(() => {
        this.compare(password, hash)
          .then(resolve, reject)
          .finally(() => {
            this.running = false;
            this.pump();
          });
      });
      this.pump();
    });
  }

  private pump(): void {
    if (this.running || this.timer !== null || this.queue.length === 0) return;
    const nowMs = this.clock();
    if (nowMs - this.windowStartMs >= 1000) {
      this.windowStartMs = nowMs;
      this.startedInWindow = 0;
    }
    if (this.startedInWindow >= this.perSecond) {
      this.timer = setTimeout(
        () => {
          this.timer = null;
          this.pump();
        },
        this.windowStartMs + 1000 - nowMs,
      );
      this.timer.unref();
      return;
    }
    this.startedInWindow++;
    this.running = true;
    this.queue.shift()?.();
  }
}
