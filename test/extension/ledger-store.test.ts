// readFileSync recorded (the store reads synchronously), to see which shard files a lookup reads.
jest.mock("node:fs", () => {
  const actual = jest.requireActual<typeof import("node:fs")>("node:fs");
  return { ...actual, readFileSync: jest.fn(actual.readFileSync) };
});

import * as fs from "node:fs";
import * as path from "node:path";
import { MemoryLedgerStore, UsageLedger, type FileCursor, type UsageEvent } from "@quotacast/core";
import { FileLedgerStore, shardOf } from "../../extension/src/ledger-store";
import { decodeCursors, encodeCursors } from "../../extension/src/cursor-file";
import { encodeBlock, readEventLog } from "../../extension/src/event-log";
import { assistantLine } from "../core/ingest/helpers";
import { usageEvent } from "../fakes/usage-event";
import { tempDirPerTest } from "../support/per-test";

const DAY_MS = 24 * 3600_000;
const NOW_MS = Date.UTC(2026, 10, 22, 12);

const dir = tempDirPerTest("quotacast-store-");

function event(key: string, timestampMs: number, outputTokens = 10): UsageEvent {
  return usageEvent({ key, timestampMs, inputTokens: 1, outputTokens });
}

function cursor(file: string, offsetBytes: number): FileCursor {
  return { path: file, identity: { dev: 1, ino: 2, sizeBytes: offsetBytes, mtimeMs: 3 }, offsetBytes };
}

function store(): FileLedgerStore {
  return new FileLedgerStore(dir(), { nowMs: () => NOW_MS, shards: 8 });
}

