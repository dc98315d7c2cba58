/**
 * Claude Code runs one statusline per session, so several update the feed at once: no
 * update may be lost, and a lock left by a dead process or held too long never makes the
 * command fail. The compiled CLI (`npm run build`), as Claude Code runs it.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { feedLockPath, feedPendingDir, readFeed } from "../../../exporter/src/statusline/feed";
import { tempDir } from "../../fakes/ports";
import { statuslinePayload } from "./payload";

const CLI = path.resolve(__dirname, "../../../exporter/dist/cli.js");

interface Ran {
  code: number | null;
  stdout: string;
}

/** One run, its payload on stdin from a file (written before the start, as Claude Code pipes it at once). */
function statusline(feed: string, payload: unknown): Promise<Ran> {
  const input = path.join(tempDir(), "payload.json");
  fs.writeFileSync(input, JSON.stringify(payload));
  const stdin = fs.openSync(input, "r");
  return new Promise<Ran>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "statusline"], {
      env: { ...process.env, QUOTACAST_STATUSLINE_FILE: feed },
      stdio: [stdin, "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout }));
  }).finally(() => fs.closeSync(stdin));
}

test("50 concurrent runs with distinct sessions: all 50 kept, the feed parses, no lock left", async () => {
  const feed = path.join(tempDir(), "data", "statusline.json");
  const nowMs = Date.now();
  const sessions = Array.from({ length: 50 }, (_, i) => `session-${i}`);
  const runs = await Promise.all(
    sessions.map((sessionId, i) => statusline(feed, statuslinePayload(nowMs, { sessionId, costUsd: i + 1 }))),
  );
  for (const run of runs)
    expect(run).toEqual({ code: 0, stdout: expect.stringMatching(/^opus-4-5 \| 5h 42%/) });
  JSON.parse(fs.readFileSync(feed, "utf8"));
  const saved = readFeed(feed);
  expect(Object.keys(saved?.sessions ?? {}).sort()).toEqual([...sessions].sort());
  expect(Object.values(saved!.sessions).reduce((sum, s) => sum + s.costUsd, 0)).toBe((50 * 51) / 2);
  expect(fs.existsSync(feedLockPath(feed))).toBe(false);
  // Updates that had to wait (if any) were all merged.
  const pending = feedPendingDir(feed);
  expect(fs.existsSync(pending) ? fs.readdirSync(pending) : []).toEqual([]);
}, 120_000);

test("a lock left by a process that died is broken; the update is saved", async () => {
  const feed = path.join(tempDir(), "statusline.json");
  const lock = feedLockPath(feed);
  fs.writeFileSync(lock, "12345 0\n");
  const longAgo = new Date(Date.now() - 60_000);
  fs.utimesSync(lock, longAgo, longAgo);
  const run = await statusline(feed, statuslinePayload(Date.now(), { sessionId: "after-crash" }));
  expect(run.code).toBe(0);
  expect(Object.keys(readFeed(feed)?.sessions ?? {})).toEqual(["after-crash"]);
  expect(fs.existsSync(lock)).toBe(false);
}, 60_000);

test("a lock held by a live update: the command still prints its line and exits 0; its update waits for the holder", async () => {
  const feed = path.join(tempDir(), "statusline.json");
  const lock = feedLockPath(feed);
  fs.writeFileSync(lock, `${process.pid} ${Date.now()}\n`);
  const run = await statusline(feed, statuslinePayload(Date.now(), { sessionId: "waiting" }));
  expect(run).toEqual({
    code: 0,
    stdout: expect.stringMatching(/^opus-4-5 \| 5h 42% .*\$1\.50 today \(Claude Code\)\n$/),
  });
  expect(fs.existsSync(feed)).toBe(false);
  expect(fs.readdirSync(feedPendingDir(feed))).toHaveLength(1);
  // Not ours: left for its holder.
  expect(fs.readFileSync(lock, "utf8")).toBe(`${process.pid} ${fs.readFileSync(lock, "utf8").split(" ")[1]}`);

  // The holder finishes; the next run merges the update that waited.
  fs.rmSync(lock);
  expect((await statusline(feed, statuslinePayload(Date.now(), { sessionId: "next" }))).code).toBe(0);
  expect(Object.keys(readFeed(feed)?.sessions ?? {}).sort()).toEqual(["next", "waiting"]);
  expect(fs.readdirSync(feedPendingDir(feed))).toEqual([]);
}, 60_000);
