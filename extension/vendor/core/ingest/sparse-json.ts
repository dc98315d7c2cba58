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
 * records a real response. Finding each closing quote with a native search instead of
 * checking every byte halves the time of the scan; the whole read of a usage line takes
 * about two thirds of JSON.parse's time (195 vs 300 ms on 119 MB of usage lines), with a
 * fraction of its garbage.
 */

/**
 * Which parts of a value to build: `true` builds the value whole; an object builds only the
 * listed keys of an object there (with their own shapes) and drops the others. A value that
 * is not an object where the shape expects one is built whole, as JSON.parse would.
 */
export type SparseShape = true | { readonly [key: string]: SparseShape };

/** Returned for bytes that are not one JSON value (JSON.parse would throw). */
export const NOT_JSON: unique symbol = Symbol("not JSON");

/**
 * The JSON value of `text` (UTF-8 bytes, such as one line), sparse where `shape` says, or
 * NOT_JSON. Duplicate keys resolve as in JSON.parse: the last one wins.
 */
export function parseSparseJson(text: Buffer, shape: CompiledShape): unknown {
  const reader = new SparseReader(text);
  const value = reader.readShaped(skipWhitespace(text, 0), shape);
  if (value === NOT_JSON || skipWhitespace(text, reader.position) !== text.length) return NOT_JSON;
  return value;
}

/** A shape prepared for byte comparison of keys (compile once, parse many lines). */
export interface CompiledShape {
  readonly keys: readonly ShapeKey[];
  /** The keys by their length in bytes: most keys of a line are ruled out by length alone. */
  readonly keysByLength: ReadonlyArray<readonly ShapeKey[] | undefined>;
}

interface ShapeKey {
  name: string;
  bytes: Buffer;
  shape: CompiledShape | null;
}