describe("FileLedgerStore", () => {
  it("persists cursors and winners across instances; the last copy of a key wins", async () => {
    const a = store();
    await a.commit({
      cursors: [cursor("/t/a.jsonl", 100)],
      removedCursorPaths: [],
      events: [event("k1", NOW_MS), event("k2", NOW_MS)],
    });
    await a.commit({
      cursors: [cursor("/t/a.jsonl", 200)],
      removedCursorPaths: [],
      events: [event("k1", NOW_MS, 99)],
    });

    const b = store();
    expect(await b.loadCursors()).toEqual([cursor("/t/a.jsonl", 200)]);
    const found = await b.getEvents(["k1", "k2", "missing"]);
    expect([...found.keys()].sort()).toEqual(["k1", "k2"]);
    expect(found.get("k1")?.outputTokens).toBe(99);
    expect((await b.allEvents()).map((e) => e.key).sort()).toEqual(["k1", "k2"]);
  });

  it("removes cursors of vanished files but keeps their events", async () => {
    const a = store();
    await a.commit({
      cursors: [cursor("/t/a.jsonl", 1), cursor("/t/b.jsonl", 2)],
      removedCursorPaths: [],
      events: [event("k", NOW_MS)],
    });
    await a.commit({ cursors: [], removedCursorPaths: ["/t/a.jsonl"], events: [] });
    const b = store();
    expect((await b.loadCursors()).map((c) => c.path)).toEqual(["/t/b.jsonl"]);
    expect((await b.allEvents()).map((e) => e.key)).toEqual(["k"]);
  });

  it("loads only the shards of the keys asked for", async () => {
    const a = store();
    const events = Array.from({ length: 40 }, (_, i) => event(`key-${i}`, NOW_MS));
    await a.commit({ cursors: [cursor("/t/a.jsonl", 1)], removedCursorPaths: [], events });
    const b = store();
    const readFileSync = jest.mocked(fs.readFileSync);
    readFileSync.mockClear();
    await b.loadCursors();
    await b.getEvents(["key-3"]);
    const shardReads = readFileSync.mock.calls
      .map((c) => String(c[0]))
      .filter((p) => p.includes(`${path.sep}events${path.sep}`));
    expect(shardReads).toEqual([
      path.join(dir(), "events", `${String(shardOf("key-3", 8)).padStart(2, "0")}.bin`),
    ]);
  });

  it("ignores a shard block torn by a kill, and rewrites the shard before the next append", async () => {
    await store().commit({
      cursors: [cursor("/t/a.jsonl", 1)],
      removedCursorPaths: [],
      events: [event("k1", NOW_MS)],
    });
    const shardFile = path.join(dir(), "events", `${String(shardOf("k2", 8)).padStart(2, "0")}.bin`);
    const torn = encodeBlock([event("k2", NOW_MS, 3)]);
    fs.appendFileSync(shardFile, torn.subarray(0, torn.length - 5)); // killed mid-write, before the cursors
    expect((await store().getEvents(["k2"])).has("k2")).toBe(false);
    await store().commit({ cursors: [], removedCursorPaths: [], events: [event("k2", NOW_MS, 7)] });
    const found = await store().getEvents(["k1", "k2"]);
    expect(found.get("k2")?.outputTokens).toBe(7);
    expect(found.has("k1")).toBe(true);
    expect(readEventLog(shardFile).damaged).toBe(false);
  });

  it("ignores a torn block of the recent log and keeps answering from the rest", async () => {
    await store().commit({
      cursors: [cursor("/t/a.jsonl", 1)],
      removedCursorPaths: [],
      events: [event("a", NOW_MS)],
    });
    const recentFile = path.join(dir(), "recent.bin");
    fs.appendFileSync(recentFile, encodeBlock([event("b", NOW_MS)]).subarray(0, 20));
    await store().commit({ cursors: [], removedCursorPaths: [], events: [event("c", NOW_MS)] });
    expect((await store().recentEvents(NOW_MS - DAY_MS)).map((e) => e.key)).toEqual(["a", "c"]);
  });

  it("answers recent events without the old ones", async () => {
    const a = store();
    await a.commit({
      cursors: [cursor("/t/a.jsonl", 1)],
      removedCursorPaths: [],
      events: [
        event("old", NOW_MS - 40 * DAY_MS),
        event("week", NOW_MS - 5 * DAY_MS),
        event("today", NOW_MS),
      ],
    });
    await a.commit({ cursors: [], removedCursorPaths: [], events: [event("today", NOW_MS, 50)] });
    const recent = await store().recentEvents(NOW_MS - 7 * DAY_MS);
    expect(recent.map((e) => [e.key, e.outputTokens]).sort()).toEqual([
      ["today", 50],
      ["week", 10],
    ]);
  });

  it("starts over when the stored layout differs (another shard count)", async () => {
    await store().commit({
      cursors: [cursor("/t/a.jsonl", 1)],
      removedCursorPaths: [],
      events: [event("k", NOW_MS)],
    });
    const other = new FileLedgerStore(dir(), { nowMs: () => NOW_MS, shards: 4 });
    expect(await other.loadCursors()).toEqual([]);
    expect(await other.allEvents()).toEqual([]);
    expect(await other.recentEvents(0)).toEqual([]);
  });

  it("starts over on a store of another version: the JSON files of version 1 go, nothing is counted from them", async () => {
    fs.mkdirSync(path.join(dir(), "events"), { recursive: true });
    const v1Event = JSON.stringify(event("k", NOW_MS)) + "\n";
    fs.writeFileSync(
      path.join(dir(), "cursors.json"),
      JSON.stringify({ version: 1, shards: 8, cursors: [cursor("/t/a.jsonl", 9)] }),
    );
    fs.writeFileSync(path.join(dir(), "recent.jsonl"), v1Event);
    fs.writeFileSync(path.join(dir(), "events", "00.jsonl"), v1Event);
    const upgraded = store();
    expect(await upgraded.loadCursors()).toEqual([]);
    expect(await upgraded.recentEvents(0)).toEqual([]);
    expect(fs.readdirSync(dir()).sort()).toEqual([]);
    await upgraded.commit({
      cursors: [cursor("/t/a.jsonl", 1)],
      removedCursorPaths: [],
      events: [event("k2", NOW_MS)],
    });
    expect(fs.readdirSync(dir()).sort()).toEqual(["cursors.bin", "events", "recent.bin"]);
  });

  it("starts over when the cursor file is of another version or does not decode", async () => {
    const first = () =>
      store().commit({
        cursors: [cursor("/t/a.jsonl", 1)],
        removedCursorPaths: [],
        events: [event("k", NOW_MS)],
      });
    const cursorsFile = path.join(dir(), "cursors.bin");
    await first();
    const layout = { version: 2, shards: 8 };
    expect(decodeCursors(fs.readFileSync(cursorsFile), layout)).toEqual([cursor("/t/a.jsonl", 1)]);
    expect(decodeCursors(fs.readFileSync(cursorsFile), { version: 3, shards: 8 })).toBeNull();
    fs.writeFileSync(cursorsFile, encodeCursors({ version: 1, shards: 8 }, [cursor("/t/a.jsonl", 1)]));
    expect(await store().allEvents()).toEqual([]);
    await first();
    fs.truncateSync(cursorsFile, fs.statSync(cursorsFile).size - 3); // not written by this store's atomic replace, but still
    expect(await store().loadCursors()).toEqual([]);
    expect(await store().allEvents()).toEqual([]);
  });

  it("gives UsageLedger the same events as the memory store, and a warm refresh reads nothing", async () => {
    const configDir = path.join(dir(), "claude");
    const project = path.join(configDir, "projects", "-p-app");
    fs.mkdirSync(project, { recursive: true });
    const lines = [];
    for (let i = 0; i < 30; i++) {
      const timestamp = new Date(NOW_MS - i * 3600_000).toISOString();
      // Each response twice, the second copy with more output (a streamed copy).
      lines.push(assistantLine({ id: `m${i}`, requestId: `r${i}`, timestamp, output: 5 }));
      lines.push(assistantLine({ id: `m${i}`, requestId: `r${i}`, timestamp, output: 50 + i }));
    }
    fs.writeFileSync(path.join(project, "s1.jsonl"), lines.join("\n") + "\n");

    const memory = new UsageLedger({ configDirs: [configDir], store: new MemoryLedgerStore() });
    await memory.refresh();
    const fileStore = new FileLedgerStore(path.join(dir(), "ledger"), { nowMs: () => NOW_MS });
    await new UsageLedger({ configDirs: [configDir], store: fileStore }).refresh();

    const reopened = new FileLedgerStore(path.join(dir(), "ledger"), { nowMs: () => NOW_MS });
    const sortByKey = (events: UsageEvent[]) => events.slice().sort((x, y) => x.key.localeCompare(y.key));
    expect(sortByKey(await reopened.allEvents())).toEqual(sortByKey(await memory.events()));
    const warm = await new UsageLedger({ configDirs: [configDir], store: reopened }).refresh();
    expect(warm.bytesRead).toBe(0);
    expect(warm.changes).toEqual([]);
  });
});

