import { isUtf8 } from "node:buffer";

/**
 * A validating scan of one transcript line that keeps only the fields a usage event needs.
 *
 * `JSON.parse` of a whole assistant line spends most of its time building the strings of
 * `message.content` (thinking, text, tool input), which are then thrown away. This scan
 * walks the bytes instead, checking the JSON grammar as it goes, and returns the fields in
 * `USAGE_FIELDS` (top-level `timestamp`, `requestId`, ..., `message.id`, `message.usage.*`)
 * with the values `JSON.parse` would have given them; every other member is checked and
 * skipped.
 *
 * It answers only when it is sure: a line it accepts is valid JSON. Anything unusual
 * (invalid JSON, invalid UTF-8, a top level that is not an object, an escaped key where
 * fields are picked) returns null, and the caller parses the whole line with `JSON.parse`,
 * which then decides.
 */
export function extractUsageFields(line: Buffer): Record<string, unknown> | null {
  const end = line.length;
  sawNonAscii = false;
  useWordsOf(line);
  let i = skipWhitespace(line, 0, end);
  if (i >= end || line[i] !== OPEN_BRACE) return null;
  const fields: Record<string, unknown> = {};
  i = scanObject(line, i, end, USAGE_FIELDS, fields);
  if (i < 0 || skipWhitespace(line, i, end) !== end) return null;
  // Every byte at or above 0x80 was inside a string; in valid UTF-8 a slice decodes the same
  // as it does within the whole line, so the values equal what JSON.parse of the line gives.
  if (sawNonAscii && !isUtf8(line)) return null;
  return fields;
}

/** Which members to keep, by name; a nested spec walks an object value the same way. */
interface FieldSpec {
  names: string[];
  nameBytes: Buffer[];
  nested: (FieldSpec | null)[];
}

function fieldSpec(fields: Record<string, FieldSpec | null>): FieldSpec {
  const names = Object.keys(fields);
  return { names, nameBytes: names.map((name) => Buffer.from(name)), nested: Object.values(fields) };
}

/** Every field `parseUsageLine` reads. */
const USAGE_FIELDS = fieldSpec({
  timestamp: null,
  requestId: null,
  sessionId: null,
  isSidechain: null,
  costUSD: null,
  message: fieldSpec({
    id: null,
    model: null,
    usage: fieldSpec({
      input_tokens: null,
      output_tokens: null,
      cache_creation_input_tokens: null,
      cache_read_input_tokens: null,
      speed: null,
      cache_creation: fieldSpec({ ephemeral_5m_input_tokens: null, ephemeral_1h_input_tokens: null }),
    }),
  }),
});

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

let sawNonAscii = false;
/** What the last `skipString` met: ESCAPED and/or NON_ASCII. */
let stringFlags = 0;
const ESCAPED = 1;
const NON_ASCII = 2;

/** 1 for bytes that end a plain run inside a string: quote, backslash, control bytes, non-ASCII. */
const STRING_STOP = new Uint8Array(256);
for (let byte = 0; byte < 0x20; byte++) STRING_STOP[byte] = 1;
for (let byte = 0x80; byte < 0x100; byte++) STRING_STOP[byte] = 1;
STRING_STOP[QUOTE] = 1;
STRING_STOP[BACKSLASH] = 1;

/** Characters allowed after a backslash (`u` is checked separately). */
const SIMPLE_ESCAPE = new Uint8Array(256);
for (const ch of '"\\/bfnrt') SIMPLE_ESCAPE[ch.charCodeAt(0)] = 1;

const HEX = new Uint8Array(256);
for (const ch of "0123456789abcdefABCDEF") HEX[ch.charCodeAt(0)] = 1;

const WHITESPACE = new Uint8Array(256);
for (const ch of " \t\n\r") WHITESPACE[ch.charCodeAt(0)] = 1;

/** The line's memory as 32-bit words (a view of its whole ArrayBuffer, so word k is bytes 4k..4k+3). */
let words = new Int32Array(0);

function useWordsOf(line: Buffer): void {
  if (words.buffer !== line.buffer) words = new Int32Array(line.buffer, 0, line.buffer.byteLength >> 2);
}

