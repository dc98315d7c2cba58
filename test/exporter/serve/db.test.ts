import * as fs from "node:fs";
import * as path from "node:path";
import Database from "better-sqlite3";
import { UsageLedger, type UsageChange, type UsageEvent } from "@quotacast/core";
import { DatabaseError, defaultDbPath, openDatabase } from "../../../exporter/src/db/open";
import { SCHEMA_VERSION, schemaVersion } from "../../../exporter/src/db/migrations";
import { SqliteLedgerStore } from "../../../exporter/src/db/ledger-store";
import { SqliteSnapshotHistory } from "../../../exporter/src/db/snapshot-history";
import { SqliteCounters, SqliteParams, labelKey } from "../../../exporter/src/db/kv";
import { assistantLine } from "../../core/ingest/helpers";
import { usageEvent } from "../../fakes/usage-event";
import { appendTranscript, tempDir } from "./helpers";

function event(key: string, output: number, overrides: Partial<UsageEvent> = {}): UsageEvent {
  return usageEvent({
    key,
    timestampMs: Date.UTC(2026, 10, 20, 10),
    sessionId: "s1",
    project: "-home-me-app",
    inputTokens: 10,
    outputTokens: output,
    ...overrides,
  });
}

describe("openDatabase", () => {
  test("creates the file with WAL, synchronous=NORMAL and the current schema", () => {
    const dbPath = path.join(tempDir(), "nested", "q.db");
    const db = openDatabase(dbPath);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("synchronous", { simple: true })).toBe(1); // NORMAL
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    db.close();
    // Opening again keeps the version and the data.
    const again = openDatabase(dbPath);
    expect(schemaVersion(again)).toBe(SCHEMA_VERSION);
    again.close();
  });

  test("default path honours XDG_DATA_HOME", () => {
    expect(defaultDbPath({ XDG_DATA_HOME: "/x/data" }, "/home/me")).toBe("/x/data/quotacast/quotacast.db");
    expect(defaultDbPath({}, "/home/me")).toBe("/home/me/.local/share/quotacast/quotacast.db");
  });

  test("a file that is not SQLite is reported and left untouched", () => {
    const dbPath = path.join(tempDir(), "q.db");
    fs.writeFileSync(dbPath, "this is my thesis, not a database\n".repeat(200));
    const before = fs.readFileSync(dbPath);
    expect(() => openDatabase(dbPath)).toThrow(DatabaseError);
    try {
      openDatabase(dbPath);
    } catch (err) {
      expect((err as DatabaseError).problem).toBe("corrupt");
      expect((err as DatabaseError).message).toContain(dbPath);
      expect((err as DatabaseError).message).toMatch(/move it aside/);
    }
    expect(fs.readFileSync(dbPath).equals(before)).toBe(true);
    expect(fs.existsSync(`${dbPath}-wal`)).toBe(false);
  });

  test("a damaged SQLite file (quick_check fails) is reported, not recreated", () => {
    const dbPath = path.join(tempDir(), "q.db");
    const raw = new Database(dbPath);
    raw.pragma("journal_mode = DELETE");
    raw.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t (v);");
    const insert = raw.prepare("INSERT INTO t (v) VALUES (?)");
    raw.transaction(() => {
      for (let i = 0; i < 5000; i++) insert.run(`value-${i}-${"x".repeat(40)}`);
    })();
    raw.close();
    const bytes = fs.readFileSync(dbPath);
    const pageSize = bytes.readUInt16BE(16);
    // Scribble over a few pages in the middle (not the header page).
    for (let p = 3; p < 8; p++) bytes.fill(0x5a, p * pageSize + 8, (p + 1) * pageSize);
    fs.writeFileSync(dbPath, bytes);
    let caught: unknown;
    try {
      openDatabase(dbPath);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DatabaseError);
    expect((caught as DatabaseError).problem).toBe("corrupt");
    expect(fs.readFileSync(dbPath).equals(bytes)).toBe(true);
  });

  test("a database locked by another writer is reported as locked", () => {
    const dbPath = path.join(tempDir(), "q.db");
    openDatabase(dbPath).close();
    const other = new Database(dbPath);
    other.exec("BEGIN EXCLUSIVE");
    try {
      let caught: unknown;
      try {
        openDatabase(dbPath, { busyTimeoutMs: 50 });
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(DatabaseError);
      expect((caught as DatabaseError).problem).toBe("locked");
      expect((caught as DatabaseError).message).toMatch(/another process/);
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
  });

  test("a database from a newer quotacast is refused", () => {
    const dbPath = path.join(tempDir(), "q.db");
    openDatabase(dbPath).close();
    const raw = new Database(dbPath);
    raw.prepare("UPDATE schema_version SET version = ?").run(SCHEMA_VERSION + 5);
    raw.close();
    expect(() => openDatabase(dbPath)).toThrow(/newer than this quotacast/);
  });
});

describe("SqliteLedgerStore", () => {
  test("commits cursors and events together and reports the replaced copy", async () => {
    const db = openDatabase(path.join(tempDir(), "q.db"));
    const store = new SqliteLedgerStore(db);
    const seen: UsageChange[][] = [];
    store.onCommit((changes) => seen.push(changes));
    const identity = { dev: 1, ino: 2, sizeBytes: 300, mtimeMs: 1234.5 };
    await store.commit({
      cursors: [{ path: "/a.jsonl", identity, offsetBytes: 300 }],
      removedCursorPaths: [],
      events: [event("m1", 5)],
    });
    await store.commit({ cursors: [], removedCursorPaths: [], events: [event("m1", 50), event("m2", 7)] });
    expect(seen[1].map((c) => [c.current.key, c.previous?.outputTokens ?? null])).toEqual([
      ["m1", 5],
      ["m2", null],
    ]);
    expect(await store.loadCursors()).toEqual([{ path: "/a.jsonl", identity, offsetBytes: 300 }]);
    const found = await store.getEvents(["m1", "nope"]);
    expect([...found.keys()]).toEqual(["m1"]);
    expect(found.get("m1")).toEqual(event("m1", 50));
    await store.commit({ cursors: [], removedCursorPaths: ["/a.jsonl"], events: [] });
    expect(await store.loadCursors()).toEqual([]);
    expect(store.eventCount()).toBe(2); // events of a vanished file stay
    db.close();
  });

  test("opened on an empty table, never replaces a larger copy another connection committed, and reports it as replaced", async () => {
    const file = path.join(tempDir(), "q.db");
    const dbA = openDatabase(file);
    const dbB = openDatabase(file);
    const a = new SqliteLedgerStore(dbA);
    const b = new SqliteLedgerStore(dbB);
    await a.commit({ cursors: [], removedCursorPaths: [], events: [event("mine", 1)] });
    await b.commit({ cursors: [], removedCursorPaths: [], events: [event("theirs", 100)] });
    const seen: UsageChange[][] = [];
    a.onCommit((changes) => seen.push(changes));
    // A's lookups may not see B's commit; A's commit does, inside its transaction.
    await a.commit({ cursors: [], removedCursorPaths: [], events: [event("theirs", 50)] });
    expect(seen[0]).toEqual([]);
    expect((await b.getEvents(["theirs"])).get("theirs")?.outputTokens).toBe(100);
    await a.commit({ cursors: [], removedCursorPaths: [], events: [event("theirs", 200)] });
    expect(seen[1].map((c) => c.previous?.outputTokens ?? null)).toEqual([100]);
    expect((await a.getEvents(["theirs"])).get("theirs")?.outputTokens).toBe(200);
    dbA.close();
    dbB.close();
  });

  test("writes a commit's events handed over in key order as they are, unless it keeps a stored larger copy", async () => {
    const file = path.join(tempDir(), "q.db");
    const dbA = openDatabase(file);
    const dbB = openDatabase(file);
    const a = new SqliteLedgerStore(dbA);
    const b = new SqliteLedgerStore(dbB);
    const first = [event("k2", 5), event("k1", 3), event("k3", 7)];
    await a.commit({
      cursors: [],
      removedCursorPaths: [],
      events: first,
      eventsInKeyOrder: [first[1], first[0], first[2]],
    });
    const outputs = async (store: SqliteLedgerStore) =>
      (await store.allEvents())
        .map((e) => [e.key, e.outputTokens])
        .sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    expect(await outputs(a)).toEqual([
      ["k1", 3],
      ["k2", 5],
      ["k3", 7],
    ]);
    // B stores a larger k4 first: A's commit keeps it, and writes only k5 of what it hands over.
    await b.commit({ cursors: [], removedCursorPaths: [], events: [event("k4", 100)] });
    const second = [event("k5", 1), event("k4", 2)];
    await a.commit({
      cursors: [],
      removedCursorPaths: [],
      events: second,
      eventsInKeyOrder: [second[1], second[0]],
    });
    expect(await outputs(b)).toEqual([
      ["k1", 3],
      ["k2", 5],
      ["k3", 7],
      ["k4", 100],
      ["k5", 1],
    ]);
    dbA.close();
    dbB.close();
  });

  test("a first ingest drops the time index; the first read by time builds it", async () => {
    const file = path.join(tempDir(), "q.db");
    const indexes = (db: Database.Database) =>
      (
        db
          .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ledger_events'")
          .all() as {
          name: string;
        }[]
      ).map((row) => row.name);
    let db = openDatabase(file);
    let store = new SqliteLedgerStore(db);
    await store.commit({ cursors: [], removedCursorPaths: [], events: [event("a", 1), event("b", 2)] });
    expect(indexes(db)).not.toContain("ledger_events_by_time");
    db.close();

    db = openDatabase(file);
    store = new SqliteLedgerStore(db);
    expect(indexes(db)).not.toContain("ledger_events_by_time"); // `daily` never reads by time
    expect(store.eventsSince(0).map((e) => e.key)).toEqual(["a", "b"]);
    expect(indexes(db)).toContain("ledger_events_by_time");
    db.close();

    db = openDatabase(path.join(tempDir(), "fresh.db"));
    store = new SqliteLedgerStore(db);
    await store.commit({ cursors: [], removedCursorPaths: [], events: [event("c", 1)] });
    store.ensureTimeIndex();
    expect(indexes(db)).toContain("ledger_events_by_time");
    db.close();
  });

  test("lists the models of every stored event, also those committed before the model table existed", async () => {
    const file = path.join(tempDir(), "q.db");
    const db = openDatabase(file);
    const store = new SqliteLedgerStore(db);
    await store.commit({
      cursors: [],
      removedCursorPaths: [],
      events: [event("a", 1, { model: "claude-opus-4-5" }), event("b", 1, { model: "glm-4.7" })],
    });
    await store.commit({
      cursors: [],
      removedCursorPaths: [],
      events: [event("c", 1, { model: "glm-4.7" })],
    });
    expect((await store.models()).sort()).toEqual(["claude-opus-4-5", "glm-4.7"]);
    // A database of schema 3: the migration fills the table from the stored events.
    db.exec("DROP TABLE ledger_models");
    db.prepare("UPDATE schema_version SET version = 3").run();
    db.close();
    const reopened = openDatabase(file);
    expect((await new SqliteLedgerStore(reopened).models()).sort()).toEqual(["claude-opus-4-5", "glm-4.7"]);
    reopened.close();
  });

  test("a commit that fails (disk full) writes nothing: no cursor without its events", async () => {
    const db = openDatabase(path.join(tempDir(), "q.db"));
    const store = new SqliteLedgerStore(db);
    const pages = db.pragma("page_count", { simple: true }) as number;
    db.pragma(`max_page_count = ${pages + 2}`);
    const big = Array.from({ length: 2000 }, (_, i) => event(`k${i}-${"p".repeat(60)}`, i));
    const identity = { dev: 1, ino: 2, sizeBytes: 10, mtimeMs: 1 };
    await expect(
      store.commit({
        cursors: [{ path: "/a.jsonl", identity, offsetBytes: 10 }],
        removedCursorPaths: [],
        events: big,
      }),
    ).rejects.toMatchObject({ code: "SQLITE_FULL" });
    expect(await store.loadCursors()).toEqual([]);
    expect(store.eventCount()).toBe(0);
    db.close();
  });

  test("the ledger on SQLite continues where it stopped after a reopen", async () => {
    const dir = tempDir();
    const configDir = path.join(dir, "claude");
    const dbPath = path.join(dir, "q.db");
    appendTranscript(configDir, "-p", "s1", [
      assistantLine({ id: "msg_1", requestId: "req_1", output: 3 }),
      assistantLine({ id: "msg_1", requestId: "req_1", output: 30 }),
      assistantLine({ id: "msg_2", requestId: "req_2", output: 8 }),
    ]);
    let db = openDatabase(dbPath);
    let ledger = new UsageLedger({ configDirs: [configDir], store: new SqliteLedgerStore(db) });
    const first = await ledger.refresh();
    expect(first.changes).toHaveLength(2);
    db.close();

    appendTranscript(configDir, "-p", "s1", [assistantLine({ id: "msg_3", requestId: "req_3", output: 1 })]);
    db = openDatabase(dbPath);
    const store = new SqliteLedgerStore(db);
    ledger = new UsageLedger({ configDirs: [configDir], store });
    const second = await ledger.refresh();
    expect(second.changes.map((c) => c.current.key)).toEqual(["msg_3:req_3"]);
    const outputs = (await store.allEvents()).map((e) => e.outputTokens).sort((a, b) => a - b);
    expect(outputs).toEqual([1, 8, 30]);
    db.close();
  });
});

describe("SqliteSnapshotHistory", () => {
  const H = 3600_000;
  const reading = (observedAtMs: number, utilizationRatio: number, resetsAtMs: number | null) => ({
    window: "five_hour",
    utilizationRatio,
    resetsAtMs,
    windowLengthMs: 5 * H,
    status: "allowed" as const,
    source: "oauth",
    observedAtMs,
  });

  test("stores readings, groups completed windows with core's rule, prunes by age", async () => {
    const db = openDatabase(path.join(tempDir(), "q.db"));
    const history = new SqliteSnapshotHistory(db);
    const t0 = Date.UTC(2026, 10, 1, 0);
    const resetA = t0 + 5 * H;
    const resetB = t0 + 10 * H;
    for (const r of [
      reading(t0 + H, 0.1, resetA),
      reading(t0 + 2 * H, 0.4, resetA + 20_000), // jittered reset: same window
      reading(t0 + 6 * H, 0.2, resetB),
      reading(t0 + 7 * H, 0.3, null),
    ]) {
      await history.append({ observedAtMs: r.observedAtMs, source: "oauth", windows: [r] });
    }
    await history.append({
      observedAtMs: t0 + 7 * H,
      source: "oauth",
      windows: [
        { ...reading(t0 + 7 * H, 0.5, resetB), scopeModel: { id: "claude-opus", displayName: "Opus" } },
      ],
    });
    expect(await history.readings({ window: "five_hour", fromMs: t0, toMs: t0 + 3 * H })).toHaveLength(2);
    const done = await history.completedWindows("five_hour", t0 + 11 * H);
    expect(done.map((o) => [o.resetsAtMs, o.maxUtilizationRatio, o.readings.length])).toEqual([
      [resetA, 0.4, 2],
      [resetB, 0.5, 2],
    ]);
    expect(done[1].scopeModel).toEqual({ id: "claude-opus", displayName: "Opus" });
    expect(
      (await history.completedWindows("five_hour", t0 + 11 * H, resetA)).map((o) => o.resetsAtMs),
    ).toEqual([resetB]);
    expect(await history.completedWindows("five_hour", t0 + 8 * H)).toHaveLength(1);
    expect(await history.prune(t0 + 6 * H + 1, 4 * H)).toBe(2);
    expect(await history.readings({ window: "five_hour", fromMs: 0, toMs: t0 + 100 * H })).toHaveLength(3);
    db.close();
  });
});

describe("params and counters", () => {
  test("survive a reopen", async () => {
    const dbPath = path.join(tempDir(), "q.db");
    let db = openDatabase(dbPath);
    await new SqliteParams(db).save("learned:five_hour", '{"limitUsd":12}');
    new SqliteCounters(db).save({ source_polls_total: new Map([[labelKey({ source: "oauth" }), 3]]) });
    db.close();
    db = openDatabase(dbPath);
    expect(await new SqliteParams(db).load("learned:five_hour")).toBe('{"limitUsd":12}');
    expect(await new SqliteParams(db).load("nothing")).toBeNull();
    expect(new SqliteCounters(db).load("source_polls_total")).toEqual(new Map([['{"source":"oauth"}', 3]]));
    db.close();
  });
});
