import * as fs from "node:fs";
import * as path from "node:path";
import { PassThrough, Readable } from "node:stream";
import { nodeFiles, type PollContext } from "@quotacast/core";
import { createStatuslineSource } from "@quotacast/core/limits/sources/statusline";
import { parseStatuslineFeed } from "@quotacast/core/limits/statusline-feed";
import { renderStatusline, run, type StatuslineIo } from "../../../exporter/src/commands/statusline";
import { readStdinBounded } from "../../../exporter/src/statusline/stdin";
import { encodeWrapped } from "../../../core/src/statusline/wrap-codec";
import { ManualClock, tempDir } from "../../fakes/ports";
import { statuslinePayload } from "./payload";

const NOW_MS = new Date(2026, 10, 22, 15, 0, 0).getTime(); // local time: "today" is Nov 22
let dir: string;
let feedFile: string;

function savedFeed() {
  const parsed = parseStatuslineFeed(fs.readFileSync(feedFile, "utf8"), feedFile);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

function io(stdin: Readable, nowMs = NOW_MS): StatuslineIo & { output: string[] } {
  const output: string[] = [];
  return {
    stdin,
    write: (text) => output.push(text),
    env: { QUOTACAST_STATUSLINE_FILE: feedFile, HOME: dir },
    nowMs: () => nowMs,
    output,
  };
}

const stdinOf = (value: unknown) =>
  Readable.from([Buffer.from(typeof value === "string" ? value : JSON.stringify(value))]);

beforeEach(() => {
  dir = tempDir();
  feedFile = path.join(dir, "data", "statusline.json");
});

test("prints model, both windows with countdowns and today's cost, and saves the feed", async () => {
  const session = io(stdinOf(statuslinePayload(NOW_MS, { costUsd: 12.4 })));
  expect(await run([], session)).toBe(0);
  expect(session.output.join("")).toBe(
    "opus-4-5 | 5h 42% (2h14m) | 7d 18% (3d4h) | $12.40 today (Claude Code)\n",
  );

  const feed = savedFeed();
  expect(feed).toMatchObject({
    sessionId: "session-a",
    transcriptPath: "/home/u/.claude/projects/-home-u-app/session-a.jsonl",
    model: { id: "claude-opus-4-5-20251101", displayName: "Opus 4.5" },
    sessionCostUsd: 12.4,
    rateLimitsObservedAtMs: NOW_MS,
  });
});

test("the core statusline source reads the feed the command wrote, in normalized units", async () => {
  await run([], io(stdinOf(statuslinePayload(NOW_MS))));
  const ctx: PollContext = {
    clock: new ManualClock(NOW_MS + 60_000),
    files: nodeFiles,
    http: { get: () => Promise.reject(new Error("no network")) },
    env: { QUOTACAST_STATUSLINE_FILE: feedFile },
    homeDir: dir,
    config: {},
  };
  const result = await createStatuslineSource().poll(ctx);
  expect(result.status).toMatchObject({ source: "statusline", state: "ok" });
  const five = result.snapshot!.windows.find((w) => w.window === "five_hour")!;
  expect(five.utilizationRatio).toBeCloseTo(0.42, 10);
  expect(five.resetsAtMs).toBe(Math.floor((NOW_MS + (2 * 60 + 13) * 60_000 + 30_000) / 1000) * 1000);
  expect(five.observedAtMs).toBe(NOW_MS);
  expect(result.snapshot!.windows.find((w) => w.window === "seven_day")!.utilizationRatio).toBeCloseTo(
    0.184,
    10,
  );
});

test("payload fields of another type read as absent; fields Claude Code adds are not saved", async () => {
  const payload = {
    ...statuslinePayload(NOW_MS),
    model: "opus",
    cost: { total_cost_usd: "12.40" },
    brand_new_section: { x: 1 },
  };
  const session = io(stdinOf(payload));
  await run([], session);
  expect(session.output.join("")).toBe("5h 42% (2h14m) | 7d 18% (3d4h) | $0.00 today (Claude Code)\n");
  const feed = savedFeed();
  expect(feed).toMatchObject({ model: null, sessionCostUsd: null, sessions: {} });
  expect(JSON.stringify(feed)).not.toContain("brand_new_section");
});

test("a feed of another version: the source names the file and the field; the command replaces it", async () => {
  fs.mkdirSync(path.dirname(feedFile), { recursive: true });
  fs.writeFileSync(feedFile, JSON.stringify({ version: 2, updatedAtMs: NOW_MS, rateLimits: {} }));
  const ctx: PollContext = {
    clock: new ManualClock(NOW_MS),
    files: nodeFiles,
    http: { get: () => Promise.reject(new Error("no network")) },
    env: { QUOTACAST_STATUSLINE_FILE: feedFile },
    homeDir: dir,
    config: {},
  };
  expect((await createStatuslineSource().poll(ctx)).status).toMatchObject({
    state: "error",
    lastErrorReason: "bad_response",
    message: `${feedFile} is not a quotacast statusline feed: version: expected 1; it will be replaced on the next update`,
  });
  await run([], io(stdinOf(statuslinePayload(NOW_MS))));
  expect((await createStatuslineSource().poll(ctx)).status.state).toBe("ok");
});

test("keeps the last valid rate limits when an update lacks them", async () => {
  await run([], io(stdinOf(statuslinePayload(NOW_MS))));
  const later = NOW_MS + 60_000;
  const session = io(stdinOf(statuslinePayload(later, { rateLimits: null, costUsd: 2 })), later);
  await run([], session);
  expect(session.output.join("")).toBe(
    "opus-4-5 | 5h 42% (2h13m) | 7d 18% (3d4h) | $2.00 today (Claude Code)\n",
  );
  const feed = savedFeed();
  expect(feed.rateLimitsObservedAtMs).toBe(NOW_MS);
  expect(feed.updatedAtMs).toBe(later);

  // Rate limits with no usable window do not replace good ones either.
  await run(
    [],
    io(stdinOf(statuslinePayload(later, { rateLimits: { five_hour: { used_percentage: "x" } } })), later),
  );
  expect(savedFeed().rateLimitsObservedAtMs).toBe(NOW_MS);
});

test("today's cost sums sessions seen today; a session spanning midnight counts only today's part", async () => {
  const yesterday = NOW_MS - 24 * 3600_000;
  await run([], io(stdinOf(statuslinePayload(yesterday, { sessionId: "old", costUsd: 5 })), yesterday));
  await run([], io(stdinOf(statuslinePayload(yesterday, { sessionId: "long", costUsd: 3 })), yesterday));
  await run([], io(stdinOf(statuslinePayload(NOW_MS, { sessionId: "long", costUsd: 4.25 }))));
  const session = io(stdinOf(statuslinePayload(NOW_MS, { sessionId: "new", costUsd: 2 })));
  await run([], session);
  // long: 4.25 - 3 = 1.25 today; new: 2; old: not seen today.
  expect(session.output.join("")).toMatch(/\| \$3\.25 today \(Claude Code\)\n$/);

  // A restarted process (its counter went down) keeps what was already counted.
  const restarted = io(stdinOf(statuslinePayload(NOW_MS, { sessionId: "new", costUsd: 0.5 })));
  await run([], restarted);
  expect(restarted.output.join("")).toMatch(/\| \$3\.75 today \(Claude Code\)\n$/);
});

test("a window whose reset has passed is not shown", async () => {
  await run([], io(stdinOf(statuslinePayload(NOW_MS))));
  const later = NOW_MS + 3 * 3600_000;
  const session = io(stdinOf(statuslinePayload(later, { rateLimits: null })), later);
  await run([], session);
  expect(session.output.join("")).toMatch(/^opus-4-5 \| 7d 18% \(3d1h\) \| \$1\.50 today \(Claude Code\)\n$/);
});

test("malformed stdin: minimal line, exit 0, the feed is kept", async () => {
  await run([], io(stdinOf(statuslinePayload(NOW_MS))));
  const before = fs.readFileSync(feedFile, "utf8");
  const session = io(stdinOf("{not json"));
  expect(await run([], session)).toBe(0);
  expect(session.output.join("")).toMatch(/^opus-4-5 \| 5h 42%/);
  expect(fs.readFileSync(feedFile, "utf8")).toBe(before);

  const empty = io(stdinOf("[]"));
  expect(await run([], empty)).toBe(0);
  expect(empty.output).toHaveLength(1);
});

test("a garbage feed file is replaced, and an unwritable one does not break the line", async () => {
  fs.mkdirSync(path.dirname(feedFile), { recursive: true });
  fs.writeFileSync(feedFile, "garbage");
  const session = io(stdinOf(statuslinePayload(NOW_MS)));
  await run([], session);
  expect(session.output.join("")).toMatch(/^opus-4-5 \| 5h 42%/);
  expect(savedFeed().updatedAtMs).toBe(NOW_MS);

  feedFile = path.join(dir, "a-file", "statusline.json");
  fs.writeFileSync(path.join(dir, "a-file"), "not a directory");
  const blocked = io(stdinOf(statuslinePayload(NOW_MS)));
  expect(await run([], blocked)).toBe(0);
  expect(blocked.output.join("")).toMatch(
    /^opus-4-5 \| 5h 42% \(2h14m\) \| 7d 18% \(3d4h\) \| \$1\.50 today \(Claude Code\)\n$/,
  );
});

describe("bounded stdin", () => {
  test("gives up when stdin never ends (fail open), at its deadline and not before", async () => {
    jest.useFakeTimers();
    try {
      const never = new PassThrough();
      never.write('{"model":');
      let settled: Buffer | null | undefined;
      const reading = readStdinBounded(never, 1024, 100).then((value) => (settled = value));
      await jest.advanceTimersByTimeAsync(99);
      expect(settled).toBeUndefined();
      await jest.advanceTimersByTimeAsync(1);
      await reading;
      expect(settled).toBeNull();
      expect(never.destroyed).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  test("gives up on oversized input", async () => {
    expect(await readStdinBounded(stdinOf("x".repeat(5000)), 1000, 1000)).toBeNull();
    expect((await readStdinBounded(stdinOf("x".repeat(500)), 1000, 1000))!.length).toBe(500);
  });

  test("the command still prints a line when stdin hangs", async () => {
    const never = new PassThrough();
    const session = io(never);
    expect(await run([], session)).toBe(0);
    expect(session.output).toEqual(["quotacast\n"]);
  });
});

describe("wrapping the user's own statusline command", () => {
  test("runs it with the same stdin and prints its output first", async () => {
    const payload = JSON.stringify(statuslinePayload(NOW_MS));
    const original = "printf 'theirs:'; head -c 12";
    const text = await renderStatusline(io(stdinOf(payload)), original);
    const [theirs, ours] = text.split("\n");
    expect(theirs).toBe(`theirs:${payload.slice(0, 12)}`);
    expect(ours).toMatch(/^opus-4-5 \| 5h 42%/);
  });

  test("the original travels base64url-encoded in argv", async () => {
    const session = io(stdinOf(statuslinePayload(NOW_MS)));
    await run(["--wrap", encodeWrapped("echo 'mine | \"quoted\"'")], session);
    expect(session.output.join("")).toMatch(/^mine \| "quoted"\nopus-4-5/);
  });

  test("a wrapped command that hangs or fails costs at most its time bound", async () => {
    const hanging = await renderStatusline(io(stdinOf(statuslinePayload(NOW_MS))), "sleep 10");
    expect(hanging).toMatch(/^opus-4-5/);
    const failing = await renderStatusline(io(stdinOf(statuslinePayload(NOW_MS))), "exit 3");
    expect(failing).toMatch(/^opus-4-5/);
  });
});
