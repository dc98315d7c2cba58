/**
 * An append-only file of usage events in a compact binary layout, read in one pass: the ledger
 * store's shards and its recent-events file. Parsing a JSON line per event was most of a
 * menu-bar refresh after one appended line (5,000 recent events: ~35 ms and as much garbage
 * collection); here an event is eight numbers and three string references, the layout of
 * core's packed events (the scan workers' messages).
 *
 * File: a header (`QCEL`, format version), then blocks, each one append, 8-byte aligned:
 *   u32 blockBytes, u32 eventCount, u32 keysBytes, u32 jsonBytes,
 *   f64 numbers[eventCount * 8], u32 refs[eventCount * 3],
 *   keys: UTF-8, one per line (keysBytes = KEYS_IN_JSON when a key holds a newline),
 *   UTF-8 JSON [keys (only then)..., models, sessions and projects...],
 *   zero padding to 8, u32 BLOCK_END, u32 blockBytes
 * Numbers and refs are typed arrays as they lie in memory (little-endian on every Mac) and the
 * keys one string split once, so a block is read with a few native calls, not one per field: in
 * a fresh process per-field JavaScript runs interpreted, and a JSON string per key costs its
 * copy and the garbage collection after it. A later copy of a key replaces an earlier one.
 *
 * A kill mid-append leaves a torn last block: it fails the length or end-marker check, reading
 * stops there, and the next write rewrites the file instead of appending after the tear (so no
 * block is ever hidden behind one). A file of another format version reads as empty.
 */
import * as fs from "node:fs";
import { writeFileAtomic } from "../vendor/core/statusline/atomic-write";
import {
  NUMBER_FIELDS,
  packedTimestampMs,
  packEvents,
  REF_FIELDS,
  unpackEvent,
  type PackedEvents,
  type UsageEvent,
} from "../vendor/core/ingest";

const MAGIC = "QCEL";
/** Bumped when the layout or the fields change: an older file then reads as empty. */
const EVENT_LOG_VERSION = 1;
const HEADER_BYTES = 8;
const BLOCK_HEAD_BYTES = 16;
const BLOCK_TAIL_BYTES = 8;
const BLOCK_END = 0x42454351; // "QCEB" read as a little-endian u32
/** `keysBytes` of a block whose keys are in its JSON array (one of them holds a newline). */
const KEYS_IN_JSON = 0xffffffff;

export interface EventLogContents {
  /** Key -> its last copy in the file (when kept). */
  events: Map<string, UsageEvent>;
  /** Events stored, superseded copies included (to know when a rewrite pays). */
  records: number;
  /** Whether the file must be rewritten before the next append (torn tail, other version, garbage). */
  damaged: boolean;
}

/** The header every file starts with. */
function header(): Buffer {
  const buffer = Buffer.alloc(HEADER_BYTES);
  buffer.write(MAGIC, 0, "latin1");
  buffer.writeUInt32LE(EVENT_LOG_VERSION, 4);
  return buffer;
}

/** One block holding `events`, in their order: core's packed layout, with its keys and strings. */
export function encodeBlock(events: readonly UsageEvent[]): Buffer {
  const { keys, strings, refs, numbers } = packEvents(events);
  const keysInJson = keys.some((key) => key.includes("\n"));
  const keyLines = Buffer.from(keysInJson ? "" : keys.join("\n"), "utf8");
  const json = Buffer.from(JSON.stringify(keysInJson ? [...keys, ...strings] : strings), "utf8");
  const keysAt = BLOCK_HEAD_BYTES + numbers.byteLength + refs.byteLength;
  const jsonAt = keysAt + keyLines.length;
  const blockBytes = align8(jsonAt + json.length) + BLOCK_TAIL_BYTES;
  const block = Buffer.alloc(blockBytes);
  block.writeUInt32LE(blockBytes, 0);
  block.writeUInt32LE(events.length, 4);
  block.writeUInt32LE(keysInJson ? KEYS_IN_JSON : keyLines.length, 8);
  block.writeUInt32LE(json.length, 12);
  block.set(new Uint8Array(numbers.buffer), BLOCK_HEAD_BYTES);
  block.set(new Uint8Array(refs.buffer), BLOCK_HEAD_BYTES + numbers.byteLength);
  keyLines.copy(block, keysAt);
  json.copy(block, jsonAt);
  block.writeUInt32LE(BLOCK_END, blockBytes - BLOCK_TAIL_BYTES);
  block.writeUInt32LE(blockBytes, blockBytes - 4);
  return block;
}

