/**
 * The kept totals (kept-usage.ts) against core's computation from the recent events, over
 * randomized runs: new messages (now, earlier today, earlier days, older than the span, a few
 * hours ahead), replaced copies, unpriced and fast models, clocks that cross midnight and the
 * week's start. Each run is a fresh store (a fresh process); equality is exact (`toEqual` on the
 * floating-point costs too).
 */
import * as path from "node:path";
import type { UsageChange, UsageEvent } from "../../extension/vendor/core/ingest";
import { bundledPriceTable } from "../../extension/vendor/core/pricing";
import {
  recentUsageOf,
  SUMMARY_EVENTS_SPAN_MS,
  type RecentUsageQuery,
} from "../../extension/vendor/core/report";
import { FileLedgerStore } from "../../extension/src/ledger-store";
import { KeptUsage } from "../../extension/src/kept-usage";
import { usageEvent } from "../fakes/usage-event";
import { tempDirPerTest } from "../support/per-test";

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
const START_MS = Date.UTC(2026, 10, 20, 9, 30);
const MODELS = [
  "claude-sonnet-4-5-20250929",
  "claude-opus-4-1-20250805",
  "claude-haiku-4-5",
  "not-a-known-model",
];

const dir = tempDirPerTest("quotacast-kept-");

/** mulberry32: a small seeded generator, so a failure replays. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Simulation {
  nowMs: number;
  keys: string[];
  next: number;
}

/** One run's new copies: mostly new messages around now, some elsewhere in time, some replacements. */
function newCopies(rand: () => number, sim: Simulation): UsageEvent[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
  const copies: UsageEvent[] = [];
  const count = Math.floor(rand() * 5);
  for (let i = 0; i < count; i++) {
    const roll = rand();
    const replacing = roll < 0.08 && sim.keys.length > 0;
    const key = replacing ? pick(sim.keys) : `k${sim.next++}`;
    const whenRoll = rand();
    const timestampMs =
      whenRoll < 0.7
        ? sim.nowMs - Math.floor(rand() * 180) * 10_000 // on 10 s steps: ties, whose order a stable sort keeps
        : whenRoll < 0.8
          ? sim.nowMs - Math.floor(rand() * 8 * HOUR_MS)
          : whenRoll < 0.9
            ? sim.nowMs - Math.floor(rand() * 15 * DAY_MS)
            : whenRoll < 0.95
              ? sim.nowMs - 17 * DAY_MS - Math.floor(rand() * DAY_MS)
              : sim.nowMs + Math.floor(rand() * 20 * HOUR_MS);
    copies.push(
      usageEvent({
        key,
        timestampMs,
        model: pick(MODELS),
        sessionId: `s${Math.floor(rand() * 4)}`,
        project: `p${Math.floor(rand() * 2)}`,
        inputTokens: Math.floor(rand() * 5000),
        outputTokens: Math.floor(rand() * 3000) + (replacing ? 100_000 : 0),
        cacheCreationTokens: Math.floor(rand() * 20_000),
        cacheReadTokens: Math.floor(rand() * 300_000),
        speed: rand() < 0.1 ? "fast" : "standard",
        isSidechain: rand() < 0.2,
        ...(rand() < 0.05 ? { recordedCostUsd: rand() } : {}),
      }),
    );
    if (!replacing) sim.keys.push(key);
  }
  return copies;
}

/** A run as the ledger makes it: winners committed, one change per key (previous = the stored copy). */
async function commitRun(store: FileLedgerStore, copies: UsageEvent[]): Promise<UsageChange[]> {
  const stored = await store.getEvents(copies.map((c) => c.key));
  const byKey = new Map<string, UsageChange>();
  for (const copy of copies) {
    const change = byKey.get(copy.key);
    if (change) change.current = copy;
    else byKey.set(copy.key, { previous: stored.get(copy.key) ?? null, current: copy });
  }
  const changes = [...byKey.values()];
  // With a cursor, as the ledger commits (a store without cursors starts over).
  const cursor = {
    path: "/t/a.jsonl",
    identity: { dev: 1, ino: 2, sizeBytes: 3, mtimeMs: 4 },
    offsetBytes: 3,
  };
  await store.commit({ cursors: [cursor], removedCursorPaths: [], events: changes.map((c) => c.current) });
  return changes;
}

