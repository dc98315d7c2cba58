/**
 * Packed events as bytes: one block holds a batch of events in core's packed layout
 * (packed-events.ts), so it is written and read with a few native calls, not one per field.
 * The Raycast extension's event logs append such blocks to files; the exporter's ledger keeps
 * its dedup winners as such blocks in SQLite (db/ledger-store.ts). In a fresh process
 * per-field JavaScript runs interpreted, and a JSON string per key costs its copy and the
 * garbage collection after it.
 *
 * Block, 8-byte aligned:
 *   u32 blockBytes, u32 eventCount, u32 keysBytes, u32 jsonBytes,
 *   f64 numbers[eventCount * 8], u32 refs[eventCount * 3],
 *   keys: UTF-8, one per line (keysBytes = KEYS_IN_JSON when a key holds a newline),
 *   UTF-8 JSON [keys (only then)..., models, sessions and projects...],
 *   zero padding to 8, u32 BLOCK_END, u32 blockBytes
 * Numbers and refs are typed arrays as they lie in memory (little-endian on every machine
 * quotacast runs on). The length and end marker at both ends let a reader of an appended
 * file tell a whole block from one torn by a kill.
 */
import { NUMBER_FIELDS, packEvents, REF_FIELDS, type PackedEvents } from "./packed-events";
import type { UsageEvent } from "./usage-event";

const BLOCK_HEAD_BYTES = 16;
export const BLOCK_TAIL_BYTES = 8;
export const BLOCK_END = 0x42454351; // "QCEB" read as a little-endian u32
/** `keysBytes` of a block whose keys are in its JSON array (one of them holds a newline). */
const KEYS_IN_JSON = 0xffffffff;

/** One block holding `events`, in their order. */
export function encodeEventBlock(events: readonly UsageEvent[]): Buffer {
  const { keys, strings, refs, numbers } = packEvents(events);
  const keysInJson = keys.some((key) => key.includes("\n"));
  // One string of all keys, written straight into the block (no copy of it in between).
  const keyLines = keysInJson ? "" : keys.join("\n");
  const keyBytes = Buffer.byteLength(keyLines, "utf8");
  const json = Buffer.from(JSON.stringify(keysInJson ? [...keys, ...strings] : strings), "utf8");
  const keysAt = BLOCK_HEAD_BYTES + numbers.byteLength + refs.byteLength;
  const jsonAt = keysAt + keyBytes;
  const blockBytes = align8(jsonAt + json.length) + BLOCK_TAIL_BYTES;
  const block = Buffer.alloc(blockBytes);
  block.writeUInt32LE(blockBytes, 0);
  block.writeUInt32LE(events.length, 4);
  block.writeUInt32LE(keysInJson ? KEYS_IN_JSON : keyBytes, 8);
  block.writeUInt32LE(json.length, 12);
  block.set(new Uint8Array(numbers.buffer), BLOCK_HEAD_BYTES);
  block.set(new Uint8Array(refs.buffer), BLOCK_HEAD_BYTES + numbers.byteLength);
  block.write(keyLines, keysAt, "utf8");
  json.copy(block, jsonAt);
  block.writeUInt32LE(BLOCK_END, blockBytes - BLOCK_TAIL_BYTES);
  block.writeUInt32LE(blockBytes, blockBytes - 4);
  return block;
}

/** A block read back: its events, packed (unpack the ones wanted), and where the next block starts. */
export interface ReadBlock {
  packed: PackedEvents;
  next: number;
}

/**
 * The block at `offset` of `bytes`, or null when the bytes there are not a whole, valid block
 * (torn by a kill, or garbage). Numbers and refs are views of `bytes` when aligned.
 */
export function readEventBlock(bytes: Buffer, offset: number): ReadBlock | null {
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
  return { packed, next: end };
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
  if (keysInJson)
    return json.length < count ? null : { keys: json.slice(0, count), strings: json.slice(count) };
  // One string split once: the keys share its memory instead of being copied one by one.
  const keys = count === 0 ? [] : bytes.toString("utf8", keysAt, keysAt + keysBytes).split("\n");
  return keys.length === count ? { keys, strings: json } : null;
}
