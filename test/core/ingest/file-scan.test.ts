import type { FilePort, UsageEvent } from "@quotacast/core";
import { scanTranscriptFile } from "../../../core/src/ingest/file-scan";
import { DEFAULT_SCAN_OPTIONS } from "../../../core/src/ingest/reader";
import { assistantLine, userLine } from "./helpers";

/** A FilePort over one in-memory transcript. */
function memoryFile(body: string): FilePort {
  const bytes = Buffer.from(body, "utf8");
  return {
    listFiles: async () => ["/c/projects/-p/s.jsonl"],
    stat: async () => ({ dev: 1, ino: 1, sizeBytes: bytes.length, mtimeMs: 0 }),
    readRange: async (_path, start, end) => Buffer.from(bytes.subarray(start, end)),
    readText: async () => body,
  };
}

/** Every event the scan hands over (batches and the rest), as (key, output, sidechain). */
async function scanned(lines: string[]): Promise<Array<[string, number, boolean]>> {
  const body = lines.join("\n") + "\n";
  const events: UsageEvent[] = [];
  const result = await scanTranscriptFile(
    memoryFile(body),
    {
      path: "/c/projects/-p/s.jsonl",
      configDir: "/c",
      startOffset: 0,
      endOffset: Buffer.byteLength(body),
      notAfterMs: Date.UTC(2030, 0, 1),
    },
    DEFAULT_SCAN_OPTIONS,
    async (batch) => {
      events.push(...batch.events);
    },
  );
  events.push(...result.events);
  return events.map((e) => [e.key, e.outputTokens, e.isSidechain]);
}

describe("scanTranscriptFile: consecutive copies of one response", () => {
  test("reach the ledger as one event, the best copy, whatever the order of the copies", async () => {
    const copy = (output: number) => assistantLine({ id: "msg_a", requestId: "req_a", output });
    expect(await scanned([copy(5), copy(40), copy(12)])).toEqual([["msg_a:req_a", 40, false]]);
  });

  test("on a tie the earlier copy stays, as the ledger keeps the first of equal copies", async () => {
    const lines = [
      assistantLine({ id: "msg_a", requestId: "req_a", output: 9, sidechain: true }),
      assistantLine({
        id: "msg_a",
        requestId: "req_a",
        output: 9,
        sidechain: true,
        timestamp: "2026-11-20T11:00:00.000Z",
      }),
    ];
    const events = await scanned(lines);
    expect(events).toEqual([["msg_a:req_a", 9, true]]);
  });

  test("a non-sidechain copy of equal size wins over the sidechain one before it", async () => {
    const lines = [
      assistantLine({ id: "msg_a", requestId: "req_a", output: 9, sidechain: true }),
      assistantLine({ id: "msg_a", requestId: "req_a", output: 9, sidechain: false }),
    ];
    expect(await scanned(lines)).toEqual([["msg_a:req_a", 9, false]]);
  });

  test("copies apart (another response between) are each handed on: the ledger decides", async () => {
    const lines = [
      assistantLine({ id: "msg_a", requestId: "req_a", output: 5 }),
      userLine("tool result"),
      assistantLine({ id: "msg_b", requestId: "req_b", output: 3 }),
      assistantLine({ id: "msg_a", requestId: "req_a", output: 7 }),
    ];
    expect(await scanned(lines)).toEqual([
      ["msg_a:req_a", 5, false],
      ["msg_b:req_b", 3, false],
      ["msg_a:req_a", 7, false],
    ]);
  });
});
