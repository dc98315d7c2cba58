/**
 * The contract every `LedgerStore` keeps (core/src/ingest/store.ts), as one suite that each
 * implementation runs: core's in-memory store, the exporter's SQLite store and the
 * extension's file store. A new store passes it before the ledger uses it.
 */
import type { FileCursor, LedgerStore, UsageEvent } from "@quotacast/core";

export interface StoreUnderTest {
  store: LedgerStore;
  /** A second instance over the same data (durable stores); undefined for the in-memory one. */
  reopen?: () => LedgerStore;
  close(): void;
}

export const CONTRACT_NOW_MS = Date.UTC(2026, 10, 22, 12);

function event(key: string, overrides: Partial<UsageEvent> = {}): UsageEvent {
  return {
    key,
    timestampMs: CONTRACT_NOW_MS - 3600_000,
    model: "claude-sonnet-4-5-20250929",
    sessionId: "s1",
    project: "-home-me-app",
    inputTokens: 3,
    outputTokens: 10,
    cacheCreationTokens: 200,
    cacheCreation1hTokens: 50,
    cacheReadTokens: 4000,
    speed: "standard",
    isSidechain: false,
    ...overrides,
  };
}

function cursor(path: string, offsetBytes: number): FileCursor {
  return {
    path,
    identity: { dev: 1, ino: 2, sizeBytes: offsetBytes, mtimeMs: 1_700_000_000_000 },
    offsetBytes,
  };
}

const byKey = (events: UsageEvent[]) => [...events].sort((a, b) => a.key.localeCompare(b.key));

