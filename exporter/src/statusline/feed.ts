/**
 * Updating the statusline feed from one Claude Code payload. The file's shape is
 * `StatuslineFeed` (core/src/limits/statusline-feed.ts, a schema shared with its readers,
 * which normalize units); `rate_limits` are stored as Claude Code sent them. Node built-ins
 * and core's feed schema only: this runs on every Claude Code update.
 *
 * Claude Code runs one statusline per session, so several update the feed at once: the
 * read-modify-write holds a lock file (`<feed>.lock`, created O_EXCL). Readers never lock:
 * the feed is replaced atomically, so they see the old or the new file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as v from "valibot";
import {
  parseStatuslineFeed,
  type StatuslineFeed,
  type StatuslineSessionCost,
} from "@quotacast/core/limits/statusline-feed";
import { finiteNumber, parseJsonWith, type Parsed } from "@quotacast/core/schema";
import { writeFileAtomic } from "@quotacast/core/statusline/atomic-write";
import { ensurePrivateDir } from "@quotacast/core/statusline/private-files";
import { StatuslinePayloadSchema, type StatuslinePayload } from "./payload";

const FEED_VERSION = 1;
/** Sessions not seen for this long are dropped from the feed. */
const SESSION_RETENTION_MS = 8 * 24 * 3600_000;