function align8(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}

/** `length` elements of a typed array at `offset` of `bytes`: a view when aligned, else a copy. */
function typedAt<T extends Float64Array | Uint32Array>(
  Type: { new (buffer: ArrayBuffer, offset?: number, length?: number): T; BYTES_PER_ELEMENT: number },
  bytes: Buffer,
  offset: number,
  length: number,
): T {
  const at = bytes.byteOffset + offset;
  const buffer = bytes.buffer as ArrayBuffer;
  if (at % Type.BYTES_PER_ELEMENT === 0) return new Type(buffer, at, length);
  return new Type(buffer.slice(at, at + length * Type.BYTES_PER_ELEMENT));
}

/** A block's keys and its strings (models, sessions, projects); null when they do not decode. */
function blockTexts(
  bytes: Buffer,
  count: number,
  keysAt: number,
  keysBytes: number,
  jsonBytes: number,
): { keys: string[]; strings: string[] } | null {
  const keysInJson = keysBytes === KEYS_IN_JSON;
  const jsonAt = keysInJson ? keysAt : keysAt + keysBytes;
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString("utf8", jsonAt, jsonAt + jsonBytes));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || !parsed.every((s) => typeof s === "string")) return null;
  const json = parsed as string[];
  if (keysInJson) return json.length < count ? null : { keys: json.slice(0, count), strings: json.slice(count) };
  // One string split once: the keys share its memory instead of being copied one by one.
  const keys = count === 0 ? [] : bytes.toString("utf8", keysAt, keysAt + keysBytes).split("\n");
  return keys.length === count ? { keys, strings: json } : null;
}

/**
 * The events of the block at `offset` that `keep` accepts (added to `into`), and where the next
 * block starts; null when the bytes there are not a whole, valid block (torn by a kill, or garbage).
 */
function decodeBlock(
  bytes: Buffer,
  offset: number,
  into: Map<string, UsageEvent>,
  keep: (timestampMs: number) => boolean,
): number | null {
  if (offset + BLOCK_HEAD_BYTES + BLOCK_TAIL_BYTES > bytes.length) return null;
  const blockBytes = bytes.readUInt32LE(offset);
  const count = bytes.readUInt32LE(offset + 4);
  const keysBytes = bytes.readUInt32LE(offset + 8);
  const jsonBytes = bytes.readUInt32LE(offset + 12);
  const end = offset + blockBytes;
  const numbersAt = offset + BLOCK_HEAD_BYTES;
  const refsAt = numbersAt + count * NUMBER_FIELDS * 8;
  const keysAt = refsAt + count * REF_FIELDS * 4;
  const textBytes = (keysBytes === KEYS_IN_JSON ? 0 : keysBytes) + jsonBytes;
  const whole =
    blockBytes % 8 === 0 &&
    end <= bytes.length &&
    keysAt + textBytes + BLOCK_TAIL_BYTES <= end &&
    bytes.readUInt32LE(end - BLOCK_TAIL_BYTES) === BLOCK_END &&
    bytes.readUInt32LE(end - 4) === blockBytes;
  if (!whole) return null;
  const texts = blockTexts(bytes, count, keysAt, keysBytes, jsonBytes);
  if (texts === null) return null;
  const packed: PackedEvents = {
    ...texts,
    numbers: typedAt(Float64Array, bytes, numbersAt, count * NUMBER_FIELDS),
    refs: typedAt(Uint32Array, bytes, refsAt, count * REF_FIELDS),
  };
  if (packed.refs.some((r) => r >= packed.strings.length)) return null;
  // Applied only once the whole block is known good: a bad block adds nothing.
  for (let i = 0; i < count; i++) {
    if (keep(packedTimestampMs(packed, i))) into.set(packed.keys[i], unpackEvent(packed, i));
    else into.delete(packed.keys[i]); // an expired copy still replaces the older ones
  }
  return end;
}