/** Whether none of the four bytes is a quote, a backslash, a control byte or non-ASCII. */
function isPlainWord(word: number): boolean {
  const quotes = word ^ 0x22222222;
  const backslashes = word ^ 0x5c5c5c5c;
  // (v - 0x01010101) & ~v has a high bit set iff some byte of v is zero; (w - 0x20202020) | w
  // iff some byte of w is below 0x20 or at least 0x80.
  const special =
    (word - 0x20202020) | word | ((quotes - 0x01010101) & ~quotes) | ((backslashes - 0x01010101) & ~backslashes);
  return (special & 0x80808080) === 0;
}

function skipWhitespace(b: Buffer, i: number, end: number): number {
  while (i < end && WHITESPACE[b[i]] === 1) i++;
  return i;
}

/** `i` at the opening quote; returns the index after the closing quote, or -1. */
function skipString(b: Buffer, i: number, end: number): number {
  i++;
  stringFlags = 0;
  const offset = b.byteOffset;
  for (;;) {
    // Plain runs four bytes at a time where aligned: most of a line is text inside strings.
    while (i < end) {
      if (((offset + i) & 3) === 0 && i + 4 <= end && isPlainWord(words[(offset + i) >> 2])) {
        i += 4;
      } else if (STRING_STOP[b[i]] === 0) {
        i++;
      } else {
        break;
      }
    }
    if (i >= end) return -1;
    const byte = b[i];
    if (byte === QUOTE) return i + 1;
    if (byte === BACKSLASH) {
      stringFlags |= ESCAPED;
      if (i + 1 >= end) return -1;
      const escaped = b[i + 1];
      if (escaped === 0x75) {
        if (i + 5 >= end || !(HEX[b[i + 2]] & HEX[b[i + 3]] & HEX[b[i + 4]] & HEX[b[i + 5]])) return -1;
        i += 6;
      } else if (SIMPLE_ESCAPE[escaped] === 1) {
        i += 2;
      } else {
        return -1;
      }
    } else if (byte >= 0x80) {
      sawNonAscii = true;
      stringFlags |= NON_ASCII;
      i++;
    } else {
      return -1; // a raw control character
    }
  }
}

function skipDigits(b: Buffer, i: number, end: number): number {
  while (i < end && b[i] >= DIGIT_0 && b[i] <= DIGIT_9) i++;
  return i;
}

/** JSON number grammar: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
function skipNumber(b: Buffer, i: number, end: number): number {
  if (b[i] === MINUS) i++;
  if (i >= end) return -1;
  if (b[i] === DIGIT_0) i++;
  else if (b[i] > DIGIT_0 && b[i] <= DIGIT_9) i = skipDigits(b, i + 1, end);
  else return -1;
  if (i < end && b[i] === DOT) {
    const from = i + 1;
    i = skipDigits(b, from, end);
    if (i === from) return -1;
  }
  if (i < end && (b[i] === 0x65 || b[i] === 0x45)) {
    i++;
    if (i < end && (b[i] === PLUS || b[i] === MINUS)) i++;
    const from = i;
    i = skipDigits(b, from, end);
    if (i === from) return -1;
  }
  return i;
}

const TRUE = Buffer.from("true");
const FALSE = Buffer.from("false");
const NULL = Buffer.from("null");

function skipLiteral(b: Buffer, i: number, end: number, literal: Buffer): number {
  if (i + literal.length > end) return -1;
  for (let k = 0; k < literal.length; k++) if (b[i + k] !== literal[k]) return -1;
  return i + literal.length;
}

/** A value that is not an object or array; -1 when there is none at `i`. */
function skipScalar(b: Buffer, i: number, end: number): number {
  const byte = b[i];
  if (byte === QUOTE) return skipString(b, i, end);
  if (byte === 0x74) return skipLiteral(b, i, end, TRUE);
  if (byte === 0x66) return skipLiteral(b, i, end, FALSE);
  if (byte === 0x6e) return skipLiteral(b, i, end, NULL);
  if (byte === MINUS || (byte >= DIGIT_0 && byte <= DIGIT_9)) return skipNumber(b, i, end);
  return -1;
}

/** Open containers of `skipValue` (1 = object, 0 = array); iterative, so deep nesting cannot overflow. */
let containers = new Uint8Array(64);

/** `"key"` then `:`; `i` at the quote. Returns the index of the value, or -1. */
function skipKey(b: Buffer, i: number, end: number): number {
  if (i >= end || b[i] !== QUOTE) return -1;
  i = skipString(b, i, end);
  if (i < 0) return -1;
  i = skipWhitespace(b, i, end);
  if (i >= end || b[i] !== COLON) return -1;
  return skipWhitespace(b, i + 1, end);
}

