import { UsageLedger, nodeFiles, parseUsageLine } from "@quotacast/core";
import { assistantLine, countingFiles, failingFiles, sumTokens, tempConfig, userLine } from "./helpers";
import { DEFAULT_SCAN_OPTIONS } from "../../../core/src/ingest/reader";
import { sparseJsonScratch } from "../../../core/src/ingest/sparse-json";
import { perTest } from "../../support/per-test";

const origin = { project: "p", sessionId: "s", positionKey: "line:f:0" };

describe("bad input is skipped, counted and never fatal", () => {
  const tmp = perTest(tempConfig, (config) => config.cleanup());

  it("skips invalid JSON and lines with nulls where strings belong, and counts both kinds", async () => {
    const withNullModel = assistantLine({ id: "nm" }).replace(
      '"model":"claude-sonnet-4-5-20250929"',
      '"model":null',
    );
    const withNullRequest = assistantLine({ id: "nr" }).replace('"requestId":"req_1"', '"requestId":null');
    tmp().write("p", "s.jsonl", [
      assistantLine({ id: "good1", output: 5 }),
      '{"type":"assistant","message":{"usage":{"input_tokens":1,',
      withNullModel,
      withNullRequest,
      assistantLine({ id: "ns", sessionId: null }),
      assistantLine({ id: "neg", input: -1 }),
      "not json at all",
      "",
      assistantLine({ id: "good2", output: 7 }),
    ]);
    const l = new UsageLedger({ configDirs: [tmp().configDir] });
    const result = await l.refresh();
    expect(result.diagnostics.linesSkippedInvalidJson).toBe(1); // only lines with the usage marker are parsed
    expect(result.diagnostics.linesSkippedOther).toBe(4);
    expect((await l.events()).map((e) => e.key).sort()).toEqual(["good1:req_1", "good2:req_1"]);
    expect(l.diagnostics().linesSkippedOther).toBe(4);
  });

  it("passes over a huge user line without parsing it, and still finds the usage line after it", async () => {
    const huge = userLine("x".repeat(3 * 1024 * 1024));
    tmp().write("p", "s.jsonl", [assistantLine({ id: "before" }), huge, assistantLine({ id: "after" })]);
    const l = new UsageLedger({ configDirs: [tmp().configDir], scan: { chunkBytes: 64 * 1024 } });
    const result = await l.refresh();
    expect(result.diagnostics).toMatchObject({ linesSkippedInvalidJson: 0, linesSkippedOther: 0 });
    expect((await l.events()).map((e) => e.key).sort()).toEqual(["after:req_1", "before:req_1"]);
  });

  it("parses a usage line longer than a chunk, and skips (counts) one over the line limit", async () => {
    const long = assistantLine({ id: "long", output: 11, extra: { padding: "y".repeat(200_000) } });
    tmp().write("p", "a.jsonl", [long, assistantLine({ id: "next" })]);
    const l = new UsageLedger({ configDirs: [tmp().configDir], scan: { chunkBytes: 4096 } });
    await l.refresh();
    expect((await l.events()).map((e) => e.key).sort()).toEqual(["long:req_1", "next:req_1"]);

    const other = tempConfig();
    try {
      other.write("p", "a.jsonl", [long, assistantLine({ id: "next" })]);
      const limited = new UsageLedger({
        configDirs: [other.configDir],
        scan: { chunkBytes: 4096, maxLineBytes: 100_000 },
      });
      const result = await limited.refresh();
      expect(result.diagnostics.linesSkippedOther).toBe(1);
      expect((await limited.events()).map((e) => e.key)).toEqual(["next:req_1"]);
    } finally {
      other.cleanup();
    }
  });

  it("counts every line after a usage line longer than a chunk, the parser's memory unmoved", async () => {
    // Chunks are read into the parser's WebAssembly memory; a line longer than a chunk is read
    // apart and copied in. Growing that memory mid-scan would empty the chunk buffer in hand.
    const long = assistantLine({ id: "long", extra: { padding: "y".repeat(12 * 1024 * 1024) } });
    tmp().write("p", "a.jsonl", [
      assistantLine({ id: "a" }),
      long,
      assistantLine({ id: "b" }),
      assistantLine({ id: "c" }),
    ]);
    tmp().write("p", "b.jsonl", [assistantLine({ id: "d" }), assistantLine({ id: "e" })]);
    const { chunkBytes, maxLineBytes } = DEFAULT_SCAN_OPTIONS;
    const memoryBefore = sparseJsonScratch(chunkBytes, maxLineBytes).buffer;
    const l = new UsageLedger({ configDirs: [tmp().configDir] });
    const result = await l.refresh();
    expect(sparseJsonScratch(chunkBytes, maxLineBytes).buffer).toBe(memoryBefore);
    expect(result.diagnostics).toMatchObject({ linesSkippedInvalidJson: 0, linesSkippedOther: 0 });
    expect((await l.events()).map((e) => e.key).sort()).toEqual(
      ["a", "b", "c", "d", "e", "long"].map((id) => `${id}:req_1`),
    );
  });

  it("finds the usage marker when it straddles two chunks of a long line", async () => {
    const line = assistantLine({ id: "straddle", output: 3, extra: { a: "z".repeat(5000) } });
    const markerAt = line.indexOf('"usage":{');
    // A chunk size that cuts the marker in half, with the line longer than one chunk.
    const chunkBytes = markerAt + 4;
    tmp().write("p", "s.jsonl", [line]);
    const l = new UsageLedger({ configDirs: [tmp().configDir], scan: { chunkBytes } });
    await l.refresh();
    expect((await l.events()).map((e) => e.key)).toEqual(["straddle:req_1"]);
  });

  it("does not count a truncated line, and reads it once it is complete", async () => {
    const line = assistantLine({ id: "t", output: 9 });
    const file = tmp().write("p", "s.jsonl", [line.slice(0, line.length - 10)], { trailingNewline: false });
    const l = new UsageLedger({ configDirs: [tmp().configDir] });
    const first = await l.refresh();
    expect(first.changes).toEqual([]);
    expect(first.diagnostics.linesSkippedInvalidJson).toBe(0);
    tmp().append(file, line.slice(line.length - 10) + "\n");
    expect((await l.refresh()).changes.map((c) => c.current.outputTokens)).toEqual([9]);
  });

  it("counts an unreadable file, keeps going, and reads it once it is readable", async () => {
    const bad = tmp().write("p", "bad.jsonl", [assistantLine({ id: "b" })]);
    tmp().write("p", "good.jsonl", [assistantLine({ id: "g" })]);
    let broken = true;
    const files = failingFiles(nodeFiles, (p) => broken && p === bad);
    const l = new UsageLedger({ configDirs: [tmp().configDir], files });
    const first = await l.refresh();
    expect(first.diagnostics.filesUnreadable).toBe(1);
    expect((await l.events()).map((e) => e.key)).toEqual(["g:req_1"]);
    broken = false;
    await l.refresh();
    expect((await l.events()).map((e) => e.key).sort()).toEqual(["b:req_1", "g:req_1"]);
  });

  it("lists models without a price and still counts their tokens", async () => {
    tmp().write("p", "s.jsonl", [
      assistantLine({ id: "a", model: "glm-4.7", output: 4 }),
      assistantLine({ id: "b" }),
    ]);
    const l = new UsageLedger({ configDirs: [tmp().configDir] });
    const result = await l.refresh();
    expect(result.diagnostics.unknownModels).toEqual(["glm-4.7"]);
    expect(sumTokens(await l.events()).output).toBe(9);
  });

  it("ignores missing config dirs", async () => {
    const files = countingFiles(nodeFiles);
    const l = new UsageLedger({ configDirs: [`${tmp().configDir}/nope`], files });
    expect(await l.refresh()).toMatchObject({ changes: [], filesScanned: 0, bytesRead: 0 });
  });
});