describe("FileLedgerStore focused on a few transcripts", () => {
  const odd = [
    "/t/plain.jsonl",
    '/t/quote".jsonl',
    "/t/back\\slash.jsonl",
    '/t/comma","x.jsonl',
    "/t/z.jsonl",
  ];

  it.each([
    ["plain paths", odd.filter((p) => !p.includes('"') && !p.includes("\\"))],
    ["paths with quotes, backslashes and separators in them", odd],
  ])("moves on their cursors in the file as read (%s)", async (_name, paths) => {
    await store().commit({
      cursors: paths.map((p, i) => cursor(p, i + 1)),
      removedCursorPaths: [],
      events: [],
    });
    const focused = store();
    focused.focus([paths[paths.length - 1], "/t/unknown.jsonl"]);
    expect(await focused.loadCursors()).toEqual([cursor(paths[paths.length - 1], paths.length)]);
    await focused.commit({
      cursors: [cursor(paths[paths.length - 1], 99)],
      removedCursorPaths: [],
      events: [],
    });

    const after = await store().loadCursors();
    expect(after).toEqual(paths.map((p, i) => cursor(p, i === paths.length - 1 ? 99 : i + 1)));
  });

  it("adds a new transcript's cursor by rewriting them all", async () => {
    await store().commit({ cursors: [cursor("/t/a.jsonl", 1)], removedCursorPaths: [], events: [] });
    const focused = store();
    focused.focus(["/t/b.jsonl"]);
    expect(await focused.loadCursors()).toEqual([]);
    await focused.commit({ cursors: [cursor("/t/b.jsonl", 5)], removedCursorPaths: [], events: [] });
    expect(await store().loadCursors()).toEqual([cursor("/t/a.jsonl", 1), cursor("/t/b.jsonl", 5)]);
  });
});