/** Any JSON value starting at `i` (no leading whitespace); returns the index after it, or -1. */
function skipValue(b: Buffer, i: number, end: number): number {
  let depth = 0;
  for (;;) {
    if (i < 0 || i >= end) return -1;
    const byte = b[i];
    if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      const isObject = byte === OPEN_BRACE;
      i = skipWhitespace(b, i + 1, end);
      if (i >= end) return -1;
      if (b[i] !== (isObject ? CLOSE_BRACE : CLOSE_BRACKET)) {
        if (depth === containers.length) {
          const grown = new Uint8Array(depth * 2);
          grown.set(containers);
          containers = grown;
        }
        containers[depth++] = isObject ? 1 : 0;
        if (isObject) i = skipKey(b, i, end);
        continue; // the first element or member value
      }
      i++;
    } else {
      i = skipScalar(b, i, end);
      if (i < 0) return -1;
    }
    // After a value: commas lead to the next one, closers end containers.
    for (;;) {
      if (depth === 0) return i;
      i = skipWhitespace(b, i, end);
      if (i >= end) return -1;
      const inObject = containers[depth - 1] === 1;
      if (b[i] === COMMA) {
        i = skipWhitespace(b, i + 1, end);
        if (inObject) i = skipKey(b, i, end);
        break;
      }
      if (b[i] !== (inObject ? CLOSE_BRACE : CLOSE_BRACKET)) return -1;
      i++;
      depth--;
    }
    if (i < 0) return -1;
  }
}

/** Index of `keys` whose bytes equal b[from, to), or -1. */
function keyIndex(b: Buffer, from: number, to: number, keys: Buffer[]): number {
  const length = to - from;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    if (key.length !== length) continue;
    let same = true;
    for (let j = 0; j < length && same; j++) same = b[from + j] === key[j];
    if (same) return k;
  }
  return -1;
}

/** An object at `i` whose members named in `spec` are decoded into `out` (the last one wins, as in JSON.parse). */
function scanObject(b: Buffer, i: number, end: number, spec: FieldSpec, out: Record<string, unknown>): number {
  i = skipWhitespace(b, i + 1, end);
  if (i < end && b[i] === CLOSE_BRACE) return i + 1;
  for (;;) {
    if (i >= end || b[i] !== QUOTE) return -1;
    const keyStart = i + 1;
    i = skipString(b, i, end);
    if (i < 0 || (stringFlags & ESCAPED) !== 0) return -1; // an escaped key may spell a field name
    const field = keyIndex(b, keyStart, i - 1, spec.nameBytes);
    i = skipWhitespace(b, i, end);
    if (i >= end || b[i] !== COLON) return -1;
    const valueStart = skipWhitespace(b, i + 1, end);
    if (valueStart >= end) return -1;
    if (field < 0) {
      i = skipValue(b, valueStart, end);
    } else {
      const nested = spec.nested[field];
      if (nested !== null && b[valueStart] === OPEN_BRACE) {
        const inner: Record<string, unknown> = {};
        i = scanObject(b, valueStart, end, nested, inner);
        out[spec.names[field]] = inner;
      } else {
        i = skipValue(b, valueStart, end);
        if (i >= 0) out[spec.names[field]] = decodeValue(b, valueStart, i);
      }
    }
    if (i < 0) return -1;
    i = skipWhitespace(b, i, end);
    if (i >= end) return -1;
    if (b[i] === CLOSE_BRACE) return i + 1;
    if (b[i] !== COMMA) return -1;
    i = skipWhitespace(b, i + 1, end);
  }
}

/** The value of b[from, to), which `skipValue` has just checked (so `stringFlags` is its own). */
function decodeValue(b: Buffer, from: number, to: number): unknown {
  const first = b[from];
  if (first === QUOTE && stringFlags === 0) return b.toString("latin1", from + 1, to - 1);
  if (first === 0x74) return true;
  if (first === 0x66) return false;
  if (first === 0x6e) return null;
  if (first >= DIGIT_0 && first <= DIGIT_9 && to - from <= 15) {
    let value = 0;
    let k = from;
    for (; k < to && b[k] >= DIGIT_0 && b[k] <= DIGIT_9; k++) value = value * 10 + (b[k] - DIGIT_0);
    if (k === to) return value; // digits only: exact below 2^53
  }
  return JSON.parse(b.toString("utf8", from, to)) as unknown;
}
