/**
 * A scan worker thread: reads and parses the transcripts the ledger sends it, one at a
 * time, with the same `scanTranscriptFile` the ledger runs in its own thread.
 */
import { parentPort } from "node:worker_threads";
import { nodeFiles } from "../io/node";
import { keepBestCopies } from "./dedup";
import { scanTranscriptFile, type FileScanBatch } from "./file-scan";
import type { ScanJob, ScanJobReply } from "./scan-pool";
import type { UsageEvent } from "./usage-event";

// Jobs run one after the other, in the order sent (the pool keeps a few queued here).
let queue: Promise<void> = Promise.resolve();
parentPort?.on("message", (job: ScanJob) => {
  queue = queue.then(async () => parentPort?.postMessage(await runJob(job)));
});

let scratch = Buffer.alloc(0);

async function runJob(job: ScanJob): Promise<ScanJobReply> {
  const events: UsageEvent[] = [];
  if (scratch.length !== job.scanOptions.chunkBytes) scratch = Buffer.allocUnsafe(job.scanOptions.chunkBytes);
  try {
    const collect = async (batch: FileScanBatch) => {
      events.push(...batch.events);
    };
    const result = await scanTranscriptFile(nodeFiles, job.request, job.scanOptions, collect, scratch);
    events.push(...result.events);
    // Copies of one message mostly sit in the same file: sending only the best of each
    // cuts what crosses to the ledger's thread by about two thirds.
    return { kind: "scanned", result: { ...result, events: keepBestCopies(events) } };
  } catch (error) {
    return {
      kind: "unreadable",
      message: error instanceof Error ? error.message : String(error),
    };
  }
}
