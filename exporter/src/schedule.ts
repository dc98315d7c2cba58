/**
 * Jobs on node-cron. A job whose previous run is still going is skipped, not queued, so a
 * slow ingest or a hanging network call never piles up runs.
 */
import * as cron from "node-cron";
import type { Logger } from "./state/log";

export class Job {
  private running: Promise<void> | null = null;
  /** Runs started and runs skipped because one was in progress. */
  runs = 0;
  skipped = 0;

  constructor(
    readonly name: string,
    private readonly work: () => Promise<void>,
    private readonly log: Logger,
  ) {}

  get isRunning(): boolean {
    return this.running !== null;
  }

  /** Starts a run unless one is in progress; resolves when this run (if any) ends. Never rejects. */
  run(): Promise<void> {
    if (this.running) {
      this.skipped++;
      return Promise.resolve();
    }
    this.runs++;
    this.running = this.work()
      .catch((err: unknown) => {
        this.log("error", "job failed", {
          job: this.name,
          error: err instanceof Error ? err.message : String(err),
        });
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** Resolves when the run in progress (if any) has ended. */
  async idle(): Promise<void> {
    await this.running;
  }
}

export class Scheduler {
  private readonly tasks: cron.ScheduledTask[] = [];
  private readonly jobs: Job[] = [];
  private readonly cronLogger: cron.Logger;

  constructor(
    private readonly timezone: string | undefined,
    log: Logger,
  ) {
    // node-cron's own messages go to the same one-line log.
    const line = (level: "info" | "warn" | "error") => (message: string | Error) =>
      log(level, "cron", { detail: message instanceof Error ? message.message : message });
    this.cronLogger = { info: line("info"), warn: line("warn"), error: line("error"), debug: () => {} };
  }

  /** Runs `job` on the cron expression (5 fields, or 6 with seconds). */
  add(expression: string, job: Job): void {
    const task = cron.schedule(expression, () => job.run(), {
      name: job.name,
      logger: this.cronLogger,
      // A tick missed while the event loop was busy is harmless: the next one catches up.
      suppressMissedWarning: true,
      ...(this.timezone ? { timezone: this.timezone } : {}),
    });
    this.tasks.push(task);
    if (!this.jobs.includes(job)) this.jobs.push(job);
  }

  /** Stops every schedule, then waits for the runs in progress of the given jobs. */
  async stop(waitFor: readonly Job[] = this.jobs): Promise<void> {
    for (const task of this.tasks.splice(0)) await task.destroy();
    await Promise.all(waitFor.map((job) => job.idle()));
  }
}

/**
 * The longest time between two runs of a cron expression over its next `runs` runs: how
 * long a job on it may normally go without running (`"0 * * * *"` -> one hour).
 */
export function longestCronGapMs(expression: string, timezone?: string, runs = 60): number {
  const task = cron.createTask(expression, () => {}, timezone ? { timezone } : {});
  try {
    const times = task.getNextRuns(runs).map((d) => d.getTime());
    let gapMs = 0;
    for (let i = 1; i < times.length; i++) gapMs = Math.max(gapMs, times[i] - times[i - 1]);
    return gapMs;
  } finally {
    void task.destroy();
  }
}
