import {
  MemoryLedgerStore,
  UsageLedger,
  type LedgerCommit,
  type LedgerStore,
  type UsageEvent,
} from "@quotacast/core";
import { generateHistory } from "../../generators/transcripts";
import { assistantLine, sumTokens, tempConfig } from "./helpers";
import { perTest } from "../../support/per-test";

/** A memory store that keeps each commit's events in the order they were handed over. */
function recordingStore(): { store: LedgerStore; commits: string[][]; keyOrders: (string[] | undefined)[] } {
  const inner = new MemoryLedgerStore();
  const commits: string[][] = [];
  const keyOrders: (string[] | undefined)[] = [];
  const store: LedgerStore = {
    loadCursors: () => inner.loadCursors(),
    getEvents: (keys) => inner.getEvents(keys),
    allEvents: () => inner.allEvents(),
    isEmpty: () => inner.isEmpty(),
    commit: async (commit: LedgerCommit) => {
      commits.push(commit.events.map((e) => e.key));
      keyOrders.push(commit.eventsInKeyOrder?.map((e) => e.key));
      await inner.commit(commit);
    },
  };
  return { store, commits, keyOrders };
}

/**
 * Two ledgers over the same transcripts: one commits once at the end into an empty store (it
 * settles the copies by sorting them), the other looks each key up as it comes.
 */
async function bothWays(configDir: string) {
  const run = async (commitEveryEvents: number) => {
    const { store, commits, keyOrders } = recordingStore();
    // Small chunks: each file's copies reach the run in several batches.
    const ledger = new UsageLedger({
      configDirs: [configDir],
      store,
      commitEveryEvents,
      scan: { chunkBytes: 4096 },
    });
    const result = await ledger.refresh();
    const byKey = (a: UsageEvent, b: UsageEvent) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    return {
      changes: result.changes,
      commits,
      keyOrders,
      events: (await ledger.events()).sort(byKey),
      ledger,
    };
  };
  return { settled: await run(Number.POSITIVE_INFINITY), lookedUp: await run(1_000_000) };
}

describe("a first build settles copies by sorting them", () => {
  const tmp = perTest(tempConfig, (config) => config.cleanup());

  it("keeps the same winners, changes and commit order as looking each key up", async () => {
    const history = generateHistory({
      dir: tmp().configDir,
      sizeMb: 2,
      seed: 11,
      endMs: Date.parse("2026-11-20T12:00:00Z"),
      medianFileBytes: 20_000,
    });
    const { settled, lookedUp } = await bothWays(tmp().configDir);
    expect(settled.commits).toHaveLength(1);
    expect(settled.changes.length).toBeGreaterThan(100);
    expect(settled.changes).toEqual(lookedUp.changes);
    expect(settled.commits).toEqual(lookedUp.commits);
    expect(settled.events).toEqual(lookedUp.events);
    // The same events handed over in key order too (the store then does not sort them).
    expect(settled.keyOrders).toEqual([[...settled.commits[0]].sort()]);
    expect(lookedUp.keyOrders).toEqual([undefined]);
    expect(sumTokens(settled.events)).toEqual(sumTokens(history.events));
  });

  it("takes the best copy across files, keeps the first of equal ones, and orders keys by first copy", async () => {
    // Keys come back in other files and out of order; `b` has two equal copies (the first stays),
    // `c` a larger sidechain copy and an equal non-sidechain one (which wins the tie).
    tmp().write("p", "1.jsonl", [
      assistantLine({ id: "z", output: 1 }),
      assistantLine({ id: "b", output: 4, timestamp: "2026-11-20T10:00:01.000Z" }),
      assistantLine({ id: "a", output: 2 }),
      assistantLine({ id: "c", output: 3, sidechain: true }),
    ]);
    tmp().write("p", "2.jsonl", [
      assistantLine({ id: "a", output: 9 }),
      assistantLine({ id: "b", output: 4, timestamp: "2026-11-20T10:00:02.000Z" }),
      assistantLine({ id: "z", output: 0 }),
      assistantLine({ id: "c", output: 3, sidechain: false }),
    ]);
    const { settled, lookedUp } = await bothWays(tmp().configDir);
    const summary = (changes: typeof settled.changes) =>
      changes.map((c) => [
        c.current.key,
        c.current.outputTokens,
        c.current.timestampMs,
        c.current.isSidechain,
      ]);
    expect(summary(settled.changes)).toEqual([
      ["z:req_1", 1, Date.parse("2026-11-20T10:00:00.000Z"), false],
      ["b:req_1", 4, Date.parse("2026-11-20T10:00:01.000Z"), false],
      ["a:req_1", 9, Date.parse("2026-11-20T10:00:00.000Z"), false],
      ["c:req_1", 3, Date.parse("2026-11-20T10:00:00.000Z"), false],
    ]);
    expect(settled.changes).toEqual(lookedUp.changes);
    expect(settled.changes.every((c) => c.previous === null)).toBe(true);
  });

  it("looks keys up as usual once the store holds events", async () => {
    tmp().write("p", "1.jsonl", [assistantLine({ id: "a", output: 2 })]);
    const { store, commits } = recordingStore();
    const ledger = new UsageLedger({
      configDirs: [tmp().configDir],
      store,
      commitEveryEvents: Number.POSITIVE_INFINITY,
    });
    await ledger.refresh();
    tmp().write("p", "1.jsonl", [
      assistantLine({ id: "a", output: 2 }),
      assistantLine({ id: "a", output: 1 }),
    ]);
    tmp().write("p", "2.jsonl", [assistantLine({ id: "a", output: 5 })]);
    const second = await ledger.refresh();
    expect(second.changes.map((c) => [c.previous?.outputTokens, c.current.outputTokens])).toEqual([[2, 5]]);
    expect(commits.map((keys) => keys.length)).toEqual([1, 1]);
  });
});
