/**
 * The ledger store's file cursors in one small binary file, read once per run and replaced
 * atomically on each commit. A warm run reads nothing else of the store, so this file is on
 * every refresh's path: five numbers per transcript and the paths as one JSON array parse in a
 * fraction of the time (and garbage) of a JSON object per cursor.
 *
 * Layout (little-endian, as every Mac): `QCCU`, u32 format version, u32 shard count (the
 * store's layout), u32 cursor count, f64 [dev, ino, sizeBytes, mtimeMs, offsetBytes] per cursor
 * (one Float64Array as it lies in memory), then the paths as UTF-8 JSON. A file that does not decode, or of another version or shard count, is null:
 * the store then starts over.
 */
import * as fs from "node:fs";
import { writeFileAtomic } from "../vendor/core/statusline/atomic-write";
import type { FileCursor } from "../vendor/core/ingest";

const MAGIC = "QCCU";
const HEAD_BYTES = 16;
const NUMBERS_PER_CURSOR = 5;

export interface CursorFileLayout {
  version: number;
  shards: number;
}

/**
 * The paths part of an encoded file, reusable while the paths stay the same, in the same order
 * (a commit that only moves cursors on): serializing thousands of paths again costs more than
 * the numbers.
 */
export interface EncodedPaths {
  paths: readonly string[];
  bytes: Buffer;
}

export function encodeCursors(
  layout: CursorFileLayout,
  cursors: readonly FileCursor[],
  previous: EncodedPaths | null = null,
): Buffer {
  return encodeCursorsWithPaths(layout, cursors, previous).file;
}

/** The file, and its paths part for the next encoding. */
function encodeCursorsWithPaths(
  layout: CursorFileLayout,
  cursors: readonly FileCursor[],
  previous: EncodedPaths | null,
): { file: Buffer; paths: EncodedPaths } {
  const numbers = new Float64Array(cursors.length * NUMBERS_PER_CURSOR);
  for (let i = 0; i < cursors.length; i++) {
    const { identity, offsetBytes } = cursors[i];
    const n = i * NUMBERS_PER_CURSOR;
    numbers[n] = identity.dev;
    numbers[n + 1] = identity.ino;
    numbers[n + 2] = identity.sizeBytes;
    numbers[n + 3] = identity.mtimeMs;
    numbers[n + 4] = offsetBytes;
  }
  const head = Buffer.alloc(HEAD_BYTES);
  head.write(MAGIC, 0, "latin1");
  head.writeUInt32LE(layout.version, 4);
  head.writeUInt32LE(layout.shards, 8);
  head.writeUInt32LE(cursors.length, 12);
  const paths = cursors.map((c) => c.path);
  const same =
    previous !== null && previous.paths.length === paths.length && paths.every((p, i) => p === previous.paths[i]);
  const pathBytes = same ? previous.bytes : Buffer.from(JSON.stringify(paths), "utf8");
  return {
    file: Buffer.concat([head, new Uint8Array(numbers.buffer), pathBytes]),
    paths: { paths, bytes: pathBytes },
  };
}

/** The cursors, or null when the bytes are not a cursor file of this layout. */
export function decodeCursors(bytes: Buffer, layout: CursorFileLayout): FileCursor[] | null {
  return decodeCursorTable(bytes, layout)?.cursors() ?? null;
}

/**
 * A cursor file as read: the numbers (a copy) and the paths. A run that moves on a few cursors
 * (one appended line) changes their numbers here and writes the file again without making an
 * object per cursor, nor serializing the paths again.
 */
export class CursorTable {
  private indexes: Map<string, number> | null = null;
  private lookups = 0;

  constructor(
    private readonly numbers: Float64Array,
    readonly pathBytes: Buffer,
    readonly paths: readonly string[],
  ) {}

  get encodedPaths(): EncodedPaths {
    return { paths: this.paths, bytes: this.pathBytes };
  }

  cursors(): FileCursor[] {
    const cursors: FileCursor[] = [];
    for (let i = 0; i < this.paths.length; i++) cursors.push(this.cursorAt(i, this.paths[i]));
    return cursors;
  }

