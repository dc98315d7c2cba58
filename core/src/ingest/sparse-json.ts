/**
 * JSON.parse for a reader that needs a few fields of a large line. A usage line of a
 * transcript is kilobytes of message content around a few dozen bytes of usage; parsing all
 * of it into objects was most of a cold scan's time and garbage. This reads the bytes
 * without decoding the line and builds only the values a `SparseShape` asks for.
 *
 * It checks the line's structure as JSON.parse does (brackets, commas, colons, numbers,
 * literals, nothing after the value: a torn or spliced line is rejected), but takes the
 * contents of strings it does not build as written: a string ends at the first quote not
 * escaped by a backslash, and a raw control character or unknown escape inside it is not an
 * error. JSON.stringify never writes those, and a line damaged only inside its text still
 * records a real response.
 *
 * The byte work (checking the structure, matching keys, finding where each wanted value is)
 * runs in WebAssembly compiled from sparse-json.c: it needs no warm-up and checks 64 bytes
 * of a string at a time. A reader reads its chunks into the module's memory
 * (`sparseJsonScratch`), so a line is parsed where it was read; `readSparseJson` then lets it
 * build only the values it uses, and no object of the line. On a 500 MB history (60k usage
 * lines), medians of 9 interleaved cold `quotacast daily` runs: 806 ms, against 835 for the
 * first WebAssembly version (each line's objects built from a copy) and 858 for the same
 * rules in JavaScript (2026-12-03, two cores).
 * One difference from JSON.parse remains: a line nested more than 8 million levels deep is
 * reported as not JSON.
 */
import { SPARSE_JSON_WASM_BASE64 } from "./sparse-json-wasm";

/**
 * Which parts of a value to build: `true` builds the value whole; an object builds only the
 * listed keys of an object there (with their own shapes) and drops the others. A value that
 * is not an object where the shape expects one is built whole, as JSON.parse would.
 */
export type SparseShape = true | { readonly [key: string]: SparseShape };

/** Returned for bytes that are not one JSON value (JSON.parse would throw). */
export const NOT_JSON: unique symbol = Symbol("not JSON");

/** A shape laid out in this thread's WebAssembly memory (compile once, parse many lines). */
export interface CompiledShape {
  readonly keys: readonly ShapeKey[];
  /** Addresses of the shape's tables in the module's memory (see sparse-json.c). */
  readonly nodesAt: number;
  readonly entriesAt: number;
  readonly slotsAt: number;
  /**
   * The ASCII string last built at each slot: consecutive lines repeat most of them (the copies
   * of one response share its ids and model), and one found again costs a comparison instead
   * of a new string, its garbage and, as a map key, hashing it again.
   */
  readonly lastStrings: Array<string | undefined>;
}

/** One key of a compiled shape: a handle to read its value with (see SparseValues). */
export interface ShapeKey {
  readonly name: string;
  /** The names from the top of the shape down to this key. */
  readonly path: readonly string[];
  /** Where the line's value for this key is reported. */
  readonly slot: number;
  /** The keys to build of an object there, or null to build the value whole. */
  readonly keys: readonly ShapeKey[] | null;
}

/**
 * The JSON value of `text` (UTF-8 bytes, such as one line), sparse where `shape` says, or
 * NOT_JSON. Duplicate keys resolve as in JSON.parse: the last one wins.
 */
export function parseSparseJson(text: Buffer, shape: CompiledShape): unknown {
  const values = readSparseJson(text, shape);
  return values === NOT_JSON ? NOT_JSON : values.whole();
}

/**
 * Reads `text` (from `start` to `end`) by `shape` without building anything yet: its values
 * are then read key by key (a reader that needs a few of them builds no objects). Valid until
 * the next read in this thread. NOT_JSON when the structure is not one JSON value; a value
 * that JSON.parse would reject inside it shows in `SparseValues.valid`.
 */
export function readSparseJson(
  text: Buffer,
  shape: CompiledShape,
  start = 0,
  end = text.length,
): SparseValues | typeof NOT_JSON {
  const wasm = module();
  const lineAt = wasm.place(text, start, end);
  const read = wasm.exports.read_line(lineAt, end - start, shape.nodesAt, shape.entriesAt, shape.slotsAt);
  return read === 0 ? NOT_JSON : wasm.valuesOf(shape, lineAt, read === READ_WITH_VALUES_TO_CHECK);
}

