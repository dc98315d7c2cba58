import type { FilePort } from "../io/ports";

/** The bytes that mark a line worth parsing; escaped copies inside strings (`\"usage\":{`) do not match. */
export const USAGE_MARKER = Buffer.from('"usage":{');
const NEWLINE = 0x0a;

export interface ScanOptions {
  /** Bytes read per call (bounded memory on 700 MB files). */
  chunkBytes: number;
  /** A usage line longer than this is skipped (counted), never parsed. */
  maxLineBytes: number;
}

// 1 MB chunks: most transcripts are read in one call, memory stays bounded on 700 MB files, and
// a cold scan of ~500 MB measured a little faster than with 8 MB (fewer cache misses, less GC).
// Assistant lines are KBs, rarely MBs; a longer line is read on through `skipLongLine`.
export const DEFAULT_SCAN_OPTIONS: ScanOptions = {
  chunkBytes: 1024 * 1024,
  maxLineBytes: 16 * 1024 * 1024,
};

export interface ScanSink {
  /**
   * A line that contains the usage marker. `complete` is false for the last line of the
   * file when it has no newline yet: it may be parsed, but the cursor stays before it.
   */
  usageLine(line: Buffer, offset: number, complete: boolean): void;
  /** A usage line longer than `maxLineBytes`. */
  oversizedLine(offset: number): void;
  /** Called after each chunk with the offset up to which every line has been delivered. */
  progress(consumedOffset: number): Promise<void>;
}

export interface ScanResult {
  /** Offset of the first byte not consumed (the start of a held-back partial line, or `end`). */
  consumedOffset: number;
  bytesRead: number;
}

/**
 * Reads [start, end) of a transcript in chunks and hands every line that contains
 * `"usage":{` to the sink, without turning whole chunks into strings. Chunks are read into
 * `scratch` when given (one buffer for a whole scan), so a line handed to the sink is valid
 * only during the call.
 */
export async function scanUsageLines(
  files: FilePort,
  path: string,
  start: number,
  end: number,
  sink: ScanSink,
  opts: ScanOptions = DEFAULT_SCAN_OPTIONS,
  scratch?: Buffer,
): Promise<ScanResult> {
  let position = start;
  let bytesRead = 0;
  while (position < end) {
    const chunk = await files.readRange(path, position, Math.min(end, position + opts.chunkBytes), scratch);
    bytesRead += chunk.length;
    if (chunk.length === 0) break; // the file shrank under us; the next refresh sees it
    const atEnd = position + chunk.length >= end;
    const lastNewline = chunk.lastIndexOf(NEWLINE);
    if (lastNewline < 0) {
      if (atEnd) {
        deliverTail(chunk, position, sink);
        break;
      }
      const long = await skipLongLine(files, path, position, end, chunk, sink, opts, scratch);
      bytesRead += long.bytesRead;
      if (long.nextLineOffset === null) break; // an unfinished long line: held back
      position = long.nextLineOffset;
      await sink.progress(position);
      continue;
    }
    deliverCompleteLines(chunk, lastNewline, position, sink);
    position += lastNewline + 1;
    if (atEnd && lastNewline < chunk.length - 1) {
      deliverTail(chunk.subarray(lastNewline + 1), position, sink);
    }
    await sink.progress(position);
    if (atEnd) break;
  }
  return { consumedOffset: position, bytesRead };
}

function deliverCompleteLines(chunk: Buffer, lastNewline: number, baseOffset: number, sink: ScanSink): void {
  let from = 0;
  const search = new MarkerSearch();
  while (from < lastNewline) {
    const marker = search.next(chunk, from);
    if (marker < 0 || marker > lastNewline) return;
    const lineStart = chunk.lastIndexOf(NEWLINE, marker) + 1;
    const lineEnd = chunk.indexOf(NEWLINE, marker);
    sink.usageLine(chunk.subarray(lineStart, lineEnd), baseOffset + lineStart, true);
    from = lineEnd + 1;
  }
}

const COLON_BRACE = Buffer.from(":{");
const MARKER_KEY = USAGE_MARKER.subarray(0, USAGE_MARKER.length - COLON_BRACE.length);

