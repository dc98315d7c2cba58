import * as fs from "node:fs";
import * as path from "node:path";
import Database from "better-sqlite3";
import { openCliState } from "../../../exporter/src/cli-state";
import { openDatabase } from "../../../exporter/src/db/open";
import { assistantLine } from "../../core/ingest/helpers";
import { tempDirPerTest } from "../../support/per-test";

/** A pid no process has (above the kernel's default pid_max of 4,194,304). */
const GONE_PID = 4_999_999;
/** This machine's boot (Linux, where the tests run). */
const BOOT_ID = fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();

describe("a one-shot command's first ingest (journal in memory until close, marked by a file)", () => {
  const tmp = tempDirPerTest("qc-first-build-");
  const setup = () => {
    const configDir = path.join(tmp(), "claude");
    const project = path.join(configDir, "projects", "p");
    fs.mkdirSync(project, { recursive: true });
    const lines = [assistantLine({ id: "m1", output: 5 }), assistantLine({ id: "m2", output: 7 })];
    fs.writeFileSync(path.join(project, "s.jsonl"), lines.join("\n") + "\n");
    return { configDir, dbPath: path.join(tmp(), "state", "cli.db") };
  };
  const outputTokens = async (configDir: string, dbPath: string) => {
    const state = openCliState([configDir], { dbPath, fastFirstBuild: true });
    try {
      await state.ledger.refresh();
      return (await state.ledger.events()).reduce((sum, e) => sum + e.outputTokens, 0);
    } finally {
      state.close();
    }
  };

  it("is marked while it runs, marked built in this boot once closed (in the write-ahead log), unmarked by the next run", async () => {
    const { configDir, dbPath } = setup();
    const state = openCliState([configDir], { dbPath, fastFirstBuild: true });
    await state.ledger.refresh();
    expect(fs.readFileSync(`${dbPath}.first-build`, "utf8")).toBe(String(process.pid));
    state.close();
    expect(fs.readFileSync(`${dbPath}.first-build`, "utf8")).toBe(`built ${BOOT_ID}`);
    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
    expect(await outputTokens(configDir, dbPath)).toBe(12);
    expect(fs.existsSync(`${dbPath}.first-build`)).toBe(false);
  });

  it("discards a build finished before the machine restarted (its last pages may not have reached the disk)", async () => {
    const { configDir, dbPath } = setup();
    fs.mkdirSync(path.dirname(dbPath), { recursive: true });
    fs.writeFileSync(dbPath, Buffer.alloc(8192, 0xab)); // torn: not even a SQLite header
    fs.writeFileSync(`${dbPath}.first-build`, "built 00000000-0000-4000-8000-000000000000");
    expect(await outputTokens(configDir, dbPath)).toBe(12);
    expect(fs.readFileSync(`${dbPath}.first-build`, "utf8")).toBe(`built ${BOOT_ID}`);
  });

  it("builds a database that exists but holds no usage the same way", async () => {
    const { configDir, dbPath } = setup();
    fs.mkdirSync(path.dirname(dbPath), { recursive: true });
    openDatabase(dbPath).close(); // migrated, in WAL, empty
    const state = openCliState([configDir], { dbPath, fastFirstBuild: true });
    try {
      expect(fs.readFileSync(`${dbPath}.first-build`, "utf8")).toBe(String(process.pid));
      await state.ledger.refresh();
    } finally {
      state.close();
    }
    expect(fs.readFileSync(`${dbPath}.first-build`, "utf8")).toBe(`built ${BOOT_ID}`);
    expect(await outputTokens(configDir, dbPath)).toBe(12);
  });

  it("commits once however much it reads (killed, it is discarded anyway); a later run commits as it goes", async () => {
    const { configDir, dbPath } = setup();
    const file = path.join(configDir, "projects", "p", "s.jsonl");
    const responses = (from: number) =>
      Array.from({ length: 6000 }, (_, i) =>
        assistantLine({ id: `r${from + i}`, requestId: `q${from + i}` }),
      );
    fs.appendFileSync(file, responses(0).join("\n") + "\n");
    const commitsOfARun = async () => {
      const state = openCliState([configDir], { dbPath, fastFirstBuild: true });
      let commits = 0;
      state.store.onCommit(() => commits++);
      try {
        await state.ledger.refresh();
      } finally {
        state.close();
      }
      return commits;
    };
    expect(await commitsOfARun()).toBe(1);
    fs.appendFileSync(file, responses(6000).join("\n") + "\n");
    expect(await commitsOfARun()).toBeGreaterThan(1);
    expect(await outputTokens(configDir, dbPath)).toBe(12 + 12_000 * 5);
  });

  it("discards the database a killed first build left (torn or not) and builds it again", async () => {
    const { configDir, dbPath } = setup();
    fs.mkdirSync(path.dirname(dbPath), { recursive: true });
    fs.writeFileSync(dbPath, Buffer.alloc(8192, 0xab)); // not even a SQLite header
    fs.writeFileSync(`${dbPath}.first-build`, String(GONE_PID));
    expect(await outputTokens(configDir, dbPath)).toBe(12);
    expect(fs.readFileSync(`${dbPath}.first-build`, "utf8")).toBe(`built ${BOOT_ID}`);
  });

  it("leaves a build that is still running alone and writes the usual way beside it", async () => {
    const { configDir, dbPath } = setup();
    fs.mkdirSync(path.dirname(dbPath), { recursive: true });
    fs.writeFileSync(`${dbPath}.first-build`, String(process.ppid)); // a live process
    expect(await outputTokens(configDir, dbPath)).toBe(12);
    expect(fs.readFileSync(`${dbPath}.first-build`, "utf8")).toBe(String(process.ppid));
  });

  it("keeps a state that already holds events: later runs never start over", async () => {
    const { configDir, dbPath } = setup();
    expect(await outputTokens(configDir, dbPath)).toBe(12);
    fs.rmSync(path.join(configDir, "projects", "p", "s.jsonl")); // the transcript is deleted
    expect(await outputTokens(configDir, dbPath)).toBe(12);
    expect(fs.existsSync(`${dbPath}.first-build`)).toBe(false);
  });
});