/**
 * A buffer of `bytes` in this thread's WebAssembly memory, for a reader's chunks: a line
 * read into it is parsed where it is, without a copy. One per thread (a second call with the
 * same size gives the same memory). Room for a line of `lineBytes` read elsewhere (one longer
 * than a chunk) is kept above it: growing the memory would leave the buffer in hand empty, and
 * a reader's next reads would go to fresh buffers, each a megabyte of page faults (240 ms of a
 * cold scan whose long lines grew it). Untouched, that room costs no resident memory. Ask
 * again for each file: after memory grew anyway, the next buffer is a valid one.
 */
export function sparseJsonScratch(bytes: number, lineBytes: number): Buffer {
  return module().scratch(bytes, lineBytes);
}

/**
 * Bytes to search for with `indexOfBytes`, and the two of them it looks for first (its rarest
 * in the text searched: a quoted key's quotes are the commonest bytes of JSON).
 */
export interface SearchNeedle {
  readonly bytes: Buffer;
  readonly firstProbe: number;
  readonly secondProbe: number;
}

export function searchNeedle(text: string, firstProbe: number, secondProbe: number): SearchNeedle {
  const bytes = Buffer.from(text, "utf8");
  if (!(firstProbe >= 0 && firstProbe < bytes.length && secondProbe >= 0 && secondProbe < bytes.length))
    throw new RangeError(`probes ${firstProbe} and ${secondProbe} are not both in ${text}`);
  return { bytes, firstProbe, secondProbe };
}

/**
 * The offset of the first `needle` in `bytes` from `from` (>= 0) to `end`, or -1: what
 * `bytes.subarray(0, end).indexOf(needle.bytes, from)` gives. Bytes in this thread's
 * WebAssembly memory (a `sparseJsonScratch` chunk) are searched there, 64 positions at a time:
 * finding the usage key in 506 MB of transcripts took 39-42 ms instead of Buffer.indexOf's 65-69.
 */
export function indexOfBytes(bytes: Buffer, needle: SearchNeedle, from: number, end = bytes.length): number {
  return module().indexOf(bytes, needle, from, end);
}

export function compileShape(shape: Exclude<SparseShape, true>): CompiledShape {
  return module().compileShape(shape);
}

/** The key of `shape` at `path` (to read it by); throws when the shape has none there. */
export function shapeKey(shape: CompiledShape, ...path: string[]): ShapeKey {
  let keys: readonly ShapeKey[] | null = shape.keys;
  let found: ShapeKey | undefined;
  for (const name of path) {
    found = keys?.find((key) => key.name === name);
    if (found === undefined) throw new Error(`the shape has no key ${path.join(".")}`);
    keys = found.keys;
  }
  if (found === undefined) throw new Error("shapeKey needs a path");
  return found;
}

/**
 * The values of the last line read, by key of its shape. A key's value is only meaningful
 * when every key above it holds an object (check those first); objects are not built.
 */
export interface SparseValues {
  /** Whether the line has this key (in an object where the shape expects it). */
  has(key: ShapeKey): boolean;
  /** Whether the value at this key (null: the whole line) is an object the shape reads into. */
  isObject(key: ShapeKey | null): boolean;
  /** The value, built whole; undefined when absent; NOT_JSON when JSON.parse would reject it. */
  value(key: ShapeKey): unknown;
  /** Whether the value is a string (as JSON.parse would build it), without building it. */
  isString(key: ShapeKey): boolean;
  /**
   * The time of the string at this key when it is written `2026-11-20T10:00:00.000Z` (the
   * form Claude Code writes) with every field in range, as Date.UTC gives it, without building
   * the string; undefined for any other value (build it to read it).
   */
  utcTimestampMs(key: ShapeKey): number | undefined;
  /** Whether every value the shape asks for builds (parseSparseJson's NOT_JSON otherwise). */
  valid(): boolean;
  /** The line's value as parseSparseJson returns it. */
  whole(): unknown;
}

