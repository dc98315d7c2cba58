/**
 * A worker thread for basic auth: bcrypt comparisons (tens of milliseconds of CPU each)
 * run here, one after the other, so the exporter's event loop keeps answering scrapes.
 */
import * as os from "node:os";
import { parentPort } from "node:worker_threads";
import * as bcrypt from "bcryptjs";
import type { CompareJob, CompareReply } from "./password-check";

try {
  // On Linux the nice value is per thread: this one gives way to the thread answering scrapes.
  os.setPriority(os.constants.priority.PRIORITY_LOW);
} catch {
  // not permitted here: the per-second bound still holds
}

parentPort?.on("message", (job: CompareJob) => {
  let matches = false;
  try {
    matches = bcrypt.compareSync(job.password, job.hash);
  } catch {
    matches = false;
  }
  const reply: CompareReply = { id: job.id, matches };
  parentPort?.postMessage(reply);
});