  /** The stored cursor of `path`; null when it has none. */
  cursorOf(path: string): FileCursor | null {
    const index = this.indexOf(path);
    return index === undefined ? null : this.cursorAt(index, path);
  }

  /** Replaces the stored cursor of its path; false when the path has none (the table is left as is). */
  replace(cursor: FileCursor): boolean {
    const index = this.indexOf(cursor.path);
    if (index === undefined) return false;
    const n = index * NUMBERS_PER_CURSOR;
    this.numbers[n] = cursor.identity.dev;
    this.numbers[n + 1] = cursor.identity.ino;
    this.numbers[n + 2] = cursor.identity.sizeBytes;
    this.numbers[n + 3] = cursor.identity.mtimeMs;
    this.numbers[n + 4] = cursor.offsetBytes;
    return true;
  }

  encode(layout: CursorFileLayout): Buffer {
    const head = Buffer.alloc(HEAD_BYTES);
    head.write(MAGIC, 0, "latin1");
    head.writeUInt32LE(layout.version, 4);
    head.writeUInt32LE(layout.shards, 8);
    head.writeUInt32LE(this.numbers.length / NUMBERS_PER_CURSOR, 12);
    return Buffer.concat([head, new Uint8Array(this.numbers.buffer), this.pathBytes]);
  }

  private cursorAt(i: number, path: string): FileCursor {
    const n = i * NUMBERS_PER_CURSOR;
    const numbers = this.numbers;
    return {
      path,
      identity: { dev: numbers[n], ino: numbers[n + 1], sizeBytes: numbers[n + 2], mtimeMs: numbers[n + 3] },
      offsetBytes: numbers[n + 4],
    };
  }

  /** A few lookups (a run that moves on a cursor or two) search the array; more build an index. */
  private indexOf(path: string): number | undefined {
    if (this.indexes === null && this.lookups++ < 8) {
      const index = this.paths.indexOf(path);
      return index < 0 ? undefined : index;
    }
    this.indexes ??= new Map(this.paths.map((p, i) => [p, i]));
    return this.indexes.get(path);
  }
}

/** The table of a cursor file's bytes; null when they are not a cursor file of this layout. */
function decodeCursorTable(bytes: Buffer, layout: CursorFileLayout): CursorTable | null {
  if (bytes.length < HEAD_BYTES || bytes.toString("latin1", 0, 4) !== MAGIC) return null;
  if (bytes.readUInt32LE(4) !== layout.version || bytes.readUInt32LE(8) !== layout.shards) return null;
  const count = bytes.readUInt32LE(12);
  const pathsAt = HEAD_BYTES + count * NUMBERS_PER_CURSOR * 8;
  if (pathsAt > bytes.length) return null;
  const pathBytes = bytes.subarray(pathsAt);
  let paths: unknown;
  try {
    paths = JSON.parse(pathBytes.toString("utf8"));
  } catch {
    return null;
  }
  if (!Array.isArray(paths) || paths.length !== count || !paths.every((p) => typeof p === "string")) return null;
  // A copy (the numbers change in place); reading field by field with readDoubleLE runs interpreted.
  const numbers = new Float64Array(count * NUMBERS_PER_CURSOR);
  new Uint8Array(numbers.buffer).set(bytes.subarray(HEAD_BYTES, pathsAt));
  return new CursorTable(numbers, pathBytes, paths as string[]);
}

/** The cursor file `file`; null when it is missing or unreadable as this layout. */
export function readCursorTable(file: string, layout: CursorFileLayout): CursorTable | null {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return null;
  }
  return decodeCursorTable(bytes, layout);
}

/** Writes the cursors; the paths part of the last read or write is reused when the paths are the same. */
export function writeCursorFile(
  file: string,
  layout: CursorFileLayout,
  cursors: readonly FileCursor[],
  previous: EncodedPaths | null = null,
): EncodedPaths {
  const encoded = encodeCursorsWithPaths(layout, cursors, previous);
  writeFileAtomic(file, encoded.file);
  return encoded.paths;
}
