import * as fs from "node:fs";
import * as path from "node:path";
import {
  MemoryLedgerStore,
  UsageLedger,
  nodeFiles,
  type LedgerCommit,
  type LedgerStore,
} from "@quotacast/core";
import { assistantLine, countingFiles, sumTokens, tempConfig } from "./helpers";
import { perTest } from "../../support/per-test";

describe("incremental ingestion", () => {
  const tmp = perTest(tempConfig, (config) => config.cleanup());

  it("reads only appended bytes, and nothing when no file changed", async () => {
    const file = tmp().write("p", "s.jsonl", [assistantLine({ id: "a" })]);
    const files = countingFiles(nodeFiles);
    const l = new UsageLedger({ configDirs: [tmp().configDir], files });
    const first = await l.refresh();
    expect(first.bytesRead).toBe(fs.statSync(file).size);

    const idle = await l.refresh();
    expect(idle).toMatchObject({ changes: [], bytesRead: 0, filesScanned: 1 });

    const appended = assistantLine({ id: "b" }) + "\n";
    tmp().append(file, appended);
    const before = files.bytesRead;
    const second = await l.refresh();
    expect(files.bytesRead - before).toBe(Buffer.byteLength(appended));
    expect(second.changes.map((c) => c.current.key)).toEqual(["b:req_1"]);
  });

  it("touches no event data and loads cursors once when nothing changed", async () => {
    tmp().write("p", "a.jsonl", [assistantLine({ id: "a" })]);
    tmp().write("p", "b.jsonl", [assistantLine({ id: "b" })]);
    const inner = new MemoryLedgerStore();
    const calls: string[] = [];
    const spy: LedgerStore = {
      loadCursors: () => (calls.push("loadCursors"), inner.loadCursors()),
      getEvents: (keys) => (calls.push("getEvents"), inner.getEvents(keys)),
      allEvents: () => (calls.push("allEvents"), inner.allEvents()),
      commit: (c) => (calls.push("commit"), inner.commit(c)),
    };
    const l = new UsageLedger({ configDirs: [tmp().configDir], store: spy });
    await l.refresh();
    expect(calls).toEqual(["loadCursors", "getEvents", "getEvents", "commit"]);
    calls.length = 0;
    await l.refresh();
    await l.refresh();
    expect(calls).toEqual([]);
  });

  it("holds back a partial last line until it is complete", async () => {
    const full = assistantLine({ id: "a", output: 33 });
    const file = tmp().write("p", "s.jsonl", [assistantLine({ id: "first" }), full.slice(0, 40)], {
      trailingNewline: false,
    });
    const l = new UsageLedger({ configDirs: [tmp().configDir] });
    const first = await l.refresh();
    expect(first.changes.map((c) => c.current.key)).toEqual(["first:req_1"]);
    expect(first.diagnostics.linesSkippedInvalidJson).toBe(0);

    tmp().append(file, full.slice(40) + "\n");
    const second = await l.refresh();
    expect(second.changes.map((c) => [c.current.key, c.current.outputTokens])).toEqual([["a:req_1", 33]]);
  });

  it("counts a complete last line that lacks its newline, and not again when the newline comes", async () => {
    const file = tmp().write("p", "s.jsonl", [assistantLine({ id: null, output: 4 })], {
      trailingNewline: false,
    });
    const l = new UsageLedger({ configDirs: [tmp().configDir] });
    await l.refresh();
    expect(sumTokens(await l.events()).output).toBe(4);
    tmp().append(file, "\n");
    await l.refresh();
    expect(sumTokens(await l.events()).output).toBe(4);
  });

  it("sees streaming copies with growing output across refreshes", async () => {
    const file = tmp().write("p", "s.jsonl", [assistantLine({ id: "m", output: 1 })]);
    const l = new UsageLedger({ configDirs: [tmp().configDir] });
    await l.refresh();
    for (const output of [10, 20, 300]) {
      tmp().append(file, assistantLine({ id: "m", output }) + "\n");
      await l.refresh();
    }
    const events = await l.events();
    expect(events).toHaveLength(1);
    expect(events[0].outputTokens).toBe(300);
  });

  it("re-reads a truncated file from the start without double counting", async () => {
    const file = tmp().write("p", "s.jsonl", [
      assistantLine({ id: "a", output: 5 }),
      assistantLine({ id: "b", output: 6 }),
      assistantLine({ id: "c", output: 7 }),
    ]);
    const l = new UsageLedger({ configDirs: [tmp().configDir] });
    await l.refresh();
    fs.writeFileSync(
      file,
      [assistantLine({ id: "a", output: 5 }), assistantLine({ id: "d", output: 8 })].join("\n") + "\n",
    );
    const result = await l.refresh();
    expect(result.changes.map((c) => c.current.key)).toEqual(["d:req_1"]);
    expect(sumTokens(await l.events()).output).toBe(5 + 6 + 7 + 8);
  });

  it("re-reads a replaced file (new inode) from the start without double counting", async () => {
    const file = tmp().write("p", "s.jsonl", [assistantLine({ id: "a", output: 5 })]);
    const l = new UsageLedger({ configDirs: [tmp().configDir] });
    await l.refresh();
    const inodeBefore = fs.statSync(file).ino;
    const replacement = path.join(path.dirname(file), "tmp-replacement");
    // Longer than before, so an offset-only reader would skip into the middle of a line.
    const lines = [
      assistantLine({ id: "a", output: 5 }),
      assistantLine({ id: "e", output: 9, model: "claude-opus-4-5" }),
    ];
    fs.writeFileSync(replacement, lines.join("\n") + "\n");
    fs.renameSync(replacement, file);
    expect(fs.statSync(file).ino).not.toBe(inodeBefore);
    const result = await l.refresh();
    expect(result.changes.map((c) => c.current.key)).toEqual(["e:req_1"]);
    expect(sumTokens(await l.events()).output).toBe(14);
  });

  it("keeps the events of deleted files and drops their cursors", async () => {
    const store = new MemoryLedgerStore();
    const file = tmp().write("p", "old.jsonl", [assistantLine({ id: "a", output: 5 })]);
    tmp().write("p", "new.jsonl", [assistantLine({ id: "b", output: 6 })]);
    const l = new UsageLedger({ configDirs: [tmp().configDir], store });
    await l.refresh();
    fs.rmSync(file);
    const result = await l.refresh();
    expect(result.filesScanned).toBe(1);
    expect(sumTokens(await l.events()).output).toBe(11);
    expect((await store.loadCursors()).map((c) => path.basename(c.path))).toEqual(["new.jsonl"]);
  });

  it("scans subagent transcripts with the session directory as session", async () => {
    tmp().write("-home-me-app", "sess-1.jsonl", [assistantLine({ id: "main" })]);
    tmp().write("-home-me-app", "sess-1/subagents/agent-x.jsonl", [
      assistantLine({ id: "sub", sidechain: true }),
    ]);
    const l = new UsageLedger({ configDirs: [tmp().configDir] });
    await l.refresh();
    const events = (await l.events()).sort((a, b) => a.key.localeCompare(b.key));
    expect(events.map((e) => [e.key, e.project, e.sessionId])).toEqual([
      ["main:req_1", "-home-me-app", "sess-1"],
      ["sub:req_1", "-home-me-app", "sess-1"],
    ]);
  });

  it("resumes from persisted cursors with a new ledger on the same store", async () => {
    const store = new MemoryLedgerStore();
    const file = tmp().write("p", "s.jsonl", [assistantLine({ id: "a" })]);
    await new UsageLedger({ configDirs: [tmp().configDir], store }).refresh();
    tmp().append(file, assistantLine({ id: "b" }) + "\n");
    const files = countingFiles(nodeFiles);
    const result = await new UsageLedger({ configDirs: [tmp().configDir], store, files }).refresh();
    expect(result.changes.map((c) => c.current.key)).toEqual(["b:req_1"]);
    expect(files.bytesRead).toBe(Buffer.byteLength(assistantLine({ id: "b" }) + "\n"));
  });

  it("never double counts when a commit fails midway (the store commit is the unit of progress)", async () => {
    const lines = Array.from({ length: 40 }, (_, i) => assistantLine({ id: `m${i}`, output: i + 1 }));
    tmp().write("p", "s.jsonl", lines);
    const inner = new MemoryLedgerStore();
    let commits = 0;
    const flaky: LedgerStore = {
      loadCursors: () => inner.loadCursors(),
      getEvents: (keys) => inner.getEvents(keys),
      allEvents: () => inner.allEvents(),
      commit: async (c: LedgerCommit) => {
        commits++;
        if (commits === 3) throw new Error("killed");
        await inner.commit(c);
      },
    };
    // Tiny chunks and commits so the file is committed in several steps.
    const opts = { configDirs: [tmp().configDir], scan: { chunkBytes: 700 }, commitEveryEvents: 3 };
    await expect(new UsageLedger({ ...opts, store: flaky }).refresh()).rejects.toThrow("killed");
    const partial = await inner.allEvents();
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(40);

    await new UsageLedger({ ...opts, store: inner }).refresh();
    const events = await inner.allEvents();
    expect(events).toHaveLength(40);
    expect(sumTokens(events).output).toBe((40 * 41) / 2);
  });

  it("reads big files in chunks and finds usage lines that straddle chunk boundaries", async () => {
    const lines = Array.from({ length: 200 }, (_, i) => assistantLine({ id: `m${i}`, output: 1 }));
    tmp().write("p", "s.jsonl", lines);
    const files = countingFiles(nodeFiles);
    const l = new UsageLedger({ configDirs: [tmp().configDir], files, scan: { chunkBytes: 1000 } });
    await l.refresh();
    expect(files.reads).toBeGreaterThan(20);
    expect(await l.events()).toHaveLength(200);
  });
});