export function describeLedgerStoreContract(name: string, open: () => StoreUnderTest): void {
  describe(`${name} keeps the LedgerStore contract`, () => {
    let subject: StoreUnderTest;
    beforeEach(() => {
      subject = open();
    });
    afterEach(() => subject.close());

    test("an empty store has no cursors, no events, and finds no key", async () => {
      expect(await subject.store.loadCursors()).toEqual([]);
      expect(await subject.store.allEvents()).toEqual([]);
      expect((await subject.store.getEvents(["nope"])).size).toBe(0);
    });

    test("a commit's events come back whole by key; absent keys are absent", async () => {
      const fast = event("msg_b:req_b", { speed: "fast", isSidechain: true, model: "claude-opus-4-6" });
      const old = event("msg_c", { recordedCostUsd: 0.125, sessionId: "s2" });
      await subject.store.commit({
        cursors: [cursor("/t/a.jsonl", 100)],
        removedCursorPaths: [],
        events: [event("msg_a:req_a"), fast, old],
      });
      const found = await subject.store.getEvents(["msg_a:req_a", "msg_b:req_b", "msg_c", "missing"]);
      expect([...found.keys()].sort()).toEqual(["msg_a:req_a", "msg_b:req_b", "msg_c"]);
      expect(found.get("msg_b:req_b")).toEqual(fast);
      expect(found.get("msg_c")).toEqual(old);
      expect(byKey(await subject.store.allEvents())).toEqual(byKey([event("msg_a:req_a"), fast, old]));
    });

    test("a commit of many events (beyond any store's batch of rows) keeps every field of each", async () => {
      // 70 events: two multi-row inserts of 32 and six single ones in the SQLite store.
      const varied = (i: number, outputTokens: number) =>
        event(`msg_${String(i).padStart(3, "0")}`, {
          timestampMs: CONTRACT_NOW_MS - i * 61_000,
          model: ["claude-opus-4-6", "claude-sonnet-4-5-20250929", "glm-4.7"][i % 3],
          sessionId: `s${i % 7}`,
          project: `-home-me-app${i % 5}`,
          inputTokens: i,
          outputTokens,
          cacheCreationTokens: 1000 + i,
          cacheCreation1hTokens: i % 4,
          cacheReadTokens: 50_000 + i,
          speed: i % 6 === 0 ? "fast" : "standard",
          isSidechain: i % 2 === 1,
          ...(i % 3 === 0 ? { recordedCostUsd: i / 8 } : {}),
        });
      const first = Array.from({ length: 70 }, (_, i) => varied(i, 10 + i));
      await subject.store.commit({ cursors: [], removedCursorPaths: [], events: first });
      // Then every even key of 0-78 again: 35 replaced, 5 new.
      const again = Array.from({ length: 40 }, (_, i) => varied(i * 2, 500 + i));
      await subject.store.commit({ cursors: [], removedCursorPaths: [], events: again });
      const expected = [...first.map((e, i) => (i % 2 === 0 ? again[i / 2] : e)), ...again.slice(35)];
      expect(byKey(await subject.store.allEvents())).toEqual(byKey(expected));
    });

    test("a later commit of a key replaces its winner: one event per key", async () => {
      await subject.store.commit({ cursors: [], removedCursorPaths: [], events: [event("k1"), event("k2")] });
      await subject.store.commit({
        cursors: [],
        removedCursorPaths: [],
        events: [event("k1", { outputTokens: 700 })],
      });
      expect((await subject.store.getEvents(["k1"])).get("k1")?.outputTokens).toBe(700);
      const all = await subject.store.allEvents();
      expect(all.map((e) => e.key).sort()).toEqual(["k1", "k2"]);
      expect(all.find((e) => e.key === "k1")?.outputTokens).toBe(700);
    });

    test("cursors are replaced by path; a removed file's cursor goes and its events stay", async () => {
      await subject.store.commit({
        cursors: [cursor("/t/a.jsonl", 100), cursor("/t/b.jsonl", 50)],
        removedCursorPaths: [],
        events: [event("from-b")],
      });
      await subject.store.commit({
        cursors: [cursor("/t/a.jsonl", 300)],
        removedCursorPaths: ["/t/b.jsonl"],
        events: [],
      });
      expect(await subject.store.loadCursors()).toEqual([cursor("/t/a.jsonl", 300)]);
      expect((await subject.store.allEvents()).map((e) => e.key)).toEqual(["from-b"]);
    });

    test("a commit of many cursors (beyond any store's batch of rows) keeps every field of each", async () => {
      // 70 cursors: two multi-row inserts of 32 and six single ones in the SQLite store.
      const varied = (i: number, offsetBytes: number): FileCursor => ({
        path: `/t/p${i % 4}/s${String(i).padStart(3, "0")}.jsonl`,
        identity: {
          dev: 2049 + (i % 3),
          ino: 1_000_000 + i * 7,
          sizeBytes: offsetBytes + (i % 2),
          mtimeMs: 1_700_000_000_000.5 + i,
        },
        offsetBytes,
      });
      const first = Array.from({ length: 70 }, (_, i) => varied(i, 100 * i));
      await subject.store.commit({ cursors: first, removedCursorPaths: [], events: [] });
      // Then every even path of 0-78 again: 35 replaced, 5 new.
      const again = Array.from({ length: 40 }, (_, i) => varied(i * 2, 5_000_000 + i));
      await subject.store.commit({ cursors: again, removedCursorPaths: [], events: [] });
      const expected = [...first.map((c, i) => (i % 2 === 0 ? again[i / 2] : c)), ...again.slice(35)];
      const byPath = (cursors: FileCursor[]) => [...cursors].sort((a, b) => a.path.localeCompare(b.path));
      expect(byPath(await subject.store.loadCursors())).toEqual(byPath(expected));
    });

    test("cursors handed out are copies: changing one changes nothing stored", async () => {
      await subject.store.commit({
        cursors: [cursor("/t/a.jsonl", 100)],
        removedCursorPaths: [],
        events: [],
      });
      const [loaded] = await subject.store.loadCursors();
      loaded.offsetBytes = 999;
      loaded.identity.sizeBytes = 999;
      expect(await subject.store.loadCursors()).toEqual([cursor("/t/a.jsonl", 100)]);
    });

    test("models(), where offered, lists each stored model once", async () => {
      if (!subject.store.models) return;
      await subject.store.commit({
        cursors: [],
        removedCursorPaths: [],
        events: [event("a"), event("b"), event("c", { model: "glm-4.7" })],
      });
      expect((await subject.store.models()).sort()).toEqual(["claude-sonnet-4-5-20250929", "glm-4.7"]);
    });

    test("a durable store reopened sees the same cursors and winners", async () => {
      if (!subject.reopen) return;
      const events = [event("k1", { outputTokens: 5 }), event("k2", { recordedCostUsd: 1.5 })];
      await subject.store.commit({ cursors: [cursor("/t/a.jsonl", 100)], removedCursorPaths: [], events });
      await subject.store.commit({
        cursors: [],
        removedCursorPaths: [],
        events: [event("k1", { outputTokens: 6 })],
      });
      const again = subject.reopen();
      expect(await again.loadCursors()).toEqual([cursor("/t/a.jsonl", 100)]);
      expect(byKey(await again.allEvents())).toEqual(byKey([event("k1", { outputTokens: 6 }), events[1]]));
      expect((await again.getEvents(["k2"])).get("k2")).toEqual(events[1]);
    });
  });
}