describe("parseUsageLine (the rules ccusage 20 applies)", () => {
  const parse = (line: string) => parseUsageLine(line, origin);

  it("reads tokens, the 1h cache part, speed and sidechain", () => {
    const parsed = parse(
      assistantLine({
        id: "m",
        cacheWrite: 100,
        cacheWrite1h: 60,
        cacheRead: 7,
        speed: "fast",
        sidechain: true,
      }),
    );
    expect(parsed).toEqual({
      kind: "event",
      event: expect.objectContaining({
        key: "m:req_1",
        cacheCreationTokens: 100,
        cacheCreation1hTokens: 60,
        cacheReadTokens: 7,
        speed: "fast",
        isSidechain: true,
        timestampMs: Date.parse("2026-11-20T10:00:00.000Z"),
      }),
    });
  });

  it("ignores zero-usage <synthetic> lines and lines without message.usage", () => {
    expect(parse(assistantLine({ model: "<synthetic>", input: 0, output: 0 })).kind).toBe("ignored");
    expect(parse(JSON.stringify({ type: "user", message: { role: "user" }, usage: {} })).kind).toBe(
      "ignored",
    );
  });

  it("counts API error lines and lines without a model", () => {
    expect(parse(assistantLine({ extra: { isApiErrorMessage: true } })).kind).toBe("event");
    const noModel = parse(assistantLine({ model: null }).replace('"model":null,', ""));
    expect(noModel.kind === "event" && noModel.event.model).toBe("<unknown>");
  });

  it("rejects bad timestamps and fractional tokens", () => {
    expect(parse(assistantLine({ timestamp: "2026-11-20" })).kind).toBe("malformed");
    expect(parse(assistantLine({ timestamp: "yesterday" })).kind).toBe("malformed");
    expect(parse(assistantLine({ output: 2.5 })).kind).toBe("malformed");
  });

  it("counts cache writes from the 5m/1h breakdown when present, else cache_creation_input_tokens", () => {
    const withUsage = (usage: Record<string, unknown>) =>
      parse(assistantLine({ id: "m" }).replace(/"usage":\{[^}]*\}/, `"usage":${JSON.stringify(usage)}`));
    const breakdown = withUsage({
      input_tokens: 1,
      output_tokens: 1,
      cache_creation_input_tokens: 100,
      cache_creation: { ephemeral_5m_input_tokens: 30, ephemeral_1h_input_tokens: 20 },
    });
    expect(
      breakdown.kind === "event" && [
        breakdown.event.cacheCreationTokens,
        breakdown.event.cacheCreation1hTokens,
      ],
    ).toEqual([50, 20]);
    const plain = withUsage({
      input_tokens: 1,
      output_tokens: 1,
      cache_creation_input_tokens: 100,
      cache_creation: null,
    });
    expect(
      plain.kind === "event" && [plain.event.cacheCreationTokens, plain.event.cacheCreation1hTokens],
    ).toEqual([100, 0]);
    const broken = withUsage({
      input_tokens: 1,
      output_tokens: 1,
      cache_creation: { ephemeral_5m_input_tokens: null, ephemeral_1h_input_tokens: 20 },
    });
    expect(broken.kind).toBe("malformed");
  });

  it("uses the position key for a line without message.id", () => {
    const parsed = parse(assistantLine({ id: null }));
    expect(parsed.kind === "event" && parsed.event.key).toBe("line:f:0");
  });
});