export function compileShape(shape: Exclude<SparseShape, true>): CompiledShape {
  const keys = Object.entries(shape).map(([name, child]) => ({
    name,
    bytes: Buffer.from(name, "utf8"),
    shape: child === true ? null : compileShape(child),
  }));
  const keysByLength: ShapeKey[][] = [];
  for (const key of keys) (keysByLength[key.bytes.length] ??= []).push(key);
  return { keys, keysByLength };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

const TRUE = Buffer.from("true");
const FALSE = Buffer.from("false");
const NULL = Buffer.from("null");

/** Integers with at most this many digits are built from their bytes (exact in a double). */
const MAX_FAST_DIGITS = 15;

/**
 * One parse. Scanning functions take a position and return the position after what they
 * read, or -1 when the bytes are not JSON there. Reads past the end give `undefined`, which
 * no comparison accepts.
 */
class SparseReader {
  /** Where the last `readShaped` ended. */
  position = 0;

  constructor(private readonly bytes: Buffer) {}

  /** Reads the value at `at`; sets `position` after it. */
  readShaped(at: number, shape: CompiledShape | null): unknown {
    if (shape !== null && this.bytes[at] === OPEN_OBJECT) return this.readObject(at, shape);
    const after = skipValue(this.bytes, at);
    if (after < 0) return NOT_JSON;
    this.position = after;
    return this.build(at, after);
  }

  /** An object, keeping only the keys of `shape`. */
  private readObject(at: number, shape: CompiledShape): unknown {
    const bytes = this.bytes;
    const result: Record<string, unknown> = {};
    let i = skipWhitespace(bytes, at + 1);
    if (bytes[i] === CLOSE_OBJECT) {
      this.position = i + 1;
      return result;
    }
    for (;;) {
      if (bytes[i] !== QUOTE) return NOT_JSON;
      const keyEnd = skipString(bytes, i + 1);
      if (keyEnd < 0) return NOT_JSON;
      const wanted = this.wantedKey(i, keyEnd, shape);
      i = skipKeyEnd(bytes, keyEnd);
      if (i < 0) return NOT_JSON;
      if (wanted === null) {
        i = skipValue(bytes, i);
        if (i < 0) return NOT_JSON;
      } else {
        const value = this.readShaped(i, wanted.shape);
        if (value === NOT_JSON) return NOT_JSON;
        result[wanted.name] = value;
        i = this.position;
      }
      if (isWhitespace(bytes[i])) i = skipWhitespace(bytes, i);
      const c = bytes[i];
      if (c === CLOSE_OBJECT) {
        this.position = i + 1;
        return result;
      }
      if (c !== COMMA) return NOT_JSON;
      i = skipWhitespace(bytes, i + 1);
    }
  }

  /** The shape's entry for the key string at bytes [from, to) (quotes included), or null. */
  private wantedKey(from: number, to: number, shape: CompiledShape): ShapeKey | null {
    const candidates = shape.keysByLength[to - from - 2];
    if (candidates !== undefined) {
      for (const key of candidates) {
        if (bytesAt(this.bytes, from + 1, key.bytes)) return key;
      }
    }
    if (!this.hasBackslash(from, to)) return null;
    // An escaped key may still name a wanted one ("us\u0061ge").
    let name: unknown;
    try {
      name = JSON.parse(this.bytes.toString("utf8", from, to));
    } catch {
      return null; // not a valid escape: none of the shape's keys
    }
    return shape.keys.find((key) => key.name === name) ?? null;
  }

  /** The value of bytes [from, to), whose structure is checked; NOT_JSON if JSON.parse rejects it. */
  private build(from: number, to: number): unknown {
    const first = this.bytes[from];
    if (first === QUOTE) {
      const text = this.plainString(from + 1, to - 1);
      if (text !== null) return text;
    } else if (first !== undefined && first >= DIGIT_0 && first <= DIGIT_9 && to - from <= MAX_FAST_DIGITS) {
      const integer = this.plainInteger(from, to);
      if (integer !== null) return integer;
    } else if (first === TRUE[0] || first === FALSE[0] || first === NULL[0]) {
      return first === TRUE[0] ? true : first === FALSE[0] ? false : null;
    }
    try {
      return JSON.parse(this.bytes.toString("utf8", from, to));
    } catch {
      return NOT_JSON; // a string built here is checked as strictly as JSON.parse does
    }
  }

  /** The text of a string without escapes or control characters, or null. */
  private plainString(from: number, to: number): string | null {
    const bytes = this.bytes;
    let ascii = true;
    for (let i = from; i < to; i++) {
      const c = bytes[i];
      if (c === BACKSLASH || c < 0x20) return null;
      if (c >= 0x80) ascii = false;
    }
    return bytes.toString(ascii ? "latin1" : "utf8", from, to);
  }

  private hasBackslash(from: number, to: number): boolean {
    for (let i = from; i < to; i++) {
      if (this.bytes[i] === BACKSLASH) return true;
    }
    return false;
  }

  /** A number written as digits only, or null. */
  private plainInteger(from: number, to: number): number | null {
    const bytes = this.bytes;
    let value = 0;
    for (let i = from; i < to; i++) {
      const c = bytes[i];
      if (c < DIGIT_0 || c > DIGIT_9) return null;
      value = value * 10 + (c - DIGIT_0);
    }
    return value;
  }
}

/*
 * The skipping scanner: plain functions over the bytes (measured twice as fast as the same
 * code as methods), with one container stack for the thread.
 */

let containers: Uint8Array = new Uint8Array(64);

function skipWhitespace(bytes: Buffer, at: number): number {
  let i = at;
  for (;;) {
    const c = bytes[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
}

/**
 * One whole value (any depth) without building it. Claude Code writes no whitespace between
 * tokens, so each place that may hold some checks one byte before calling skipWhitespace.
 */
function skipValue(bytes: Buffer, at: number): number {
  let depth = 0;
  let i = at;
  for (;;) {
    // A value starts at i.
    const c = bytes[i];
    if (c === QUOTE) {
      i = skipString(bytes, i + 1);
      if (i < 0) return -1;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      i++;
      if (isWhitespace(bytes[i])) i = skipWhitespace(bytes, i);
      if (bytes[i] === (c === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY)) {
        i++;
      } else {
        if (depth === containers.length) containers = grown(containers);
        containers[depth++] = c;
        if (c === OPEN_OBJECT) {
          i = skipKey(bytes, i);
          if (i < 0) return -1;
        }
        continue;
      }
    } else {
      i = c === MINUS || (c >= DIGIT_0 && c <= DIGIT_9) ? skipNumber(bytes, i) : skipLiteral(bytes, i);
      if (i < 0) return -1;
    }
    // After a value: close containers or go on to the next element.
    for (;;) {
      if (depth === 0) return i;
      let next = bytes[i];
      if (isWhitespace(next)) {
        i = skipWhitespace(bytes, i);
        next = bytes[i];
      }
      const container = containers[depth - 1];
      if (next === COMMA) {
        i++;
        if (isWhitespace(bytes[i])) i = skipWhitespace(bytes, i);
        if (container === OPEN_OBJECT) {
          i = skipKey(bytes, i);
          if (i < 0) return -1;
        }
        break;
      }
      if (next !== (container === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY)) return -1;
      depth--;
      i++;
    }
  }
}

function isWhitespace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function grown(stack: Uint8Array): Uint8Array {
  const bigger = new Uint8Array(stack.length * 2);
  bigger.set(stack);
  return bigger;
}

/** `"key"` and its colon; returns where the value starts. */
function skipKey(bytes: Buffer, at: number): number {
  if (bytes[at] !== QUOTE) return -1;
  const i = skipString(bytes, at + 1);
  return i < 0 ? -1 : skipKeyEnd(bytes, i);
}

/** The colon after a key (from just after its closing quote); returns where the value starts. */
function skipKeyEnd(bytes: Buffer, at: number): number {
  let i = at;
  if (bytes[i] !== COLON) {
    i = skipWhitespace(bytes, i);
    if (bytes[i] !== COLON) return -1;
  }
  i++;
  return isWhitespace(bytes[i]) ? skipWhitespace(bytes, i) : i;
}

/** From after the opening quote to after the closing one (the first quote not escaped). */
function skipString(bytes: Buffer, at: number): number {
  let from = at;
  for (;;) {
    const quote = bytes.indexOf(QUOTE, from);
    if (quote < 0) return -1;
    let before = quote - 1;
    while (before >= at && bytes[before] === BACKSLASH) before--;
    if ((quote - 1 - before) % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` */
function skipNumber(bytes: Buffer, at: number): number {
  let i = at;
  if (bytes[i] === MINUS) i++;
  if (bytes[i] === DIGIT_0) i++;
  else if (isDigit(bytes[i])) i = skipDigits(bytes, i);
  else return -1;
  if (bytes[i] === DOT) {
    if (!isDigit(bytes[i + 1])) return -1;
    i = skipDigits(bytes, i + 1);
  }
  if (bytes[i] === 0x65 || bytes[i] === 0x45) {
    i++;
    if (bytes[i] === PLUS || bytes[i] === MINUS) i++;
    if (!isDigit(bytes[i])) return -1;
    i = skipDigits(bytes, i);
  }
  return i;
}

function skipLiteral(bytes: Buffer, at: number): number {
  const literal = bytes[at] === 0x74 ? TRUE : bytes[at] === 0x66 ? FALSE : bytes[at] === 0x6e ? NULL : null;
  return literal !== null && bytesAt(bytes, at, literal) ? at + literal.length : -1;
}

/** Whether `expected` is at `at` in `bytes` (a JS loop: keys are short, a native call costs more). */
function bytesAt(bytes: Buffer, at: number, expected: Buffer): boolean {
  for (let k = 0; k < expected.length; k++) {
    if (bytes[at + k] !== expected[k]) return false;
  }
  return true;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= DIGIT_0 && c <= DIGIT_9;
}

function skipDigits(bytes: Buffer, at: number): number {
  let i = at;
  while (isDigit(bytes[i])) i++;
  return i;
}