/** Slot kinds, as `enum Kind` in sparse-json.c. */
const ABSENT = 0;
const VALUE = 1;
const OBJECT = 2;
const ASCII_STRING = 3;
const UTF8_STRING = 4;
const INTEGER = 5;
const TRUE_LITERAL = 6;
const FALSE_LITERAL = 7;
const NULL_LITERAL = 8;

/** read_line's result when a slot has kind VALUE: only JSON.parse can say whether it builds. */
const READ_WITH_VALUES_TO_CHECK = 3;

const ROOT_SLOT = 0;
/** A slot is {kind, start, end, unused: int32; number: float64}: 24 bytes. */
const SLOT_BYTES = 24;
/** A node is {first_entry, entry_count, first_slot, end_slot}, an entry {name_offset, name_length, slot, node}. */
const NODE_BYTES = 16;
const ENTRY_BYTES = 16;
const WASM_PAGE_BYTES = 65536;

/** The part of the WebAssembly API used here (ES2023's lib and Node 20's types leave it out). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}
const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

interface SparseJsonExports {
  memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  __heap_base: { readonly value: number };
  read_line(line: number, length: number, nodes: number, entries: number, slots: number): number;
  index_of(
    haystack: number,
    from: number,
    stop: number,
    needle: number,
    length: number,
    firstProbe: number,
    secondProbe: number,
  ): number;
}

let instance: WasmSparseJson | null = null;

/** This thread's instance of the module (a worker gets its own). */
function module(): WasmSparseJson {
  instance ??= new WasmSparseJson();
  return instance;
}

/**
 * The module's instance and memory: shapes and the chunk buffer at the bottom, in the order
 * they were asked for, then room for the line being read when it is not in the chunk buffer.
 */
class WasmSparseJson {
  readonly exports: SparseJsonExports;
  /** Views of the whole memory (renewed when it grows). */
  bytes!: Buffer;
  private int32!: Int32Array;
  private float64!: Float64Array;
  /** The first free byte above the shapes and the chunk buffer. */
  private top: number;
  /** The chunk buffer of `scratch` (allocated at its first use) and its size. */
  private scratchAt = -1;
  private scratchBytes = 0;
  /** The reader of the line just read (one per thread, reused line after line). */
  private readonly values = new LineValues(this);
  /** Where each needle of `indexOf` was copied in this memory. */
  private readonly needles = new Map<Buffer, number>();

  constructor() {
    const compiled = new webAssembly.Module(Buffer.from(SPARSE_JSON_WASM_BASE64, "base64"));
    this.exports = new webAssembly.Instance(compiled).exports as SparseJsonExports;
    this.top = align8(this.exports.__heap_base.value);
    this.renewViews();
  }

  /** Where `text` from `start` to `end` is in this memory: in place when it is already there, else copied above everything. */
  place(text: Buffer, start: number, end: number): number {
    if (text.buffer === this.bytes.buffer) return text.byteOffset + start;
    this.reserve(this.top + end - start);
    text.copy(this.bytes, this.top, start, end);
    return this.top;
  }

  indexOf(bytes: Buffer, needle: SearchNeedle, from: number, end: number): number {
    if (bytes.buffer !== this.bytes.buffer) return bytes.subarray(0, end).indexOf(needle.bytes, from);
    // Read before a first needle is copied in: were the memory to grow for it, `bytes` would be
    // detached (offset 0), while its contents stay where they were.
    const haystackAt = bytes.byteOffset;
    let needleAt = this.needles.get(needle.bytes);
    if (needleAt === undefined) {
      needleAt = this.allocate(needle.bytes.length);
      needle.bytes.copy(this.bytes, needleAt);
      this.needles.set(needle.bytes, needleAt);
    }
    const { firstProbe, secondProbe } = needle;
    return this.exports.index_of(
      haystackAt,
      from,
      end,
      needleAt,
      needle.bytes.length,
      firstProbe,
      secondProbe,
    );
  }

