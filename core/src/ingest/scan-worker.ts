/**
 * A scan worker thread: claims the refresh's files one at a time from the shared counter
 * and reads and parses each with the same `scanTranscriptFile` the ledger runs in its own
 * thread.
 */
import { parentPort } from "node:worker_threads";
import { nodeFiles } from "../io/node";
import { keepBestCopies } from "./dedup";
import { scanTranscriptFile, type FileScanBatch, type FileScanRequest } from "./file-scan";
import { packEvents, packedBuffers } from "./packed-events";
import type { PackedScanReply, ScanBatchJob, ScanWorkerMessage } from "./scan-pool";
import type { ScanOptions } from "./reader";
import { sparseJsonScratch } from "./sparse-json";
import type { UsageEvent } from "./usage-event";

parentPort?.once("message", (job: ScanBatchJob) => {
  void scanClaimedFiles(job);
});

async function scanClaimedFiles(job: ScanBatchJob): Promise<void> {
  for (;;) {
    const index = Atomics.add(job.nextRequest, 0, 1);
    if (index >= job.requests.length) break;
    // Chunks are read into the parser's memory, where their usage lines are parsed in place.
    const scratch = sparseJsonScratch(job.scanOptions.chunkBytes, job.scanOptions.maxLineBytes);
    const reply = await scanFile(job.requests[index], job.scanOptions, scratch);
    const message: ScanWorkerMessage = { kind: "file", index, reply };
    parentPort?.postMessage(message, reply.kind === "scanned" ? packedBuffers(reply.result.events) : []);
  }
  const done: ScanWorkerMessage = { kind: "done" };
  parentPort?.postMessage(done);
}

async function scanFile(
  request: FileScanRequest,
  scanOptions: ScanOptions,
  scratch: Buffer,
): Promise<PackedScanReply> {
  const events: UsageEvent[] = [];
  try {
    const collect = async (batch: FileScanBatch) => {
      events.push(...batch.events);
    };
    const result = await scanTranscriptFile(nodeFiles, request, scanOptions, collect, scratch);
    events.push(...result.events);
    // Copies of one message mostly sit in the same file: sending only the best of each
    // cuts what crosses to the ledger's thread by about two thirds.
    return { kind: "scanned", result: { ...result, events: packEvents(keepBestCopies(events)) } };
  } catch (error) {
    return {
      kind: "unreadable",
      message: error instanceof Error ? error.message : String(error),
    };
  }
}
