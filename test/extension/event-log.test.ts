import * as fs from "node:fs";
import * as path from "node:path";
import type { UsageEvent } from "@quotacast/core";
import { appendEvents, encodeBlock, readEventLog, rewriteEvents } from "../../extension/src/event-log";
import { usageEvent } from "../fakes/usage-event";
import { tempDirPerTest } from "../support/per-test";

const dir = tempDirPerTest("quotacast-event-log-");
const file = () => path.join(dir(), "log.bin");

/** Every field set to something other than the default, so a field dropped by the codec shows. */
const full = usageEvent({
  key: "msg_01é:req_01",
  timestampMs: 1_795_000_000_123,
  model: "claude-opus-4-5-20251101",
  sessionId: "4dd1a324-c6fb-40e6-a295-ef0ab7db413e",
  project: "-home-dev-src-ü",
  inputTokens: 3,
  outputTokens: 1234,
  cacheCreationTokens: 5000,
  cacheCreation1hTokens: 1000,
  cacheReadTokens: 70_000,
  speed: "fast",
  isSidechain: true,
  recordedCostUsd: 0.125,
});

const event = (key: string, timestampMs = 1000, outputTokens = 1): UsageEvent =>
  usageEvent({ key, timestampMs, outputTokens, sessionId: `s-${key}` });

describe("event log", () => {
  it("stores every field of an event, and keys that hold newlines", () => {
    const plain = usageEvent({ key: "k2", model: "glm-4.7" }); // no recorded cost: the field stays absent
    const newline = usageEvent({ key: "line\nbreak" });
    appendEvents(file(), [full, plain]);
    appendEvents(file(), [newline]);
    const read = readEventLog(file());
    expect(read.damaged).toBe(false);
    expect([...read.events.values()]).toEqual([full, plain, newline]);
    expect("recordedCostUsd" in (read.events.get("k2") as UsageEvent)).toBe(false);
  });

  it("keeps the last copy of a key, and counts superseded copies as records", () => {
    appendEvents(file(), [event("a", 1000, 1), event("b")]);
    appendEvents(file(), [event("a", 1000, 9)]);
    const read = readEventLog(file());
    expect(read.events.get("a")?.outputTokens).toBe(9);
    expect(read.records).toBe(3);
  });

  it("drops the events `keep` refuses, and a refused later copy hides the earlier one", () => {
    appendEvents(file(), [event("old", 10), event("new", 5000), event("moved", 5000)]);
    appendEvents(file(), [event("moved", 10)]);
    const read = readEventLog(file(), (timestampMs) => timestampMs >= 1000);
    expect([...read.events.keys()]).toEqual(["new"]);
  });

  it("ignores a block torn by a kill mid-append, and says the file needs a rewrite", () => {
    appendEvents(file(), [event("a")]);
    const goodBytes = fs.statSync(file()).size;
    const block = encodeBlock([event("b"), event("c")]);
    for (const cut of [1, 12, block.length - 1]) {
      fs.truncateSync(file(), goodBytes);
      fs.appendFileSync(file(), block.subarray(0, cut)); // killed after `cut` bytes
      const read = readEventLog(file());
      expect([...read.events.keys()]).toEqual(["a"]);
      expect(read.damaged).toBe(true);
    }
  });

  it("ignores garbage after the last block (zeros after a crash, foreign bytes)", () => {
    appendEvents(file(), [event("a")]);
    fs.appendFileSync(file(), Buffer.alloc(64));
    expect(readEventLog(file())).toMatchObject({ damaged: true, records: 1 });
    rewriteEvents(file(), [event("a")]);
    fs.appendFileSync(file(), '{"key":"b","timestampMs":1}\n');
    expect([...readEventLog(file()).events.keys()]).toEqual(["a"]);
  });

  it("reads a file of another format version (or none) as empty and damaged; a missing one as empty", () => {
    appendEvents(file(), [event("a")]);
    const bytes = fs.readFileSync(file());
    bytes.writeUInt32LE(bytes.readUInt32LE(4) + 1, 4); // the version after the magic
    fs.writeFileSync(file(), bytes);
    expect(readEventLog(file())).toEqual({ events: new Map(), records: 0, damaged: true });
    fs.writeFileSync(file(), '{"key":"a","timestampMs":1}\n'); // a version-1 JSON-lines log
    expect(readEventLog(file())).toEqual({ events: new Map(), records: 0, damaged: true });
    expect(readEventLog(path.join(dir(), "missing.bin"))).toEqual({
      events: new Map(),
      records: 0,
      damaged: false,
    });
  });

  it("rewrites a log whole, and an empty log stays readable", () => {
    appendEvents(file(), [event("a"), event("b")]);
    rewriteEvents(file(), []);
    expect(readEventLog(file())).toEqual({ events: new Map(), records: 0, damaged: false });
    appendEvents(file(), [event("c")]);
    expect([...readEventLog(file()).events.keys()]).toEqual(["c"]);
  });
});