  scratch(bytes: number, lineBytes: number): Buffer {
    if (this.scratchAt < 0 || bytes > this.scratchBytes) {
      this.scratchAt = this.allocate(bytes);
      this.scratchBytes = bytes;
    }
    this.reserve(this.top + lineBytes);
    return this.bytes.subarray(this.scratchAt, this.scratchAt + bytes);
  }

  compileShape(shape: Exclude<SparseShape, true>): CompiledShape {
    const nodes: Array<{ firstEntry: number; keys: ShapeKey[]; endSlot: number }> = [];
    const entries: Array<{ name: Buffer; slot: number; node: number }> = [];
    let slots = ROOT_SLOT + 1;
    // Depth first: the slots of every key below a node are one range, cleared when a duplicate key starts over.
    const layOut = (
      object: Exclude<SparseShape, true>,
      above: readonly string[],
    ): { index: number; keys: ShapeKey[] } => {
      const index = nodes.length;
      const node = { firstEntry: entries.length, keys: [] as ShapeKey[], endSlot: 0 };
      nodes.push(node);
      const own = Object.entries(object).map(([name, child]) => {
        const entry = { name: Buffer.from(name, "utf8"), slot: slots++, node: -1 };
        entries.push(entry);
        return { name, child, entry };
      });
      for (const { name, child, entry } of own) {
        const path = [...above, name];
        const nested = child === true ? null : layOut(child, path);
        entry.node = nested?.index ?? -1;
        node.keys.push({ name, path, slot: entry.slot, keys: nested?.keys ?? null });
      }
      node.endSlot = slots;
      return { index, keys: node.keys };
    };
    const root = layOut(shape, []);

    const nodesAt = this.allocate(nodes.length * NODE_BYTES);
    const entriesAt = this.allocate(entries.length * ENTRY_BYTES);
    const slotsAt = this.allocate(slots * SLOT_BYTES);
    nodes.forEach((node, i) => {
      const firstSlot = node.keys.length > 0 ? node.keys[0].slot : node.endSlot;
      this.int32.set(
        [node.firstEntry, node.keys.length, firstSlot, node.endSlot],
        (nodesAt + i * NODE_BYTES) / 4,
      );
    });
    entries.forEach((entry, i) => {
      const nameAt = this.allocate(entry.name.length);
      entry.name.copy(this.bytes, nameAt);
      this.int32.set([nameAt, entry.name.length, entry.slot, entry.node], (entriesAt + i * ENTRY_BYTES) / 4);
    });
    return { keys: root.keys, nodesAt, entriesAt, slotsAt, lastStrings: [] };
  }

  /** The values of the line just read at `lineAt`. */
  valuesOf(shape: CompiledShape, lineAt: number, valuesToCheck: boolean): SparseValues {
    this.values.shape = shape;
    this.values.lineAt = lineAt;
    this.values.valuesToCheck = valuesToCheck;
    return this.values;
  }

  /** The number read_line left in the slot of `key` (see Slot in sparse-json.c). */
  numberAt(shape: CompiledShape, key: ShapeKey): number {
    return this.float64[(shape.slotsAt + key.slot * SLOT_BYTES) / 8 + 2];
  }

  /** The kind reported for `key` (null: the whole line). */
  kindAt(shape: CompiledShape, key: ShapeKey | null): number {
    return this.int32[(shape.slotsAt + (key?.slot ?? ROOT_SLOT) * SLOT_BYTES) / 4];
  }

  /** The value reported for `key`, built (an object with only its shaped keys). */
  build(shape: CompiledShape, lineAt: number, key: ShapeKey | null): unknown {
    const at = (shape.slotsAt + (key?.slot ?? ROOT_SLOT) * SLOT_BYTES) / 4;
    const start = lineAt + this.int32[at + 1];
    const end = lineAt + this.int32[at + 2];
    switch (this.int32[at]) {
      case ABSENT:
        return undefined;
      case OBJECT:
        return this.buildObject(shape, lineAt, key === null ? shape.keys : (key.keys ?? []));
      case ASCII_STRING:
        return this.asciiString(shape, key?.slot ?? ROOT_SLOT, start + 1, end - 1);
      case UTF8_STRING:
        return this.bytes.toString("utf8", start + 1, end - 1);
      case INTEGER:
        return this.float64[at / 2 + 2];
      case TRUE_LITERAL:
        return true;
      case FALSE_LITERAL:
        return false;
      case NULL_LITERAL:
        return null;
      default:
        try {
          return JSON.parse(this.bytes.toString("utf8", start, end));
        } catch {
          return NOT_JSON; // a value built here is checked as strictly as JSON.parse does
        }
    }
  }

