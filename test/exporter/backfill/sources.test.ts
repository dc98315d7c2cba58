import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { UsageLedger } from "@quotacast/core";
import { loadBackfillHistory, mergeEvents } from "../../../exporter/src/backfill/sources";
import { run } from "../../../exporter/src/commands/backfill";
import { SqliteLedgerStore } from "../../../exporter/src/db/ledger-store";
import { openDatabase } from "../../../exporter/src/db/open";
import { SqliteSnapshotHistory } from "../../../exporter/src/db/snapshot-history";
import { generateHistory } from "../../generators/transcripts";
import { reading, SONNET, usageEvent } from "./events";

const END_MS = Date.UTC(2026, 9, 8, 12);

describe("mergeEvents", () => {
  test("keeps one copy per key, the larger one, from either list", () => {
    const small = usageEvent(1000, SONNET, { key: "a", outputTokens: 10 });
    const large = { ...small, outputTokens: 500 };
    const other = usageEvent(2000, SONNET, { key: "b" });
    expect(mergeEvents([small, other], [large])).toEqual([large, other]);
    expect(mergeEvents([large], [small, other])).toEqual([large, other]);
  });
});

describe("loadBackfillHistory", () => {
  let tmp: string;
  let configDir: string;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "quotacast-backfill-src-"));
    configDir = path.join(tmp, "claude");
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test("counts the messages of transcripts deleted since the exporter stored them, and reads the rate-limit history", async () => {
    const generated = generateHistory({ dir: configDir, sizeMb: 0.4, seed: 5, endMs: END_MS, days: 3 });
    const dbPath = path.join(tmp, "quotacast.db");
    const db = openDatabase(dbPath);
    await new UsageLedger({ configDirs: [configDir], store: new SqliteLedgerStore(db) }).refresh();
    const history = new SqliteSnapshotHistory(db);
    const snapshotAt = END_MS - 3_600_000;
    await history.append({
      observedAtMs: snapshotAt,
      source: "oauth",
      windows: [reading(snapshotAt, 0.42), reading(snapshotAt, 0.13, "seven_day")],
    });
    db.close();

    const deleted = generated.files.slice(0, Math.ceil(generated.files.length / 2));
    for (const file of deleted) fs.rmSync(file);
    const fromFilesOnly = await loadBackfillHistory({ dbPath: null, configDirs: [configDir] });
    expect(fromFilesOnly.events.length).toBeLessThan(generated.events.length);

    const loaded = await loadBackfillHistory({ dbPath, configDirs: [configDir] });
    expect(new Set(loaded.events.map((e) => e.key))).toEqual(new Set(generated.events.map((e) => e.key)));
    expect(loaded.readings.map((r) => [r.window, r.utilizationRatio, r.observedAtMs])).toEqual([
      ["five_hour", 0.42, snapshotAt],
      ["seven_day", 0.13, snapshotAt],
    ]);
    expect(loaded.origin).toContain(dbPath);
  });

  test("an explicit database that does not exist is an error, not an empty history", async () => {
    await expect(
      loadBackfillHistory({ dbPath: path.join(tmp, "missing.db"), configDirs: [] }),
    ).rejects.toThrow(/does not exist/);
  });
});

describe("quotacast backfill arguments", () => {
  let stderr: string[];
  beforeEach(() => {
    stderr = [];
    jest.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      stderr.push(String(chunk));
      return true;
    });
  });
  afterEach(() => jest.restoreAllMocks());

  test.each([
    [["--step", "0.5s"], /--step must be at least 1s/],
    [["--step", "five"], /invalid duration 'five'/],
    [["--timezone", "Mars/Olympus"], /unknown time zone 'Mars\/Olympus'/],
    [["--label", "bad-name=x"], /invalid --label 'bad-name=x'/],
    [["--label", "model=x"], /--label model is set by the metric itself/],
    [["--until", "yesterday-ish"], /invalid time 'yesterday-ish'/],
    [["--since", "now", "--until", "now-1h"], /--since is after --until/],
    [["--frobnicate"], /Unknown option '--frobnicate'/],
  ])("%j is refused with a clear message and exit code 2", async (argv, message) => {
    expect(await run(argv)).toBe(2);
    expect(stderr.join("")).toMatch(message);
  });

  test("writes the file only when complete, via a temporary file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quotacast-backfill-out-"));
    try {
      const out = path.join(dir, "out.om");
      const code = await run(["--no-db", "--claude.config-dir", path.join(dir, "none"), "--output", out]);
      expect(code).toBe(0);
      expect(fs.readFileSync(out, "utf8").endsWith("# EOF\n")).toBe(true);
      expect(fs.readdirSync(dir)).toEqual(["out.om"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