/**
 * Finds the usage marker. Node's search for the 9-byte marker runs at ~2 GB/s on transcript
 * text; looking for its last two bytes `:{` (a memchr for the colon) and checking the seven
 * before is 2-3x faster, as long as `:{` is rare. When it is not (compact JSON inside tool
 * output), the search goes back to the whole marker for the rest of the chunk.
 */
class MarkerSearch {
  private falseHits = 0;
  private wholeMarker = false;

  next(chunk: Buffer, from: number): number {
    if (this.wholeMarker) return chunk.indexOf(USAGE_MARKER, from);
    let at = from + MARKER_KEY.length;
    for (;;) {
      const colon = chunk.indexOf(COLON_BRACE, at);
      if (colon < 0) return -1;
      const start = colon - MARKER_KEY.length;
      if (startsWithMarkerKey(chunk, start)) return start;
      // Past one false hit per 512 bytes searched, the colon search costs more than it saves.
      if (++this.falseHits > 64 && this.falseHits * 512 > colon) {
        this.wholeMarker = true;
        return chunk.indexOf(USAGE_MARKER, colon - MARKER_KEY.length + 1);
      }
      at = colon + 1;
    }
  }
}

function startsWithMarkerKey(chunk: Buffer, start: number): boolean {
  for (let k = 0; k < MARKER_KEY.length; k++) if (chunk[start + k] !== MARKER_KEY[k]) return false;
  return true;
}

function deliverTail(tail: Buffer, offset: number, sink: ScanSink): void {
  if (tail.indexOf(USAGE_MARKER) >= 0) sink.usageLine(tail, offset, false);
}

/**
 * A line longer than one chunk: scan on for its end, remembering whether it holds the
 * marker (which may straddle two chunks). Only a usage line within `maxLineBytes` is read
 * whole; huge user lines (tool results with whole files) are passed over unparsed.
 */
async function skipLongLine(
  files: FilePort,
  path: string,
  lineStart: number,
  end: number,
  firstChunk: Buffer,
  sink: ScanSink,
  opts: ScanOptions,
  scratch: Buffer | undefined,
): Promise<{ nextLineOffset: number | null; bytesRead: number }> {
  // firstChunk may live in scratch: take what is needed of it before the next read.
  let hasMarker = firstChunk.indexOf(USAGE_MARKER) >= 0;
  let overlap = tailForMarker(Buffer.alloc(0), firstChunk);
  let position = lineStart + firstChunk.length;
  let bytesRead = 0;
  while (position < end) {
    const chunk = await files.readRange(path, position, Math.min(end, position + opts.chunkBytes), scratch);
    bytesRead += chunk.length;
    if (chunk.length === 0) break;
    const newline = chunk.indexOf(NEWLINE);
    const searched = newline < 0 ? chunk : chunk.subarray(0, newline);
    hasMarker ||= containsMarker(overlap, searched);
    if (newline >= 0) {
      const lineEnd = position + newline;
      if (hasMarker) {
        if (lineEnd - lineStart > opts.maxLineBytes) {
          sink.oversizedLine(lineStart);
        } else {
          const line = await files.readRange(path, lineStart, lineEnd);
          bytesRead += line.length;
          sink.usageLine(line, lineStart, true);
        }
      }
      return { nextLineOffset: lineEnd + 1, bytesRead };
    }
    overlap = tailForMarker(overlap, chunk);
    position += chunk.length;
  }
  return { nextLineOffset: null, bytesRead };
}

/** Whether the marker is in `next`, or starts in `tail` (the previous chunk's end) and ends in `next`. */
function containsMarker(tail: Buffer, next: Buffer): boolean {
  if (next.indexOf(USAGE_MARKER) >= 0) return true;
  return Buffer.concat([tail, next.subarray(0, USAGE_MARKER.length - 1)]).indexOf(USAGE_MARKER) >= 0;
}

/** The last bytes (one short of the marker) seen so far, to find a marker split across chunks. */
function tailForMarker(previousTail: Buffer, chunk: Buffer): Buffer {
  const keep = USAGE_MARKER.length - 1;
  const joined = chunk.length >= keep ? chunk : Buffer.concat([previousTail, chunk]);
  return Buffer.from(joined.subarray(Math.max(0, joined.length - keep)));
}