  /** The ASCII bytes [from, to) as a string: the slot's last one when they are the same. */
  private asciiString(shape: CompiledShape, slot: number, from: number, to: number): string {
    const last = shape.lastStrings[slot];
    if (last !== undefined && last.length === to - from) {
      let i = 0;
      while (i < last.length && this.bytes[from + i] === last.charCodeAt(i)) i++;
      if (i === last.length) return last;
    }
    const text = this.bytes.toString("latin1", from, to);
    shape.lastStrings[slot] = text;
    return text;
  }

  private buildObject(shape: CompiledShape, lineAt: number, keys: readonly ShapeKey[]): unknown {
    const result: Record<string, unknown> = {};
    for (const key of keys) {
      if (this.kindAt(shape, key) === ABSENT) continue;
      const value = this.build(shape, lineAt, key);
      if (value === NOT_JSON) return NOT_JSON;
      result[key.name] = value;
    }
    return result;
  }

  private allocate(bytes: number): number {
    const at = this.top;
    this.top = align8(at + bytes);
    this.reserve(this.top);
    return at;
  }

  private reserve(bytes: number): void {
    const memory = this.exports.memory;
    const missing = bytes - memory.buffer.byteLength;
    if (missing <= 0) return;
    memory.grow(Math.ceil(missing / WASM_PAGE_BYTES));
    this.renewViews();
  }

  private renewViews(): void {
    const buffer = this.exports.memory.buffer;
    this.bytes = Buffer.from(buffer);
    this.int32 = new Int32Array(buffer);
    this.float64 = new Float64Array(buffer);
  }
}

/** SparseValues over the slots of the line just read. */
class LineValues implements SparseValues {
  shape!: CompiledShape;
  lineAt = 0;
  /** Whether a value of the line has kind VALUE (see READ_WITH_VALUES_TO_CHECK). */
  valuesToCheck = true;

  constructor(private readonly wasm: WasmSparseJson) {}

  has(key: ShapeKey): boolean {
    return this.wasm.kindAt(this.shape, key) !== ABSENT;
  }

  isObject(key: ShapeKey | null): boolean {
    return this.wasm.kindAt(this.shape, key) === OBJECT;
  }

  value(key: ShapeKey): unknown {
    return this.wasm.build(this.shape, this.lineAt, key);
  }

  isString(key: ShapeKey): boolean {
    const kind = this.wasm.kindAt(this.shape, key);
    if (kind === ASCII_STRING || kind === UTF8_STRING) return true;
    return kind === VALUE && typeof this.value(key) === "string"; // escapes: only JSON.parse knows
  }

  utcTimestampMs(key: ShapeKey): number | undefined {
    if (this.wasm.kindAt(this.shape, key) !== ASCII_STRING) return undefined;
    const ms = this.wasm.numberAt(this.shape, key);
    return Number.isNaN(ms) ? undefined : ms;
  }

  valid(): boolean {
    const kind = this.wasm.kindAt(this.shape, null);
    if (kind === OBJECT) return !this.valuesToCheck || this.validKeys(this.shape.keys);
    return kind !== VALUE || this.whole() !== NOT_JSON;
  }

  whole(): unknown {
    return this.wasm.build(this.shape, this.lineAt, null);
  }

  /** Whether the values JSON.parse builds (kind VALUE) build, in every object reached. */
  private validKeys(keys: readonly ShapeKey[]): boolean {
    // Indexed: a fresh process runs this unoptimized at first, where for-of allocates per step.
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const kind = this.wasm.kindAt(this.shape, key);
      if (kind === OBJECT && !this.validKeys(key.keys ?? [])) return false;
      if (kind === VALUE && this.value(key) === NOT_JSON) return false;
    }
    return true;
  }
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
