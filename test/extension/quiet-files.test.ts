/**
 * What the last refresh saw (quiet-files.ts): a run with nothing changed skips the refresh, and
 * a run after a change (an append, a new transcript anywhere Claude Code writes them, a removed
 * one) sees it and gives the Summary a fresh support directory gives.
 */
// readFileSync recorded, to see that a quiet run reads no cursors.
jest.mock("node:fs", () => {
  const actual = jest.requireActual<typeof import("node:fs")>("node:fs");
  return { ...actual, readFileSync: jest.fn(actual.readFileSync) };
});

import * as fs from "node:fs";
import * as path from "node:path";
import { loadSummary, type LoadOptions, type TextCache } from "../../extension/src/data";
import { watchedFiles } from "../../extension/src/quiet-files";
import { parseStatuslineFeed, type StatuslineFeed } from "@quotacast/core/limits/statusline-feed";
import { HOUR_MS, worldPerTest, writeFeed, writeTranscript } from "./fixtures";

const world = worldPerTest();

function memoryCache(): TextCache {
  const entries = new Map<string, string>();
  return { get: (k) => entries.get(k), set: (k, v) => void entries.set(k, v) };
}

/** The data function in local mode on this test's world, at `nowMs`. */
function localOptions(supportPath: string, cache: TextCache, nowMs: number): LoadOptions {
  return {
    supportPath,
    cache,
    timezone: "UTC",
    nowMs: () => nowMs,
    configDirs: [world.configDir],
    statuslineFeedFile: world.feedFile,
    env: {},
    homeDir: world.root,
  };
}

/** Every directory under `dir` (and it) dated an hour back: settled, as a history between sessions is. */
function settle(dir: string, atMs: number): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }))
    if (entry.isDirectory()) settle(path.join(dir, entry.name), atMs);
  fs.utimesSync(dir, new Date(atMs), new Date(atMs));
}

/**
 * The Summary with costs to 12 digits: a fresh store reads the files in path order, this one in
 * the order they changed, and floating-point sums in another order differ in the last bits.
 */
function rounded(summary: unknown): unknown {
  return JSON.parse(
    JSON.stringify(summary, (_key, value: unknown) =>
      typeof value === "number" && !Number.isInteger(value) ? Number(value.toPrecision(12)) : value,
    ),
  );
}

