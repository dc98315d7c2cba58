// Generated from core/src/ingest/sparse-json.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
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
 * runs in WebAssembly compiled from sparse-json.c: it needs no warm-up and checks 16 bytes
 * of a string at a time. This module builds the values from the spans it reports. On the
 * 60k usage lines (119 MB) of a 500 MB history, reading all of them took 145-150 ms against
 * 205 ms for the same rules in JavaScript, and 275-290 against 325 ms as the first pass of a
 * fresh process; a cold `quotacast daily` 765 against 787 ms (2026-12-03, two cores).
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
}

interface ShapeKey {
  name: string;
  /** Where the line's value for this key is reported. */
  slot: number;
  /** The keys to build of an object there, or null to build the value whole. */
  keys: readonly ShapeKey[] | null;
}

/**
 * The JSON value of `text` (UTF-8 bytes, such as one line), sparse where `shape` says, or
 * NOT_JSON. Duplicate keys resolve as in JSON.parse: the last one wins.
 */
export function parseSparseJson(text: Buffer, shape: CompiledShape): unknown {
  const wasm = module();
  const lineAt = wasm.lineArea(text.length);
  text.copy(wasm.bytes, lineAt);
  const read = wasm.exports.read_line(
    lineAt,
    text.length,
    lineAt + text.length,
    shape.nodesAt,
    shape.entriesAt,
    shape.slotsAt,
  );
  if (read !== 1) return NOT_JSON;
  return wasm.slotValue(shape.slotsAt, lineAt, ROOT_SLOT, shape.keys);
}

export function compileShape(shape: Exclude<SparseShape, true>): CompiledShape {
  return module().compileShape(shape);
}

/** Slot kinds, as `enum Kind` in sparse-json.c. */
const ABSENT = 0;
const OBJECT = 2;
const ASCII_STRING = 3;
const UTF8_STRING = 4;
const INTEGER = 5;
const TRUE_LITERAL = 6;
const FALSE_LITERAL = 7;
const NULL_LITERAL = 8;

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
  read_line(
    line: number,
    length: number,
    stack: number,
    nodes: number,
    entries: number,
    slots: number,
  ): number;
}

let instance: WasmSparseJson | null = null;

/** This thread's instance of the module (a worker gets its own). */
function module(): WasmSparseJson {
  instance ??= new WasmSparseJson();
  return instance;
}

/** The module's instance and memory: shapes at the bottom, then the line being read. */
class WasmSparseJson {
  readonly exports: SparseJsonExports;
  /** Views of the whole memory (renewed when it grows). */
  bytes!: Buffer;
  private int32!: Int32Array;
  private float64!: Float64Array;
  /** The first free byte above the shapes. */
  private top: number;

  constructor() {
    const compiled = new webAssembly.Module(Buffer.from(SPARSE_JSON_WASM_BASE64, "base64"));
    this.exports = new webAssembly.Instance(compiled).exports as SparseJsonExports;
    this.top = align8(this.exports.__heap_base.value);
    this.renewViews();
  }

  /** Where a line of `length` bytes goes, with room for its container stack after it. */
  lineArea(length: number): number {
    this.reserve(this.top + 2 * length);
    return this.top;
  }

  compileShape(shape: Exclude<SparseShape, true>): CompiledShape {
    const nodes: Array<{ firstEntry: number; keys: ShapeKey[]; endSlot: number }> = [];
    const entries: Array<{ name: Buffer; slot: number; node: number }> = [];
    let slots = ROOT_SLOT + 1;
    // Depth first: the slots of every key below a node are one range, cleared when a duplicate key starts over.
    const layOut = (object: Exclude<SparseShape, true>): { index: number; keys: ShapeKey[] } => {
      const index = nodes.length;
      const node = { firstEntry: entries.length, keys: [] as ShapeKey[], endSlot: 0 };
      nodes.push(node);
      const own = Object.entries(object).map(([name, child]) => {
        const entry = { name: Buffer.from(name, "utf8"), slot: slots++, node: -1 };
        entries.push(entry);
        return { name, child, entry };
      });
      for (const { name, child, entry } of own) {
        const nested = child === true ? null : layOut(child);
        entry.node = nested?.index ?? -1;
        node.keys.push({ name, slot: entry.slot, keys: nested?.keys ?? null });
      }
      node.endSlot = slots;
      return { index, keys: node.keys };
    };
    const root = layOut(shape);

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
    return { keys: root.keys, nodesAt, entriesAt, slotsAt };
  }

  /** The value `read_line` reported in `slot` (of the line at `lineAt`), built. */
  slotValue(slotsAt: number, lineAt: number, slot: number, keys: readonly ShapeKey[] | null): unknown {
    const at = (slotsAt + slot * SLOT_BYTES) / 4;
    const kind = this.int32[at];
    const start = lineAt + this.int32[at + 1];
    const end = lineAt + this.int32[at + 2];
    switch (kind) {
      case OBJECT:
        return this.objectValue(slotsAt, lineAt, keys ?? []);
      case ASCII_STRING:
        return this.bytes.toString("latin1", start + 1, end - 1);
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

  private objectValue(slotsAt: number, lineAt: number, keys: readonly ShapeKey[]): unknown {
    const result: Record<string, unknown> = {};
    for (const key of keys) {
      if (this.int32[(slotsAt + key.slot * SLOT_BYTES) / 4] === ABSENT) continue;
      const value = this.slotValue(slotsAt, lineAt, key.slot, key.keys);
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

function align8(n: number): number {
  return (n + 7) & ~7;
}