/**
 * Reads the whole file, keeping the events whose time `keep` accepts (deciding before an event
 * is built saves a fresh process most of its garbage); a missing file is empty and undamaged.
 */
export function readEventLog(file: string, keep: (timestampMs: number) => boolean = () => true): EventLogContents {
  const events = new Map<string, UsageEvent>();
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return { events, records: 0, damaged: false };
  }
  if (bytes.length < HEADER_BYTES || !bytes.subarray(0, HEADER_BYTES).equals(header()))
    return { events, records: 0, damaged: true };
  let records = 0;
  let offset = HEADER_BYTES;
  while (offset < bytes.length) {
    const next = decodeBlock(bytes, offset, events, keep);
    if (next === null) return { events, records, damaged: true };
    records += bytes.readUInt32LE(offset + 4);
    offset = next;
  }
  return { events, records, damaged: false };
}

/** The events of one block encoded alone (`encodeBlock`), in their order; null when it does not decode. */
export function decodeEvents(bytes: Buffer): UsageEvent[] | null {
  const into = new Map<string, UsageEvent>();
  return decodeBlock(bytes, 0, into, () => true) === bytes.length ? [...into.values()] : null;
}

/**
 * Whether the file ends with a whole block (or is just its header), checked from its last
 * bytes without reading the rest: appending after a torn block would hide what follows it.
 * A missing file is intact (it is created with its header).
 */
export function endsIntact(file: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT";
  }
  try {
    const size = fs.fstatSync(fd).size;
    const head = Buffer.alloc(HEADER_BYTES);
    if (size < HEADER_BYTES || fs.readSync(fd, head, 0, HEADER_BYTES, 0) !== HEADER_BYTES) return false;
    if (!head.equals(header())) return false;
    if (size === HEADER_BYTES) return true;
    const tail = Buffer.alloc(BLOCK_TAIL_BYTES);
    if (fs.readSync(fd, tail, 0, BLOCK_TAIL_BYTES, size - BLOCK_TAIL_BYTES) !== BLOCK_TAIL_BYTES) return false;
    const blockBytes = tail.readUInt32LE(4);
    if (tail.readUInt32LE(0) !== BLOCK_END || blockBytes % 8 !== 0 || blockBytes > size - HEADER_BYTES) return false;
    const start = Buffer.alloc(4);
    fs.readSync(fd, start, 0, 4, size - blockBytes);
    return start.readUInt32LE(0) === blockBytes;
  } finally {
    fs.closeSync(fd);
  }
}

/** Adds one block at the end (creating the file with its header when missing); the bytes written. */
export function appendEvents(file: string, events: readonly UsageEvent[]): number {
  const block = encodeBlock(events);
  const { fd, created } = openForAppend(file);
  try {
    // One write per block: O_APPEND puts it whole at the end, after any other writer's.
    const data = created ? Buffer.concat([header(), block]) : block;
    writeAll(fd, data);
    return data.length;
  } finally {
    fs.closeSync(fd);
  }
}

/** The file opened for appending; `created` when this call made it (it then needs its header). */
function openForAppend(file: string): { fd: number; created: boolean } {
  const { O_WRONLY, O_APPEND, O_CREAT, O_EXCL } = fs.constants;
  // The file exists on every append but the first: try that first (a thrown error costs more than the write).
  try {
    return { fd: fs.openSync(file, O_WRONLY | O_APPEND), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  try {
    return { fd: fs.openSync(file, O_WRONLY | O_APPEND | O_CREAT | O_EXCL), created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return { fd: fs.openSync(file, O_WRONLY | O_APPEND), created: false }; // another writer made it meanwhile
  }
}

function writeAll(fd: number, data: Buffer): void {
  for (let written = 0; written < data.length;) written += fs.writeSync(fd, data, written);
}

/** Replaces the file with these events in one block (temp file and rename: never torn). */
export function rewriteEvents(file: string, events: Iterable<UsageEvent>): void {
  writeFileAtomic(file, Buffer.concat([header(), encodeBlock([...events])]));
}