function subagentLine(key: string, atMs: number): string {
  return JSON.stringify({
    type: "assistant",
    timestamp: new Date(atMs).toISOString(),
    sessionId: "s1",
    requestId: `req_${key}`,
    isSidechain: true,
    message: {
      id: `msg_${key}`,
      model: "claude-sonnet-4-5-20250929",
      role: "assistant",
      usage: {
        input_tokens: 10,
        output_tokens: 20,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    },
  });
}

describe("known files", () => {
  it("skips the refresh when nothing changed, and sees appends, new and removed transcripts", async () => {
    const nowMs = Date.now();
    const projects = path.join(world.configDir, "projects");
    writeTranscript(world, "-p-app", "s1", [{ atMs: nowMs - 2 * HOUR_MS, input: 100, output: 200 }]);
    const subagents = path.join(projects, "-p-app", "s1", "subagents");
    fs.mkdirSync(subagents, { recursive: true });
    fs.writeFileSync(path.join(subagents, "agent-a.jsonl"), subagentLine("a", nowMs - HOUR_MS) + "\n");
    settle(projects, nowMs - HOUR_MS);

    const cache = memoryCache();
    const base = (supportPath: string, cacheUsed: TextCache): LoadOptions => ({
      ...localOptions(supportPath, cacheUsed, nowMs),
      reuseCachedForMs: 0, // each run builds its Summary: the refresh's result is what is compared
    });
    const opts = base(world.supportPath, cache);
    let fresh = 0;
    const fromScratch = async () =>
      rounded((await loadSummary(base(path.join(world.root, `fresh-${fresh++}`), memoryCache()))).summary);

    const first = await loadSummary(opts);
    expect(first.stats.changedEvents).toBe(2);
    expect(fs.existsSync(path.join(world.supportPath, "known-files.bin"))).toBe(true);

    const readFileSync = fs.readFileSync as jest.Mock;
    readFileSync.mockClear();
    const quiet = await loadSummary(opts);
    const read = readFileSync.mock.calls.map((call) => String(call[0]));
    expect(read.some((file) => file.endsWith("cursors.bin"))).toBe(false);
    expect(read.some((file) => file.endsWith("idle-files.json"))).toBe(false);
    expect(quiet.stats.changedEvents).toBe(0);
    expect(quiet.stats.filesScanned).toBe(2);
    expect(rounded(quiet.summary)).toEqual(await fromScratch());

    // A new subagent transcript: only its directory's mtime says so.
    fs.writeFileSync(path.join(subagents, "agent-b.jsonl"), subagentLine("b", nowMs - 30_000) + "\n");
    const newSubagent = await loadSummary(opts);
    expect(newSubagent.stats.changedEvents).toBe(1);
    expect(rounded(newSubagent.summary)).toEqual(await fromScratch());
    settle(projects, nowMs - HOUR_MS / 2);

    // An append (no directory changes) and then a new session in the project.
    writeTranscript(world, "-p-app", "s1", [{ atMs: nowMs - 20_000, input: 7, output: 8 }]);
    const appended = await loadSummary(opts);
    expect(appended.stats.changedEvents).toBe(1);
    expect(rounded(appended.summary)).toEqual(await fromScratch());
    // Another append, now that the record was made with every directory settled: the refresh
    // looks at that file alone (no listing, no idle record), with the same result.
    readFileSync.mockClear();
    writeTranscript(world, "-p-app", "s1", [{ atMs: nowMs - 15_000, input: 9, output: 10 }]);
    const appendedAlone = await loadSummary(opts);
    const readAlone = readFileSync.mock.calls.map((call) => String(call[0]));
    expect(readAlone.some((file) => file.endsWith("idle-files.json"))).toBe(false);
    expect(appendedAlone.stats.changedEvents).toBe(1);
    expect(appendedAlone.stats.filesScanned).toBe(3);
    expect(rounded(appendedAlone.summary)).toEqual(await fromScratch());
    expect(rounded((await loadSummary(opts)).summary)).toEqual(rounded(appendedAlone.summary));

    const s2 = writeTranscript(world, "-p-app", "s2", [{ atMs: nowMs - 10_000, input: 70, output: 80 }]);
    const newSession = await loadSummary(opts);
    expect(newSession.stats.changedEvents).toBe(1);
    // Only the new file is read: the cursor moved on by the lone append above is where it should be.
    expect(newSession.stats.bytesRead).toBe(fs.statSync(s2).size);
    expect(rounded(newSession.summary)).toEqual(await fromScratch());
    settle(projects, nowMs - HOUR_MS / 4);

    // A removed transcript is no longer listed (its events stay counted, as in any refresh).
    fs.rmSync(path.join(subagents, "agent-b.jsonl"));
    const removed = await loadSummary(opts);
    expect(removed.stats.filesScanned).toBe(3);
    const quietAgain = await loadSummary(opts);
    expect(quietAgain.stats.filesScanned).toBe(3);
    expect(quietAgain.summary).toEqual(removed.summary);

    // A store that starts over (its cursor file gone) reads everything again, however quiet the files.
    fs.rmSync(path.join(world.supportPath, "ledger", "cursors.bin"));
    const startedOver = await loadSummary(opts);
    expect(startedOver.stats.changedEvents).toBe(5);
    expect(rounded(startedOver.summary)).toEqual(await fromScratch());
  });

  /**
   * Two sessions last written 26 hours ago (r1, r2, each with a subagent transcript) and a live
   * one, read once; then both resting sessions are taken up again: a line each and a new
   * subagent transcript each (4 events no run between sweeps sees by itself).
   */
  async function restingSessionsTakenUp(nowMs: number) {
    const projects = path.join(world.configDir, "projects");
    const dayAgo = new Date(nowMs - 26 * HOUR_MS);
    const sessions = ["r1", "r2"];
    const subagents = (session: string) => path.join(projects, "-p-app", session, "subagents");
    for (const session of sessions) {
      const agent = path.join(subagents(session), "agent-a.jsonl");
      fs.mkdirSync(path.dirname(agent), { recursive: true });
      fs.writeFileSync(agent, subagentLine(`${session}a`, nowMs - 27 * HOUR_MS) + "\n");
      const file = writeTranscript(world, "-p-app", session, [{ atMs: nowMs - 27 * HOUR_MS }]);
      for (const written of [agent, file]) fs.utimesSync(written, dayAgo, dayAgo);
    }
    writeTranscript(world, "-p-app", "live", [{ atMs: nowMs - HOUR_MS }]);
    settle(projects, nowMs - HOUR_MS);
    const opts = (atMs: number) => localOptions(world.supportPath, memoryCache(), atMs);
    expect((await loadSummary(opts(nowMs))).stats.changedEvents).toBe(5);
    for (const session of sessions) {
      writeTranscript(world, "-p-app", session, [{ atMs: nowMs - 60_000, input: 11 }]);
      fs.writeFileSync(
        path.join(subagents(session), "agent-b.jsonl"),
        subagentLine(`${session}b`, nowMs - 60_000) + "\n",
      );
    }
    const fresh = async (atMs: number) =>
      rounded(
        (await loadSummary({ ...opts(atMs), supportPath: path.join(world.root, `fresh-${atMs}`) })).summary,
      );
    return {
      opts,
      fresh,
      transcript: (session: string) => path.join(projects, "-p-app", `${session}.jsonl`),
    };
  }

  it("between sweeps stats a session untouched for a day only when the feed names it", async () => {
    const nowMs = Date.now();
    const { opts, fresh, transcript } = await restingSessionsTakenUp(nowMs);
    // Not seen between sweeps...
    expect((await loadSummary(opts(nowMs))).stats.changedEvents).toBe(0);
    // ...until the feed names one (its statusline ran): its line and its new subagent...
    writeFeed(world, { observedAtMs: nowMs, fiveHourPercent: 10, transcriptPath: transcript("r1") });
    expect((await loadSummary(opts(nowMs))).stats.changedEvents).toBe(2);
    // ...or the hourly sweep stats them all.
    const swept = await loadSummary(opts(nowMs + 61 * 60_000));
    expect(swept.stats.changedEvents).toBe(2);
    expect(rounded(swept.summary)).toEqual(await fresh(nowMs + 61 * 60_000));
  });

  it("a sweep stats every transcript itself, whatever the quiet-files record holds", async () => {
    const nowMs = Date.now();
    const { opts, fresh } = await restingSessionsTakenUp(nowMs);
    // The idle record lost (the quiet-files one kept), and a new session: a sweep, now.
    fs.rmSync(path.join(world.supportPath, "idle-files.json"));
    writeTranscript(world, "-p-app", "new", [{ atMs: nowMs - 30_000 }]);
    const swept = await loadSummary(opts(nowMs));
    expect(swept.stats.changedEvents).toBe(5);
    expect(rounded(swept.summary)).toEqual(await fresh(nowMs));
  });
});

describe("watchedFiles", () => {
  const nowMs = Date.UTC(2026, 11, 2, 12);
  const p = (...parts: string[]) => path.join("/h", ".claude", "projects", "-p-app", ...parts);
  function feed(transcriptPath: string | null, sessions: Record<string, number>): StatuslineFeed {
    const parsed = parseStatuslineFeed(
      JSON.stringify({
        version: 1,
        updatedAtMs: nowMs,
        sessionId: null,
        transcriptPath,
        model: null,
        sessionCostUsd: null,
        rateLimits: null,
        rateLimitsObservedAtMs: null,
        sessions: Object.fromEntries(
          Object.entries(sessions).map(([id, lastSeenMs]) => [
            id,
            { costUsd: 1, day: "2026-12-02", lastSeenMs },
          ]),
        ),
      }),
    );
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.value;
  }

  it("watches what was written in the last day, and the sessions the feed names with their subagents", () => {
    const old = nowMs - 2 * 24 * HOUR_MS;
    const noFeed = watchedFiles(nowMs, null);
    expect(noFeed.has(p("a.jsonl"), nowMs - 23 * HOUR_MS)).toBe(true);
    expect(noFeed.has(p("a.jsonl"), old)).toBe(false);
    expect(noFeed.has(p("a.jsonl"), nowMs + HOUR_MS)).toBe(true); // a clock behind the file's: watched

    const named = watchedFiles(
      nowMs,
      feed(p("cur.jsonl"), { seen: nowMs - HOUR_MS, gone: nowMs - 25 * HOUR_MS }),
    );
    expect(named.has(p("cur.jsonl"), old)).toBe(true);
    expect(named.has(p("cur", "subagents", "agent-1.jsonl"), old)).toBe(true);
    expect(named.has(p("seen.jsonl"), old)).toBe(true);
    expect(named.has(p("seen", "agent-2.jsonl"), old)).toBe(true);
    expect(named.has(p("gone.jsonl"), old)).toBe(false); // seen by the feed over a day ago
    expect(named.has(p("other.jsonl"), old)).toBe(false);
    expect(named.has(p("other", "subagents", "agent-3.jsonl"), old)).toBe(false);
  });
});
