import * as fs from "node:fs";
import { MemoryLedgerStore, UsageLedger, totalTokens } from "@quotacast/core";
import { assistantLine, sumTokens, tempConfig } from "./helpers";
import { perTest } from "../../support/per-test";

describe("dedup of transcript copies", () => {
  const tmp = perTest(tempConfig, (config) => config.cleanup());

  const ledger = (store = new MemoryLedgerStore()) =>
    new UsageLedger({ configDirs: [tmp().configDir], store });

  it("keys by message.id:requestId, so the same message id in two requests counts twice", async () => {
    tmp().write("p", "s.jsonl", [
      assistantLine({ id: "m1", requestId: "r1", output: 5 }),
      assistantLine({ id: "m1", requestId: "r2", output: 7 }),
    ]);
    const l = ledger();
    await l.refresh();
    const events = await l.events();
    expect(events.map((e) => e.key).sort()).toEqual(["m1:r1", "m1:r2"]);
    expect(sumTokens(events).output).toBe(12);
  });

  it("falls back to message.id alone when the line has no requestId", async () => {
    tmp().write("p", "s.jsonl", [
      assistantLine({ id: "m1", requestId: null, output: 5 }),
      assistantLine({ id: "m1", requestId: null, output: 9 }),
    ]);
    const l = ledger();
    await l.refresh();
    const events = await l.events();
    expect(events.map((e) => e.key)).toEqual(["m1"]);
    expect(events[0].outputTokens).toBe(9);
  });

  it("never merges lines without message.id (as ccusage 20), but a re-read does not count them again", async () => {
    const file = tmp().write("p", "s.jsonl", [
      assistantLine({ id: null, output: 5 }),
      assistantLine({ id: null, output: 5 }),
    ]);
    const l = ledger();
    await l.refresh();
    expect(sumTokens(await l.events()).output).toBe(10);
    // Rewrite in place with the same bytes and a new mtime: re-read from 0, still 10.
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(file, later, later);
    await l.refresh();
    expect(sumTokens(await l.events()).output).toBe(10);
  });

  it("keeps the copy with the largest token total within a file, whichever comes first", async () => {
    tmp().write("p", "grow.jsonl", [
      assistantLine({ id: "a", output: 1 }),
      assistantLine({ id: "a", output: 50 }),
      assistantLine({ id: "a", output: 100 }),
    ]);
    tmp().write("p", "shrink.jsonl", [
      assistantLine({ id: "b", output: 100 }),
      assistantLine({ id: "b", output: 1 }),
    ]);
    const l = ledger();
    const result = await l.refresh();
    const byKey = new Map((await l.events()).map((e) => [e.key, e]));
    expect(byKey.get("a:req_1")?.outputTokens).toBe(100);
    expect(byKey.get("b:req_1")?.outputTokens).toBe(100);
    expect(result.changes).toHaveLength(2);
    expect(result.changes.every((c) => c.previous === null)).toBe(true);
  });

  it("keeps the largest copy across files", async () => {
    tmp().write("p", "a.jsonl", [assistantLine({ id: "m", output: 5 })]);
    tmp().write("p", "b.jsonl", [assistantLine({ id: "m", output: 9 })]);
    tmp().write("q", "c.jsonl", [assistantLine({ id: "m", output: 7 })]);
    const l = ledger();
    await l.refresh();
    const events = await l.events();
    expect(events).toHaveLength(1);
    expect(events[0].outputTokens).toBe(9);
  });

  it("replaces a winner when a larger copy arrives in a later refresh, reporting the previous copy", async () => {
    const file = tmp().write("p", "s.jsonl", [assistantLine({ id: "m", output: 5 })]);
    const l = ledger();
    await l.refresh();
    tmp().append(file, assistantLine({ id: "m", output: 40 }) + "\n");
    const second = await l.refresh();
    expect(second.changes).toHaveLength(1);
    expect(second.changes[0].previous?.outputTokens).toBe(5);
    expect(second.changes[0].current.outputTokens).toBe(40);
    // A smaller copy later (another file) changes nothing.
    tmp().write("p", "other.jsonl", [assistantLine({ id: "m", output: 2 })]);
    const third = await l.refresh();
    expect(third.changes).toEqual([]);
    expect((await l.events())[0].outputTokens).toBe(40);
  });

  it("on equal totals prefers the non-sidechain copy, in either order", async () => {
    tmp().write("p", "s.jsonl", [
      assistantLine({ id: "x", sidechain: true, timestamp: "2026-11-20T23:30:00.000Z" }),
      assistantLine({ id: "x", sidechain: false, timestamp: "2026-11-21T00:30:00.000Z" }),
      assistantLine({ id: "y", sidechain: false, timestamp: "2026-11-20T23:30:00.000Z" }),
      assistantLine({ id: "y", sidechain: true, timestamp: "2026-11-21T00:30:00.000Z" }),
    ]);
    const l = ledger();
    await l.refresh();
    const events = await l.events();
    expect(events.every((e) => !e.isSidechain)).toBe(true);
    const byKey = new Map(events.map((e) => [e.key, e]));
    expect(new Date(byKey.get("x:req_1")!.timestampMs).toISOString()).toBe("2026-11-21T00:30:00.000Z");
    expect(new Date(byKey.get("y:req_1")!.timestampMs).toISOString()).toBe("2026-11-20T23:30:00.000Z");
  });

  it("never counts a message twice over many refreshes, appends and copies", async () => {
    const file = tmp().write("p", "s.jsonl", [assistantLine({ id: "m", output: 3 })]);
    const l = ledger();
    let running = 0;
    const apply = (changes: Awaited<ReturnType<UsageLedger["refresh"]>>["changes"]) => {
      for (const c of changes) running += totalTokens(c.current) - (c.previous ? totalTokens(c.previous) : 0);
    };
    apply((await l.refresh()).changes);
    for (let output = 4; output <= 8; output++) {
      tmp().append(file, assistantLine({ id: "m", output }) + "\n");
      tmp().write("p", `copy-${output}.jsonl`, [assistantLine({ id: "m", output: output - 1 })]);
      apply((await l.refresh()).changes);
      apply((await l.refresh()).changes);
    }
    const events = await l.events();
    expect(events).toHaveLength(1);
    expect(events[0].outputTokens).toBe(8);
    // Incremental totals built from the changes agree with the stored winners.
    expect(running).toBe(totalTokens(events[0]));
  });
});
