import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseUsageLine, parseUsageLineBytes, type ParsedLine } from "../../../core/src/ingest/parse";
import {
  compileShape,
  indexOfBytes,
  searchNeedle,
  type SearchNeedle,
  NOT_JSON,
  parseSparseJson,
  sparseJsonScratch,
  type SparseShape,
} from "../../../core/src/ingest/sparse-json";
import { generateHistory } from "../../generators/transcripts";
import { assistantLine } from "./helpers";

const origin = { project: "p", sessionId: "s", positionKey: "line:f:0" };
const bounds = { notAfterMs: Date.UTC(2030, 0, 1) };

/** What JSON.parse gives, pruned to `shape` the way parseSparseJson prunes. */
function pruned(value: unknown, shape: SparseShape): unknown {
  if (shape === true || typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(shape)) {
    if (Object.prototype.hasOwnProperty.call(value, key))
      out[key] = pruned((value as Record<string, unknown>)[key], child);
  }
  return out;
}

function jsonParseOrNot(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

const SHAPE: SparseShape = { a: true, b: { c: true, d: { e: true } }, "k\u00e9y": true };
const compiled = compileShape(SHAPE as Exclude<SparseShape, true>);

/**
 * `text` with the contents of every string made valid: raw control characters escaped, a
 * backslash that starts no valid escape doubled. Strings end where JSON says they end (the
 * first quote not escaped), so only the damage parseSparseJson tolerates is repaired.
 */
function repairStrings(text: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (!inString) {
      out += c;
      inString = c === '"';
    } else if (c === '"') {
      out += c;
      inString = false;
    } else if (c === "\\") {
      const next = text[i + 1] ?? "";
      if ('"\\/bfnrt'.includes(next) && next !== "") {
        out += c + next;
        i++;
      } else if (next === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        out += text.slice(i, i + 6);
        i += 5;
      } else {
        out += "\\\\";
      }
    } else if (c.charCodeAt(0) < 0x20) {
      out += `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
    } else {
      out += c;
    }
  }
  return out;
}

/**
 * The contract: what JSON.parse accepts gives the same (pruned) value; what it rejects is
 * rejected too, unless the only damage is inside strings, where the line reads as repaired.
 */
function expectedSparse<T>(
  text: string,
  parse: (text: string) => T,
  isRejected: (result: T) => boolean,
): T[] {
  const strict = parse(text);
  if (!isRejected(strict)) return [strict];
  const repaired = repairStrings(text);
  return repaired === text ? [strict] : [strict, parse(repaired)];
}

function expectLikeJsonParse(text: string): void {
  const allowed = expectedSparse(
    text,
    (t) => {
      const value = jsonParseOrNot(t);
      return value === NOT_JSON ? NOT_JSON : pruned(value, SHAPE);
    },
    (value) => value === NOT_JSON,
  );
  const actual = parseSparseJson(Buffer.from(text, "utf8"), compiled);
  expect(allowed).toContainEqual(actual);
}

function expectSameAsJsonParse(text: string): void {
  const expected = jsonParseOrNot(text);
  const actual = parseSparseJson(Buffer.from(text, "utf8"), compiled);
  if (expected === NOT_JSON) expect({ text, actual }).toEqual({ text, actual: NOT_JSON });
  else expect({ text, actual }).toEqual({ text, actual: pruned(expected, SHAPE) });
}

describe("parseSparseJson validates like JSON.parse and builds only the shape's fields", () => {
  it.each([
    // valid
    '{"a":1,"b":{"c":"x","d":{"e":[1,2,{"f":null}],"g":2},"h":true},"z":"skip"}',
    ' \t{ "a" : -0.5e+10 , "b" : [1] }\r ',
    '{"a":"dup","a":"last wins","b":{"c":1},"b":{"d":{"e":false}}}',
    '{"a":"esc \\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\ud83d\\ude00 \\ud800"}',
    '{"\\u0061":"escaped key","k\\u00e9y":1,"kéy":2}',
    '{"b":"not an object","a":{"x":[[[[{}]]]]}}',
    '{"z":{"b":{"c":"nested keys with the same names are not the top-level ones"}}}',
    '{"a":"caf\u00e9 \u2603 \ud83d\ude00","x":"\\"a\\":1"}',
    '{"a":0,"b":{},"c":[],"d":-0,"e":1E5,"f":1e-7,"g":123456789012345678901234567890}',
    "[1,2,3]",
    '"a string"',
    "42",
    "null",
    "{}",
    // invalid: JSON.parse throws on each
    "",
    " ",
    "{",
    '{"a":1',
    '{"a":1,}',
    '{"a" 1}',
    "{a:1}",
    "{'a':1}",
    '{"a":01}',
    '{"a":1.}',
    '{"a":.5}',
    '{"a":-}',
    '{"a":1e}',
    '{"a":+1}',
    '{"a":tru}',
    '{"a":nul}',
    '{"a":NaN}',
    '{"a":"\\x"}',
    '{"a":"\\u12G4"}',
    '{"a":"\\u123"}',
    '{"a":"raw\ttab"}',
    '{"a":"raw\u0000nul"}',
    '{"a":"unterminated}',
    '{"a":1}}',
    '{"a":1} x',
    '{"a":[1,2}',
    '{"a":[1,,2]}',
    '{"a":[1 2]}',
    '{"a":{"b":1]}',
    '{"x":[}',
    '\ufeff{"a":1}',
    '{"a":1}{"a":2}',
  ])("%s", (text) => {
    expectSameAsJsonParse(text);
  });

  it.each([
    '{"z":"raw\ttab and \\x and \\u12G4 and \u0000","a":1}',
    '{"z":["\\q"],"b":{"c":"ok","zz":"\u0001"}}',
    '{"z":{"k\u0007":"v"},"a":true}',
  ])("takes the contents of a string it does not build as written: %s", (text) => {
    expect(jsonParseOrNot(text)).toBe(NOT_JSON);
    expect(parseSparseJson(Buffer.from(text, "utf8"), compiled)).toEqual(
      pruned(JSON.parse(repairStrings(text)), SHAPE),
    );
  });

  it("checks a string it builds as strictly as JSON.parse", () => {
    for (const text of ['{"a":"raw\ttab"}', '{"a":"\\x"}', '{"b":{"c":"\u0000"}}', '{"a":"\\u12G4"}'])
      expect(parseSparseJson(Buffer.from(text, "utf8"), compiled)).toBe(NOT_JSON);
  });

  it("on mutations of valid documents: what a torn write or a bad disk leaves", () => {
    const documents = [
      '{"a":1,"b":{"c":"x","d":{"e":[1,2,{"f":null}],"g":2},"h":true},"z":"skip \\" \\\\"}',
      '{"z":[{"type":"text","text":"a\\nb"},{"k":[-1.5e3,0,true,false,null,{}]}],"a":"v","b":{"d":{"e":"w"}}}',
    ];
    let seed = 11;
    for (const document of documents) {
      expect(jsonParseOrNot(document)).not.toBe(NOT_JSON);
      for (let round = 0; round < 40; round++) {
        for (const mutated of mutations(document, seed++)) expectLikeJsonParse(mutated);
      }
    }
  });

  it("finds a string's end wherever an escape falls against the 64-byte blocks strings are read in", () => {
    // Escaped quote, escaped backslash, both, and an escaped backslash before the closing
    // quote (which then ends the string early: not JSON), at every offset of two blocks.
    const tails = [String.raw`\"`, String.raw`\\`, String.raw`\\\"`, String.raw`\\"`];
    for (let pad = 0; pad < 140; pad++) {
      for (const tail of tails) expectSameAsJsonParse(`{"z":"${"x".repeat(pad)}${tail}end","a":${pad}}`);
    }
  });

  it("builds a lone top-level key that is an object, whole, when the shape asks for it whole", () => {
    const value = parseSparseJson(Buffer.from('{"a":{"deep":[1,{"x":"y"}]}}'), compiled);
    expect(value).toEqual({ a: { deep: [1, { x: "y" }] } });
  });

  it("reads nesting deeper than any stack and lines larger than the module's first memory", () => {
    const deep = `{"z":${"[".repeat(200_000)}${"]".repeat(200_000)},"a":1}`;
    expectSameAsJsonParse(deep);
    expectSameAsJsonParse(`{"z":${"[".repeat(200_000)}${"]".repeat(199_999)},"a":1}`);
    const big = JSON.stringify({ z: "x".repeat(3_000_000), b: { c: "é".repeat(1000) }, a: 2 });
    expectSameAsJsonParse(big);
    // After a big line the memory has grown: a small one still reads right.
    expectSameAsJsonParse('{"a":"small","b":{"d":{"e":[1]}}}');
  });

  it("gives a chunk buffer of the size asked for, also when a larger one is asked for later", () => {
    const small = sparseJsonScratch(1024, 0);
    expect(small.length).toBe(1024);
    const large = sparseJsonScratch(4096, 0);
    expect(large.length).toBe(4096);
    // A line read into it is parsed where it is.
    const text = Buffer.from('{"a":"in place","b":{"c":1}}');
    text.copy(large, 3000);
    expect(parseSparseJson(large.subarray(3000, 3000 + text.length), compiled)).toEqual({
      a: "in place",
      b: { c: 1 },
    });
  });

  it("matches escaped keys as JSON.parse decodes them, surrogate pairs and all", () => {
    const shape = { "a\u{1F600}b": true, "\n": true, "k\u00e9y": { x: true } } as const;
    const keys = compileShape(shape);
    for (const text of [
      '{"a\\ud83d\\ude00b":1,"\\n":2,"k\\u00E9y":{"\\u0078":3}}',
      '{"a\\uD83D\\uDE00b":1,"\\u000a":2,"k\u00e9y":{"x":3,"x":4}}',
      '{"a\u{1F600}b":1,"\\u000A":"two"}',
      '{"a\\ud83db":1,"a\\ude00b":2,"\\n\\n":3,"k\\u00e9y":5}',
      '{"a\\ud83d\\u0041b":1}',
    ]) {
      const expected = jsonParseOrNot(text);
      const actual = parseSparseJson(Buffer.from(text, "utf8"), keys);
      expect({ text, actual }).toEqual({
        text,
        actual: expected === NOT_JSON ? NOT_JSON : pruned(expected, shape),
      });
    }
  });

  it("keeps invalid UTF-8 as JSON.parse does after decoding (replacement characters)", () => {
    const bytes = Buffer.concat([
      Buffer.from('{"a":"x'),
      Buffer.from([0xe2, 0x82]),
      Buffer.from('","b":{"c":"\xff"}}', "latin1"),
    ]);
    const expected = pruned(JSON.parse(bytes.toString("utf8")), SHAPE);
    expect(parseSparseJson(bytes, compiled)).toEqual(expected);
  });
});

/** Deterministic mutations of a valid line: what a crash, a torn write or a bad disk leaves. */
function mutations(line: string, seed: number): string[] {
  let state = seed >>> 0 || 1;
  const random = (n: number) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
  const at = () => random(line.length);
  const noise = [
    '"',
    "\\",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\u0000",
    "\t",
    " ",
    "1",
    "-",
    "e",
    ".",
    "u",
    "\u00e9",
    "n",
  ];
  const out: string[] = [];
  for (let k = 0; k < 24; k++) {
    const i = at();
    const piece = noise[random(noise.length)];
    switch (k % 4) {
      case 0:
        out.push(line.slice(0, i)); // torn write
        break;
      case 1:
        out.push(line.slice(0, i) + piece + line.slice(i)); // inserted byte
        break;
      case 2:
        out.push(line.slice(0, i) + line.slice(i + 1)); // dropped byte
        break;
      default:
        out.push(line.slice(0, i) + piece + line.slice(i + 1)); // replaced byte
    }
  }
  return out;
}

describe("parseUsageLineBytes gives what parseUsageLine gives, line for line", () => {
  const same = (line: string) => {
    const allowed = expectedSparse(
      line,
      (t) => parseUsageLine(t, origin, bounds),
      (parsed: ParsedLine) => parsed.kind === "invalid-json",
    );
    expect({ line, allowed }).toEqual({
      line,
      allowed: expect.arrayContaining([parseUsageLineBytes(Buffer.from(line, "utf8"), origin, bounds)]),
    });
  };

  it("on hand-made usage lines, valid and not", () => {
    const base = assistantLine({
      id: "m1",
      input: 3,
      output: 4,
      cacheWrite: 10,
      cacheWrite1h: 4,
      cacheRead: 7,
    });
    const lines = [
      base,
      assistantLine({ id: null }),
      assistantLine({ requestId: null, model: null }),
      assistantLine({ speed: "fast", extra: { costUSD: 0.25 } }),
      assistantLine({ extra: { costUSD: "1" } }),
      assistantLine({ sidechain: true, sessionId: null }),
      base.replace('"message":{', '"message":{"usage":{"input_tokens":99,"output_tokens":1},'), // duplicate usage: last wins
      base.replace('"message":{', '"message":"text","old":{'),
      base.replace('"input_tokens":3', '"input_tokens":3.5'),
      base.replace('"timestamp":"2026-11-20T10:00:00.000Z"', '"timestamp":"2026-11-20"'),
      base.replace('"model":"claude-sonnet-4-5-20250929"', '"model":"claude-\\u0073onnet"'),
      base.replace('"requestId"', '"request\\u0049d"'),
      base.replace('"usage"', '"us\\u0061ge"'),
      base.replace('"content":[', '"content":[{"type":"tool_use","input":{"usage":{"input_tokens":1e9}}},'),
      `${base}\r`,
      JSON.stringify({ message: { usage: null } }),
      JSON.stringify({ message: [{ usage: {} }] }),
      JSON.stringify([{ message: { usage: {} } }]),
    ];
    for (const line of lines) same(line);
  });

  it("on lines whose shaped values only JSON.parse can reject, in every field the parser reads", () => {
    const base = assistantLine({
      id: "m1",
      cacheWrite: 10,
      cacheWrite1h: 4,
      speed: "fast",
      extra: { costUSD: 0.5 },
    });
    const fields = [
      '"timestamp":"2026-11-20T10:00:00.000Z"',
      '"requestId":"req_1"',
      '"sessionId":"session-1"',
      '"id":"m1"',
      '"model":"claude-sonnet-4-5-20250929"',
      '"speed":"fast"',
      '"input_tokens":10',
      '"ephemeral_1h_input_tokens":4',
      '"costUSD":0.5',
    ];
    for (const field of fields) {
      expect(base).toContain(field);
      const name = field.slice(0, field.indexOf(":") + 1);
      for (const bad of ['"\\x"', '"a\\u12G4"', '"tab\there"', "01", "-", "1.", "[1,]", "tru"]) {
        const line = base.replace(field, `${name}${bad}`);
        expect(parseUsageLine(line, origin, bounds).kind).toBe("invalid-json");
        same(line);
      }
    }
  });

  it("reads timestamps in the usual form as Date.UTC does, at and around every bound", () => {
    const base = assistantLine({ id: "m1" });
    const field = '"timestamp":"2026-11-20T10:00:00.000Z"';
    const stamps = [
      "2026-02-29T00:00:00.000Z", // no such day: Date.UTC runs on into March
      "2028-02-29T23:59:59.999Z",
      "2026-04-31T12:00:00.000Z",
      "2024-12-31T23:59:59.999Z",
      "2025-01-01T00:00:00.000Z",
      "2100-03-01T00:00:00.000Z",
      "2029-12-31T23:59:59.999Z",
      "2026-00-10T10:00:00.000Z",
      "2026-13-10T10:00:00.000Z",
      "2026-11-00T10:00:00.000Z",
      "2026-11-32T10:00:00.000Z",
      "2026-11-20T24:00:00.000Z",
      "2026-11-20T10:60:00.000Z",
      "2026-11-20T10:00:60.000Z",
      "2026-11-20T10:00:00.000+00:00",
      "2026-11-20T10:00:00.00Z",
      "2026-11-20T10:00:00Z",
      "2026-11-20 10:00:00.000Z",
      "2026-11-20T10:00:00,000Z",
      "2026-1a-20T10:00:00.000Z",
      "20261120T100000.000Z+",
    ];
    for (const stamp of stamps) {
      const line = base.replace(field, `"timestamp":"${stamp}"`);
      same(line);
      const parsed = parseUsageLineBytes(Buffer.from(line, "utf8"), origin, bounds);
      const byJs = parseUsageLine(line, origin, bounds);
      expect({ stamp, parsed }).toEqual({ stamp, parsed: byJs });
    }
    const usual = parseUsageLineBytes(
      Buffer.from(base.replace(field, '"timestamp":"2028-02-29T23:59:59.999Z"'), "utf8"),
      origin,
      bounds,
    );
    expect(usual.kind === "event" && usual.event.timestampMs).toBe(Date.UTC(2028, 1, 29, 23, 59, 59, 999));
  });

  it("on every usage line of a generated history, and on mutations of them", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qc-sparse-"));
    try {
      generateHistory({ dir, sizeMb: 0.4, seed: 7, endMs: Date.UTC(2026, 10, 20), shape: "real" });
      const files = fs.readdirSync(path.join(dir, "projects"), { recursive: true, encoding: "utf8" });
      const lines = files
        .filter((file) => file.endsWith(".jsonl"))
        .flatMap((file) => fs.readFileSync(path.join(dir, "projects", file), "utf8").split("\n"))
        .filter((line) => line.includes('"usage"'));
      expect(lines.length).toBeGreaterThan(20);
      let seed = 1;
      for (const line of lines) {
        same(line);
        for (const mutated of mutations(line, seed++)) same(mutated);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("indexOfBytes", () => {
  const needles = [
    searchNeedle("u", 0, 0),
    searchNeedle("ab", 0, 1),
    searchNeedle('"u"', 1, 2),
    searchNeedle('"usage"', 1, 4),
    searchNeedle('"input_tokens":{"x"', 17, 3),
  ];

  /** A haystack whose bytes often match the needle's probes and first bytes, but not all of it. */
  function nearMisses({ bytes: needle }: SearchNeedle, length: number): Buffer {
    const near = Buffer.from(needle);
    near[near.length - 1] ^= 1;
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = i % 5 === 0 ? 0x22 : near[i % near.length];
    return out;
  }

  it("gives Buffer.indexOf's answer wherever the needle falls against the 64-byte blocks, in the module's memory or not", () => {
    const scratch = sparseJsonScratch(1024 * 1024, 0);
    for (const needle of needles) {
      for (let at = 0; at + needle.bytes.length <= 200; at++) {
        const hay = nearMisses(needle, 200);
        needle.bytes.copy(hay, at);
        hay.copy(scratch);
        const inMemory = scratch.subarray(0, hay.length);
        for (const from of [0, Math.max(0, at - 1), at, at + 1]) {
          for (const end of [hay.length, at + needle.bytes.length, at + needle.bytes.length - 1]) {
            const expected = hay.subarray(0, end).indexOf(needle.bytes, from);
            expect([indexOfBytes(inMemory, needle, from, end), indexOfBytes(hay, needle, from, end)]).toEqual(
              [expected, expected],
            );
          }
        }
      }
    }
  });

  it("finds the needle also when copying a new needle in grows the memory under the chunk", () => {
    // A 64 kB needle: each new one takes a page above the chunk, until the memory has to grow.
    const text = `"usage":{${"x".repeat(64 * 1024)}}`;
    const hay = Buffer.from(`${"y".repeat(300)}${text}`);
    let grew = false;
    for (let i = 0; i < 4_000 && !grew; i++) {
      const chunk = sparseJsonScratch(hay.length, 0);
      hay.copy(chunk);
      expect(indexOfBytes(chunk.subarray(0, hay.length), searchNeedle(text, 1, 4), 0)).toBe(300);
      grew = chunk.length === 0; // the memory it was a view of was detached
    }
    expect(grew).toBe(true);
  });

  it("finds every usage key of a generated history, in chunks in the module's memory, as Buffer.indexOf does", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qc-index-of-"));
    try {
      generateHistory({ dir, sizeMb: 0.4, seed: 5, endMs: Date.UTC(2026, 10, 20), shape: "real" });
      const key = searchNeedle('"usage"', 1, 4);
      const scratch = sparseJsonScratch(1024 * 1024, 0);
      let found = 0;
      for (const file of fs.readdirSync(dir, { recursive: true, encoding: "utf8" })) {
        if (!file.endsWith(".jsonl")) continue;
        const text = fs.readFileSync(path.join(dir, file));
        const chunk = scratch.subarray(0, text.copy(scratch));
        const ours: number[] = [];
        const theirs: number[] = [];
        for (let at = indexOfBytes(chunk, key, 0); at >= 0; at = indexOfBytes(chunk, key, at + 1))
          ours.push(at);
        for (let at = text.indexOf(key.bytes); at >= 0; at = text.indexOf(key.bytes, at + 1)) theirs.push(at);
        expect(ours).toEqual(theirs);
        found += ours.length;
      }
      expect(found).toBeGreaterThan(10);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