/** Local calendar day `YYYY-MM-DD`. */
function localDay(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A file's content through `parse`; null when it cannot be read or is not what `parse` reads. */
function readWith<T>(file: string, parse: (text: string) => Parsed<T>): T | null {
  try {
    const parsed = parse(fs.readFileSync(file, "utf8"));
    return parsed.ok ? parsed.value : null;
  } catch {
    return null;
  }
}

/** The previous feed, or null when absent or not a feed (it will be replaced). */
export function readFeed(file: string): StatuslineFeed | null {
  return readWith(file, (text) => parseStatuslineFeed(text, file));
}

function updateSession(
  previous: StatuslineSessionCost | undefined,
  costUsd: number,
  today: string,
  nowMs: number,
): StatuslineSessionCost {
  if (!previous) return { costUsd, baselineUsd: 0, day: today, lastSeenMs: nowMs };
  if (previous.day !== today) {
    // The session spans midnight: only what it costs from now on counts for today.
    return {
      costUsd,
      baselineUsd: costUsd >= previous.costUsd ? previous.costUsd : 0,
      day: today,
      lastSeenMs: nowMs,
    };
  }
  // A counter that went down is a restarted process: keep what was already counted.
  const baselineUsd =
    costUsd < previous.costUsd ? previous.baselineUsd - previous.costUsd : previous.baselineUsd;
  return { costUsd, baselineUsd, day: today, lastSeenMs: nowMs };
}

/** The next feed: this payload's fields, the last valid rate limits, per-session costs. */
function nextFeed(
  previous: StatuslineFeed | null,
  payload: StatuslinePayload,
  nowMs: number,
): StatuslineFeed {
  const today = localDay(nowMs);
  const sessions: Record<string, StatuslineSessionCost> = {};
  for (const [id, s] of Object.entries(previous?.sessions ?? {})) {
    if (nowMs - s.lastSeenMs <= SESSION_RETENTION_MS) sessions[id] = s;
  }
  const sessionId = payload.session_id;
  const cost = payload.cost?.total_cost_usd ?? null;
  if (sessionId !== null && cost !== null)
    sessions[sessionId] = updateSession(sessions[sessionId], cost, today, nowMs);
  const rateLimits = payload.rate_limits;
  const model = payload.model
    ? { id: payload.model.id, displayName: payload.model.display_name }
    : (previous?.model ?? null);
  return {
    version: FEED_VERSION,
    updatedAtMs: nowMs,
    sessionId: sessionId ?? previous?.sessionId ?? null,
    transcriptPath: payload.transcript_path ?? previous?.transcriptPath ?? null,
    model,
    sessionCostUsd: cost,
    rateLimits: rateLimits ?? previous?.rateLimits ?? null,
    rateLimitsObservedAtMs: rateLimits ? nowMs : (previous?.rateLimitsObservedAtMs ?? null),
    sessions,
  };
}

/** Today's cost: what every session seen today cost today. */
export function todayCostUsd(feed: StatuslineFeed, nowMs: number): number {
  const today = localDay(nowMs);
  let total = 0;
  for (const s of Object.values(feed.sessions))
    if (s.day === today) total += Math.max(0, s.costUsd - s.baselineUsd);
  return total;
}

export function saveFeed(file: string, feed: StatuslineFeed): void {
  writeFileAtomic(file, JSON.stringify(feed), 0o600);
}

/** How long an update waits for the lock before leaving its payload for the holder to merge. */
const FEED_LOCK_WAIT_MS = 500;
/** A lock older than this was left by a process that died (an update holds it for milliseconds). */
const FEED_LOCK_STALE_MS = 5_000;

export function feedLockPath(file: string): string {
  return `${file}.lock`;
}

/** Payloads whose update could not take the lock in time, merged by the next holder. */
export function feedPendingDir(file: string): string {
  return `${file}.pending`;
}

/** A payload left for the lock holder, with when it arrived. */
const PendingUpdateSchema = v.object({ nowMs: finiteNumber, payload: StatuslinePayloadSchema });
type PendingUpdate = v.InferOutput<typeof PendingUpdateSchema>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Creates the lock; its inode identifies it (so only this lock is ever removed), or null if held. */
function tryLock(lock: string, nowMs: number): number | null {
  try {
    const fd = fs.openSync(lock, "wx", 0o600);
    try {
      fs.writeSync(fd, `${process.pid} ${nowMs}\n`);
      return fs.fstatSync(fd).ino;
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return null;
    throw err;
  }
}

/**
 * Removes a lock whose holder died. It is renamed aside first and put back when it turns
 * out to be another, fresh lock (taken between the look and the rename).
 */
function breakStaleLock(lock: string, nowMs: number): void {
  let stale: fs.Stats;
  try {
    stale = fs.statSync(lock);
  } catch {
    return; // released meanwhile
  }
  if (nowMs - stale.mtimeMs < FEED_LOCK_STALE_MS) return;
  const aside = `${lock}.${process.pid}.stale`;
  try {
    fs.renameSync(lock, aside);
  } catch {
    return;
  }
  if (fs.statSync(aside).ino !== stale.ino) {
    try {
      fs.linkSync(aside, lock);
    } catch {
      // a newer lock exists already
    }
  }
  fs.rmSync(aside, { force: true });
}

function unlock(lock: string, ino: number): void {
  try {
    if (fs.statSync(lock).ino === ino) fs.unlinkSync(lock);
  } catch {
    // already gone (broken as stale)
  }
}

/** The lock, waiting up to `waitMs` (0: one try); null when another update holds it. */
async function acquire(lock: string, waitMs: number, clock: () => number): Promise<number | null> {
  const startMs = clock();
  for (let attempt = 0; ; attempt++) {
    const ino = tryLock(lock, clock());
    if (ino !== null) return ino;
    breakStaleLock(lock, clock());
    if (clock() - startMs >= waitMs) return tryLock(lock, clock());
    await sleep(Math.min(2 + attempt, 15));
  }
}

function pendingFiles(file: string): string[] {
  const dir = feedPendingDir(file);
  try {
    return fs
      .readdirSync(dir)
      .filter((name) => !name.startsWith("."))
      .sort()
      .map((name) => path.join(dir, name));
  } catch {
    return [];
  }
}

function leavePending(file: string, update: PendingUpdate): void {
  const name = `${String(update.nowMs).padStart(15, "0")}-${process.pid}-${Math.random().toString(36).slice(2)}.json`;
  writeFileAtomic(path.join(feedPendingDir(file), name), JSON.stringify(update), 0o600);
}

function readPending(entry: string): PendingUpdate | null {
  return readWith(entry, (text) => parseJsonWith(PendingUpdateSchema, text, entry));
}

/** One update onto the feed; one older than the feed only adds its session's cost. */
function apply(previous: StatuslineFeed | null, update: PendingUpdate): StatuslineFeed {
  const next = nextFeed(previous, update.payload, update.nowMs);
  return previous && update.nowMs < previous.updatedAtMs ? { ...previous, sessions: next.sessions } : next;
}

/** Under the lock: the feed with the pending updates and `own` applied in time order, saved. */
function mergeLocked(file: string, own: PendingUpdate | null): StatuslineFeed | null {
  const entries = pendingFiles(file);
  const updates = entries.map(readPending).filter((u): u is PendingUpdate => u !== null);
  if (own) updates.push(own);
  if (updates.length === 0) return null;
  updates.sort((a, b) => a.nowMs - b.nowMs);
  const merged = updates.reduce<StatuslineFeed | null>(apply, readFeed(file));
  try {
    if (merged) saveFeed(file, merged);
  } catch {
    return merged; // a full or read-only disk: the pending updates stay for a later try
  }
  for (const entry of entries) fs.rmSync(entry, { force: true });
  return merged;
}

/**
 * After unlocking: updates left while the lock was held are merged by whoever sees them
 * first (one try each; a holder that has the lock now checks again after its own unlock).
 */
function drainPending(file: string, clock: () => number): void {
  const lock = feedLockPath(file);
  for (let round = 0; round < 10 && pendingFiles(file).length > 0; round++) {
    breakStaleLock(lock, clock());
    const ino = tryLock(lock, clock());
    if (ino === null) return;
    try {
      mergeLocked(file, null);
    } finally {
      unlock(lock, ino);
    }
  }
}

/**
 * Applies one payload to the feed under its lock (a file created O_EXCL; one left by a
 * dead process is broken after `FEED_LOCK_STALE_MS`). When the lock is busy for more than
 * `FEED_LOCK_WAIT_MS`, the payload is left in the pending dir and merged by the holder, so
 * no update is lost and the command still answers in time. Never throws.
 */
export async function updateFeed(
  file: string,
  payload: StatuslinePayload,
  nowMs: number,
  clock: () => number = Date.now,
): Promise<StatuslineFeed> {
  const own: PendingUpdate = { nowMs, payload };
  const lock = feedLockPath(file);
  let ino: number | null = null;
  try {
    ensurePrivateDir(path.dirname(file));
    ino = await acquire(lock, FEED_LOCK_WAIT_MS, clock);
  } catch {
    return apply(readFeed(file), own); // no lock can be made (read-only disk): nothing saved
  }
  let shown: StatuslineFeed | null = null;
  try {
    if (ino !== null) {
      shown = mergeLocked(file, own);
    } else {
      leavePending(file, own);
    }
  } catch {
    // shown below from an unlocked read
  } finally {
    if (ino !== null) unlock(lock, ino);
  }
  try {
    drainPending(file, clock);
  } catch {
    // the next update merges what is left
  }
  return shown ?? apply(readFeed(file), own);
}
