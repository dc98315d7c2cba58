import { Job, Scheduler } from "../../../exporter/src/schedule";
import type { Logger } from "../../../exporter/src/state/log";

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("Job", () => {
  test("a run while one is in progress is skipped, not queued", async () => {
    const gate = deferred();
    let started = 0;
    const job = new Job(
      "t",
      async () => {
        started++;
        await gate.promise;
      },
      () => {},
    );
    const first = job.run();
    await job.run();
    await job.run();
    expect(job.isRunning).toBe(true);
    expect([started, job.runs, job.skipped]).toEqual([1, 1, 2]);
    gate.resolve();
    await first;
    expect(job.isRunning).toBe(false);
    await job.run();
    expect(started).toBe(2);
  });

  test("a failing run is logged and does not reject", async () => {
    const lines: string[] = [];
    const log: Logger = (level, msg, fields) => lines.push(`${level} ${msg} ${JSON.stringify(fields)}`);
    const job = new Job(
      "boom",
      async () => {
        throw new Error("kaput");
      },
      log,
    );
    await expect(job.run()).resolves.toBeUndefined();
    expect(lines).toEqual([`error job failed {"job":"boom","error":"kaput"}`]);
  });
});

describe("Scheduler", () => {
  test("stop waits for the run in progress", async () => {
    const gate = deferred();
    let finished = false;
    const job = new Job(
      "t",
      async () => {
        await gate.promise;
        finished = true;
      },
      () => {},
    );
    const scheduler = new Scheduler("UTC", () => {});
    scheduler.add("0 0 1 1 *", job);
    void job.run();
    const stopped = scheduler.stop().then(() => finished);
    gate.resolve();
    expect(await stopped).toBe(true);
  });
});
