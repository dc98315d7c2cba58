import { scanUsageLines, type FilePort, type ScanSink } from "@quotacast/core";

/** A FilePort over one in-memory file (only readRange is used by the reader). */
function memoryFile(body: Buffer): FilePort {
  return {
    listFiles: async () => ["f"],
    stat: async () => ({ dev: 1, ino: 1, sizeBytes: body.length, mtimeMs: 0 }),
    readRange: async (_path, start, end) => Buffer.from(body.subarray(start, end)),
    readText: async () => body.toString("utf8"),
  };
}

interface Delivered {
  offset: number;
  text: string;
  complete: boolean;
}

async function scan(body: Buffer, chunkBytes: number): Promise<{ lines: Delivered[]; consumed: number }> {
  const lines: Delivered[] = [];
  const sink: ScanSink = {
    usageLine: (bytes, start, end, offset, complete) =>
      lines.push({ offset, text: bytes.toString("latin1", start, end), complete }),
    oversizedLine: () => {
      throw new Error("no line is over the limit here");
    },
    progress: async () => undefined,
  };
  const result = await scanUsageLines(memoryFile(body), "f", 0, body.length, sink, {
    chunkBytes,
    maxLineBytes: 1 << 30,
  });
  return { lines, consumed: result.consumedOffset };
}

/**
 * The usage marker as JSON allows it: the key, then a colon and a brace with any whitespace
 * around the colon (`"usage":{`, `"usage": {`, `"usage" :{`).
 */
const MARKER = /"usage"[ \t\r]*:[ \t\r]*\{/;

/** What the reader must deliver: every line holding the marker, the unterminated last one as incomplete. */
function expected(text: string): Delivered[] {
  const out: Delivered[] = [];
  let offset = 0;
  const parts = text.split("\n");
  parts.forEach((line, index) => {
    const complete = index < parts.length - 1;
    if (MARKER.test(line) && (complete || line !== "")) {
      out.push({ offset, text: line, complete });
    }
    offset += line.length + 1;
  });
  return out;
}

/** Deterministic pseudo-random lines built from fragments that look like the marker or part of it. */
function randomText(seed: number, lines: number, fragments: string[]): string {
  let state = seed;
  const next = (n: number): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state % n;
  };
  const out: string[] = [];
  for (let l = 0; l < lines; l++) {
    let line = "";
    const pieces = next(40);
    for (let p = 0; p < pieces; p++) line += fragments[next(fragments.length)];
    out.push(line);
  }
  return out.join("\n") + (next(2) === 0 ? "\n" : "");
}

describe("scanUsageLines finds exactly the lines with the usage marker", () => {
  const fragments = [
    '"usage":{',
    ":{",
    '"a":{',
    'usage":{',
    '"usage"',
    "xx",
    ' "usage": {',
    '"usage" :\t{',
    '"usage": 1',
    "{",
    ":",
    " ",
  ];

  it.each([1, 2, 3])("agrees with a line-by-line reference on random text (seed %i)", async (seed) => {
    const text = randomText(seed, 400, fragments);
    const body = Buffer.from(text, "latin1");
    for (const chunkBytes of [7, 64, 1000, 1 << 20]) {
      const { lines } = await scan(body, chunkBytes);
      expect(lines).toEqual(expected(text));
    }
  });

  it("keeps finding markers in a chunk crowded with other `:{`", async () => {
    const crowded = '{"t":' + '{"k":'.repeat(5000) + "1" + "}".repeat(5000) + "}";
    const usage = '{"message":{"usage":{"input_tokens":1}}}';
    const text = [crowded, usage, crowded, usage, usage, crowded].join("\n") + "\n";
    const { lines } = await scan(Buffer.from(text), 1 << 20);
    expect(lines).toEqual(expected(text));
    expect(lines).toHaveLength(3);
  });

  it("finds a marker at the very start of the file and of a chunk", async () => {
    const text = '"usage":{}\n"usage":{"x":1}\nplain\n"usage":{';
    for (const chunkBytes of [11, 12, 1 << 20]) {
      const { lines, consumed } = await scan(Buffer.from(text), chunkBytes);
      expect(lines).toEqual(expected(text));
      expect(consumed).toBe(text.lastIndexOf("\n") + 1);
    }
  });
});