async function simulate(
  seed: number,
  timezone: string,
  runs: number,
): Promise<{ kept: number; rebuilt: number }> {
  const rand = random(seed);
  const sim: Simulation = { nowMs: START_MS, keys: [], next: 0 };
  const ledgerDir = path.join(dir(), `ledger-${seed}`);
  const keptFile = path.join(dir(), `kept-${seed}.bin`);
  const modes = { kept: 0, rebuilt: 0 };
  for (let run = 0; run < runs; run++) {
    const roll = rand();
    sim.nowMs +=
      roll < 0.6 ? Math.floor(rand() * 10 * 60_000) : roll < 0.9 ? Math.floor(rand() * 4 * HOUR_MS) : DAY_MS;
    const nowMs = sim.nowMs;
    const store = new FileLedgerStore(ledgerDir, { nowMs: () => nowMs, shards: 4 });
    await store.loadCursors();
    const changes = await commitRun(store, newCopies(rand, sim));
    const query: RecentUsageQuery = {
      sinceMs: nowMs - SUMMARY_EVENTS_SPAN_MS,
      nowMs,
      timezone,
      prices: bundledPriceTable(),
    };
    const keeper = new KeptUsage(keptFile, store);
    const kept = await keeper.recentUsage(query, changes);
    modes[keeper.stats.mode ?? "rebuilt"]++;

    const fresh = new FileLedgerStore(ledgerDir, { nowMs: () => nowMs, shards: 4 });
    const expected = recentUsageOf(await fresh.recentEvents(query.sinceMs), query);
    expect({ seed, run, usage: kept }).toEqual({ seed, run, usage: expected });
  }
  return modes;
}

describe("KeptUsage", () => {
  it.each([
    [1, "UTC"],
    [2, "America/New_York"],
    [3, "Asia/Kolkata"],
    [4, "Europe/Berlin"],
  ])("equals core's computation from the events over random runs (seed %i, %s)", async (seed, timezone) => {
    const modes = await simulate(seed, timezone, 120);
    // Most runs add new messages to the kept totals; the rest (a new day, a replaced copy) rebuild.
    expect(modes.kept).toBeGreaterThan(modes.rebuilt);
  });

  it("rebuilds when the recent log changed other than by this run (another process appended)", async () => {
    const nowMs = START_MS;
    const ledgerDir = path.join(dir(), "ledger");
    const keptFile = path.join(dir(), "kept.bin");
    const query: RecentUsageQuery = { sinceMs: nowMs - SUMMARY_EVENTS_SPAN_MS, nowMs, timezone: "UTC" };
    const one = (key: string, at: number): UsageEvent =>
      usageEvent({ key, timestampMs: at, outputTokens: 7 });

    const first = new FileLedgerStore(ledgerDir, { nowMs: () => nowMs });
    const firstKeeper = new KeptUsage(keptFile, first);
    await firstKeeper.recentUsage(query, await commitRun(first, [one("a", nowMs - 1000)]));
    // Another process commits "b"; this run knows only of "c".
    await commitRun(new FileLedgerStore(ledgerDir, { nowMs: () => nowMs }), [one("b", nowMs - 500)]);
    const second = new FileLedgerStore(ledgerDir, { nowMs: () => nowMs });
    const keeper = new KeptUsage(keptFile, second);
    const usage = await keeper.recentUsage(query, await commitRun(second, [one("c", nowMs - 100)]));

    expect(keeper.stats).toEqual({ mode: "rebuilt", rebuildReason: "recent log changed" });
    expect(usage.usage.today.outputTokens).toBe(21);
    expect(usage).toEqual(recentUsageOf(await second.recentEvents(query.sinceMs), query));
  });
});
