import type { FilePort } from "../io/ports";
import { indexOfBytes, searchNeedle } from "./sparse-json";

/**
 * A line is worth parsing when it holds the usage key followed by `:{`, with or without
 * whitespace around the colon (Claude Code writes `"usage":{`; valid JSON may say
 * `"usage": {`, as Python's json.dumps does, and must not be dropped unseen). Escaped
 * copies inside strings (`\"usage\":{`) do not match. Searching for the 7-byte key and
 * checking the bytes after it measured faster than the earlier search for `:{`.
 */
const USAGE_KEY = searchNeedle('"usage"', 1, 4); // found by its `u` and `g`, its rarest bytes
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
   * A line that contains the usage marker: `bytes` from `start` to `end` (a range, not a copy
   * or a view: no object per line), at `offset` in the file. `complete` is false for the last
   * line of the file when it has no newline yet: it may be parsed, but the cursor stays before it.
   */
  usageLine(bytes: Buffer, start: number, end: number, offset: number, complete: boolean): void;
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
 * `"usage":{` (or the key with whitespace around its colon) to the sink, without turning whole chunks into strings. Chunks are read into
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
  while (from < lastNewline) {
    const key = indexOfBytes(chunk, USAGE_KEY, from);
    if (key < 0 || key > lastNewline) return;
    if (!markerAfterKey(chunk, key + USAGE_KEY.bytes.length)) {
      from = key + 1;
      continue;
    }
    const lineStart = chunk.lastIndexOf(NEWLINE, key) + 1;
    const lineEnd = chunk.indexOf(NEWLINE, key);
    sink.usageLine(chunk, lineStart, lineEnd, baseOffset + lineStart, true);
    from = lineEnd + 1;
  }
}

/** Whether the line has the usage key followed by `:` and `{`, with only whitespace around the colon. */
function hasUsageMarker(line: Buffer): boolean {
  for (let at = line.indexOf(USAGE_KEY.bytes); at >= 0; at = line.indexOf(USAGE_KEY.bytes, at + 1)) {
    if (markerAfterKey(line, at + USAGE_KEY.bytes.length)) return true;
  }
  return false;
}

const COLON = 0x3a;
const OPEN_BRACE = 0x7b;

/** Whether `:{` follows the key, with only whitespace around the colon. */
function markerAfterKey(line: Buffer, afterKey: number): boolean {
  if (line[afterKey] === COLON && line[afterKey + 1] === OPEN_BRACE) return true;
  let i = skipWhitespace(line, afterKey);
  if (line[i] !== COLON) return false;
  i = skipWhitespace(line, i + 1);
  return line[i] === OPEN_BRACE;
}

function skipWhitespace(line: Buffer, from: number): number {
  let i = from;
  while (line[i] === 0x20 || line[i] === 0x09 || line[i] === 0x0d) i++;
  return i;
}

function deliverTail(tail: Buffer, offset: number, sink: ScanSink): void {
  if (hasUsageMarker(tail)) sink.usageLine(tail, 0, tail.length, offset, false);
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
  // The key alone is looked for here; a line that has it is read whole and checked for
  // the marker before it is delivered.
  let hasMarker = firstChunk.indexOf(USAGE_KEY.bytes) >= 0;
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
          if (hasUsageMarker(line)) sink.usageLine(line, 0, line.length, lineStart, true);
        }
      }
      return { nextLineOffset: lineEnd + 1, bytesRead };
    }
    overlap = tailForMarker(overlap, chunk);
    position += chunk.length;
  }
  return { nextLineOffset: null, bytesRead };
}

/** Whether the key is in `next`, or starts in `tail` (the previous chunk's end) and ends in `next`. */
function containsMarker(tail: Buffer, next: Buffer): boolean {
  if (next.indexOf(USAGE_KEY.bytes) >= 0) return true;
  return Buffer.concat([tail, next.subarray(0, USAGE_KEY.bytes.length - 1)]).indexOf(USAGE_KEY.bytes) >= 0;
}

/** The last bytes (one short of the key) seen so far, to find a key split across chunks. */
function tailForMarker(previousTail: Buffer, chunk: Buffer): Buffer {
  const keep = USAGE_KEY.bytes.length - 1;
  const joined = chunk.length >= keep ? chunk : Buffer.concat([previousTail, chunk]);
  return Buffer.from(joined.subarray(Math.max(0, joined.length - keep)));
}
