// Generated from core/src/ingest/file-scan.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
import type { FilePort } from "../io/ports";
import { isBetterCopy } from "./dedup";
import { transcriptOrigin } from "./discover";
import { parseUsageLineBytes, type LineBounds, type LineOrigin } from "./parse";
import { scanUsageLines, type ScanOptions } from "./reader";
import type { UsageEvent } from "./usage-event";

/** One transcript to read from `startOffset` to `endOffset` (its size when it was stat'ed). */
export interface FileScanRequest {
  path: string;
  configDir: string;
  startOffset: number;
  endOffset: number;
  /** Lines dated after this are skipped and counted (see LineBounds). */
  notAfterMs: number;
}

/** The events parsed from one chunk and the offset up to which every line has been read. */
export interface FileScanBatch {
  events: UsageEvent[];
  consumedOffset: number;
}

/** Lines of one file that were not counted. */
export interface FileScanSkips {
  invalidJson: number;
  /** Valid JSON of the wrong shape, and usage lines too long to parse. */
  malformed: number;
}

export interface FileScanResult {
  /** Events after the last batch (such as a complete last line without its newline yet). */
  events: UsageEvent[];
  /** Offset of the first byte not consumed (a held-back partial line starts there). */
  consumedOffset: number;
  bytesRead: number;
  skips: FileScanSkips;
}

/**
 * Reads one transcript's new bytes and parses its usage lines, handing the events over one
 * chunk at a time. The same function runs in the ledger's process and in scan workers, so
 * both ways of reading count exactly the same lines. `scratch` is the chunk buffer (see
 * scanUsageLines): one per thread, never shared by two scans at once.
 */
export async function scanTranscriptFile(
  files: FilePort,
  request: FileScanRequest,
  scanOptions: ScanOptions,
  onBatch: (batch: FileScanBatch) => Promise<void>,
  scratch?: Buffer,
): Promise<FileScanResult> {
  const origin = new FileLineOrigin(transcriptOrigin(request.configDir, request.path), request.path);
  const skips: FileScanSkips = { invalidJson: 0, malformed: 0 };
  const bounds: LineBounds = { notAfterMs: request.notAfterMs };
  let pending: UsageEvent[] = [];
  const result = await scanUsageLines(
    files,
    request.path,
    request.startOffset,
    request.endOffset,
    {
      usageLine: (bytes, start, end, offset, complete) => {
        origin.offset = offset;
        const parsed = parseUsageLineBytes(bytes, origin, bounds, start, end);
        if (parsed.kind === "event") addCopy(pending, parsed.event);
        else if (!complete)
          return; // a line still being written: not an error yet
        else if (parsed.kind === "invalid-json") skips.invalidJson++;
        else if (parsed.kind === "malformed") skips.malformed++;
      },
      oversizedLine: () => {
        skips.malformed++;
      },
      progress: async (consumedOffset) => {
        const events = pending;
        pending = [];
        await onBatch({ events, consumedOffset });
      },
    },
    scanOptions,
    scratch,
  );
  return { events: pending, consumedOffset: result.consumedOffset, bytesRead: result.bytesRead, skips };
}

/**
 * Adds a parsed copy to a batch. Claude Code writes one line per content block of a response,
 * each with the response's usage so far, one after another: a copy whose key is the batch's
 * last one is merged into it here (the better copy stays, the earlier one on a tie), which is
 * what the ledger's dedup would decide from the two, with a quarter of the events to look up.
 */
function addCopy(batch: UsageEvent[], copy: UsageEvent): void {
  const last = batch.length > 0 ? batch[batch.length - 1] : undefined;
  if (last === undefined || last.key !== copy.key) batch.push(copy);
  else if (isBetterCopy(copy, last)) batch[batch.length - 1] = copy;
}

/**
 * The origin of each line of one file, reused line after line: the position key is built
 * only for the rare line without a message id, not for every line of a cold scan.
 */
class FileLineOrigin implements LineOrigin {
  readonly project: string;
  readonly sessionId: string;
  offset = 0;

  constructor(
    origin: { project: string; sessionId: string },
    private readonly path: string,
  ) {
    this.project = origin.project;
    this.sessionId = origin.sessionId;
  }

  get positionKey(): string {
    return `line:${this.path}:${this.offset}`;
  }
}
