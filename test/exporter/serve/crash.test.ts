/**
 * The compiled CLI (`node exporter/dist/cli.js serve`, built by `npm run build`), killed
 * in the middle of ingesting a generated history, then restarted: every message is counted
 * exactly once. Also: SIGTERM in the middle of an ingest exits 0 and loses nothing.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import Database from "better-sqlite3";
import { generateHistory, type GeneratedHistory } from "../../generators/transcripts";
import { BUILT_CLI as CLI, buildCoreAndExporter } from "../../support/built-cli";
import { samples, seriesKey, sumOf, tempDir, truthByModel } from "./helpers";

let dir: string;
let configDir: string;
let dbPath: string;
let history: GeneratedHistory;

beforeAll(() => {
  buildCoreAndExporter();
  dir = tempDir();
  configDir = path.join(dir, "claude");
  dbPath = path.join(dir, "state", "quotacast.db");
  history = generateHistory({
    dir: configDir,
    sizeMb: 24,
    seed: 77,
    endMs: Date.now(),
    days: 20,
    medianFileBytes: 20_000,
  });
}, 120_000);

interface Child {
  process: ChildProcess;
  url: Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr: () => string;
}

function startCli(): Child {
  const child = spawn(
    process.execPath,
    [
      CLI,
      "serve",
      "--web.listen-address=127.0.0.1:0",
      `--db.path=${dbPath}`,
      `--claude.config-dir=${configDir}`,
      "--schedule.transcripts=0 0 1 1 *",
      "--transcripts.watch=false",
      "--ingest.commit-every=50",
      "--timezone=UTC",
    ],
    { env: { PATH: process.env.PATH ?? "", HOME: dir }, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  const url = new Promise<string>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      const match = /url=(http:\/\/127\.0\.0\.1:\d+)/.exec(stderr);
      if (match) resolve(match[1]);
    });
    child.once("exit", () => reject(new Error(`serve exited before listening:\n${stderr}`)));
  });
  url.catch(() => undefined);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { process: child, url, exit, stderr: () => stderr };
}

/** Messages committed so far, read the way a second process would (WAL readers never block the writer). */
function committedMessages(): number {
  try {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare("SELECT count(*) AS n FROM ledger_events").get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // not created or not migrated yet
  }
}

/** Waits until some but not all messages are committed; false when the ingest finished first. */
async function waitForPartialIngest(child: Child, total: number): Promise<boolean> {
  for (;;) {
    const n = committedMessages();
    if (n > 0 && n < total) return true;
    if (n >= total || child.process.exitCode !== null) return false;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test("SIGKILL mid-ingest, SIGTERM mid-ingest, restart: every message counted exactly once", async () => {
  const total = history.events.length;
  expect(total).toBeGreaterThan(1000);

  const killed = startCli();
  const killedMidIngest = await waitForPartialIngest(killed, total);
  killed.process.kill("SIGKILL");
  expect((await killed.exit).signal).toBe("SIGKILL");
  expect(killedMidIngest).toBe(true);
  const afterKill = committedMessages();

  const stopped = startCli();
  await stopped.url;
  const stoppedMidIngest = await waitForPartialIngest(stopped, total);
  stopped.process.kill("SIGTERM");
  expect((await stopped.exit).code).toBe(0);
  expect(stopped.stderr()).toMatch(/quotacast serve stopped/);
  if (stoppedMidIngest) expect(committedMessages()).toBeGreaterThanOrEqual(afterKill);

  const final = startCli();
  try {
    const url = await final.url;
    // The first refresh runs at start; wait until the totals stop moving at the truth.
    let all = new Map<string, number>();
    for (;;) {
      all = samples(await (await fetch(`${url}/metrics`)).text());
      if (sumOf(all, "quotacast_messages_total") >= total || final.process.exitCode !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(sumOf(all, "quotacast_messages_total")).toBe(total);
    expect(committedMessages()).toBe(total);
    for (const [model, t] of truthByModel(history.events)) {
      expect(all.get(seriesKey("quotacast_messages_total", { model }))).toBe(t.messages);
      expect(all.get(seriesKey("quotacast_tokens_total", { model, type: "output" }))).toBe(t.output);
      expect(all.get(seriesKey("quotacast_tokens_total", { model, type: "cache_read" }))).toBe(t.cacheRead);
    }
  } finally {
    final.process.kill("SIGTERM");
    expect((await final.exit).code).toBe(0);
  }
}, 120_000);

test("the CLI refuses a corrupt database with a clear message and a non-zero exit, leaving it as it was", () => {
  const badDir = tempDir();
  const badDb = path.join(badDir, "quotacast.db");
  fs.writeFileSync(badDb, "definitely not sqlite");
  const result = spawnSync(
    process.execPath,
    [CLI, "serve", `--db.path=${badDb}`, "--web.listen-address=127.0.0.1:0"],
    {
      env: { PATH: process.env.PATH ?? "", HOME: badDir },
      encoding: "utf8",
      timeout: 30_000,
    },
  );
  expect(result.status).toBe(1);
  expect(result.stderr).toContain(badDb);
  expect(result.stderr).toMatch(/not a SQLite database/);
  expect(fs.readFileSync(badDb, "utf8")).toBe("definitely not sqlite");
});

test("--help lists the flags; a bad flag exits 2", () => {
  const help = spawnSync(process.execPath, [CLI, "serve", "--help"], { encoding: "utf8" });
  expect(help.status).toBe(0);
  expect(help.stdout).toContain("--web.listen-address");
  const bad = spawnSync(process.execPath, [CLI, "serve", "--web.listen-adress=x"], { encoding: "utf8" });
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain("unknown flag --web.listen-adress");
});
