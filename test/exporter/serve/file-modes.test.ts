/**
 * quotacast's state is private: the data dir 0700, the databases and the statusline feed
 * 0600, after `serve`, after the CLI's first run, and fixed on start when an older
 * version left them wider.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import Database from "better-sqlite3";
import { startForTest, tempDir, testConfig } from "./helpers";
import { statuslinePayload } from "../statusline/payload";

const ROOT = path.resolve(__dirname, "../../..");
const CLI = path.join(ROOT, "exporter/src/cli.ts");

function modeOf(file: string): string {
  return (fs.statSync(file).mode & 0o777).toString(8);
}

/** Every entry of `dir` with its mode, e.g. { "quotacast.db": "600", ... }. */
function modesIn(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).map((name) => [name, modeOf(path.join(dir, name))]));
}

function runCli(args: string[], env: Record<string, string>, input = "") {
  return spawnSync(process.execPath, ["--require", "tsx/cjs", CLI, ...args], {
    input,
    env: { ...process.env, ...env },
    cwd: ROOT,
    timeout: 30_000,
  });
}

test("serve creates its dir 0700 and quotacast.db, -wal, -shm 0600", async () => {
  const dir = tempDir();
  const stateDir = path.join(dir, "state");
  const exporter = await startForTest(testConfig(dir, { dbPath: path.join(stateDir, "quotacast.db") }));
  try {
    expect(modeOf(stateDir)).toBe("700");
    const modes = modesIn(stateDir);
    expect(Object.keys(modes)).toEqual(
      expect.arrayContaining(["quotacast.db", "quotacast.db-wal", "quotacast.db-shm"]),
    );
    for (const [name, mode] of Object.entries(modes)) expect({ name, mode }).toEqual({ name, mode: "600" });
  } finally {
    await exporter.stop();
  }
});

test("serve fixes a data dir and databases an older version left world-readable", async () => {
  const dir = tempDir();
  const stateDir = path.join(dir, "data", "quotacast");
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o755 });
  fs.chmodSync(stateDir, 0o755);
  const dbPath = path.join(stateDir, "quotacast.db");
  // A database as SQLite creates it by default (0644), with a WAL left behind.
  const old = new Database(dbPath);
  old.pragma("journal_mode = WAL");
  old.exec("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)");
  fs.chmodSync(dbPath, 0o644);
  for (const suffix of ["-wal", "-shm"]) fs.chmodSync(dbPath + suffix, 0o644);
  const otherDb = path.join(stateDir, "cli-0123456789ab.db");
  fs.writeFileSync(otherDb, "", { mode: 0o644 });
  fs.chmodSync(otherDb, 0o644);
  old.close();
  expect(modeOf(dbPath)).toBe("644");

  const exporter = await startForTest(testConfig(dir, { dbPath }));
  try {
    expect(modeOf(stateDir)).toBe("700");
    expect(modeOf(dbPath)).toBe("600");
    for (const suffix of ["-wal", "-shm"]) expect(modeOf(dbPath + suffix)).toBe("600");
    // The CLI's database in the same dir too.
    expect(modeOf(otherDb)).toBe("600");
  } finally {
    await exporter.stop();
  }
});

test("the CLI's first run (daily, statusline) creates the data dir 0700 and its files 0600", () => {
  const home = tempDir();
  const claude = path.join(home, ".claude");
  fs.mkdirSync(path.join(claude, "projects", "p"), { recursive: true });
  const env = { HOME: home, XDG_DATA_HOME: path.join(home, "data"), CLAUDE_CONFIG_DIR: claude };

  const daily = runCli(["daily", "--json"], env);
  expect({ status: daily.status, stderr: daily.stderr.toString() }).toEqual({ status: 0, stderr: "" });
  const dataDir = path.join(home, "data", "quotacast");
  expect(modeOf(dataDir)).toBe("700");
  const databases = Object.entries(modesIn(dataDir)).filter(([name]) => /^cli-[0-9a-f]+\.db/.test(name));
  expect(databases.length).toBeGreaterThan(0);
  for (const [name, mode] of databases) expect({ name, mode }).toEqual({ name, mode: "600" });

  const statusline = runCli(["statusline"], env, JSON.stringify(statuslinePayload(Date.now())));
  expect(statusline.status).toBe(0);
  for (const [name, mode] of Object.entries(modesIn(dataDir)))
    expect({ name, mode }).toEqual({ name, mode: "600" });
  expect(fs.existsSync(path.join(dataDir, "statusline.json"))).toBe(true);
});
