import * as fs from "node:fs";
import * as path from "node:path";
import { dayEndsAtMs, loadSummary, parseSummary, summaryUrl, type TextCache } from "../../extension/src/data";
import { IDLE_SWEEP_EVERY_MS } from "../../extension/src/idle-files";
import {
  HOUR_MS,
  exporterSummary,
  startExporter,
  worldPerTest,
  writeFeed,
  writeTranscript,
} from "./fixtures";

const world = worldPerTest();

function memoryCache(): TextCache & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return { entries, get: (k) => entries.get(k), set: (k, v) => void entries.set(k, v) };
}

describe("local data", () => {
  it("reuses the cached Summary on a warm run with nothing changed, and refreshes on new usage", async () => {
    const nowMs = Date.now();
    const file = writeTranscript(world, "-p-app", "s1", [{ atMs: nowMs - HOUR_MS, input: 100, output: 200 }]);
    writeFeed(world, { fiveHourPercent: 30, observedAtMs: nowMs });
    const cache = memoryCache();
    const opts = { supportPath: world.supportPath, cache, timezone: "UTC" };

    const cold = await loadSummary(opts);
    expect(cold.origin).toBe("local");
    expect(cold.problem).toBeNull();
    expect(cold.stats.reusedCachedSummary).toBe(false);
    expect(cold.stats.bytesRead).toBe(fs.statSync(file).size);
    expect(cold.summary?.today.totalTokens).toBe(300);
    expect(cold.summary?.windows.map((w) => w.reading.utilizationRatio)).toEqual([0.3]);

    const warm = await loadSummary(opts);
    expect(warm.stats.reusedCachedSummary).toBe(true);
    expect(warm.stats.bytesRead).toBe(0);
    expect(warm.summary).toEqual(cold.summary);

    writeTranscript(world, "-p-app", "s1", [{ atMs: nowMs - 60_000, input: 1000, output: 0 }]);
    const changed = await loadSummary(opts);
    expect(changed.stats.reusedCachedSummary).toBe(false);
    expect(changed.stats.changedEvents).toBe(1);
    expect(changed.summary?.today.totalTokens).toBe(1300);

    writeFeed(world, { fiveHourPercent: 35, observedAtMs: nowMs + 1000 });
    const newLimits = await loadSummary(opts);
    expect(newLimits.stats.reusedCachedSummary).toBe(false);
    expect(newLimits.summary?.windows[0].reading.utilizationRatio).toBeCloseTo(0.35);
  });

  it("does not reuse yesterday's Summary after midnight", async () => {
    const beforeMidnightMs = Date.UTC(2026, 10, 22, 23, 58);
    writeTranscript(world, "-p-app", "s1", [{ atMs: beforeMidnightMs - 60_000, input: 100, output: 200 }]);
    const cache = memoryCache();
    let nowMs = beforeMidnightMs;
    const opts = { supportPath: world.supportPath, cache, timezone: "UTC", nowMs: () => nowMs };
    const evening = await loadSummary(opts);
    expect(evening.summary?.today.period).toBe("2026-11-22");
    expect(evening.summary?.today.totalTokens).toBe(300);

    nowMs = beforeMidnightMs + 3 * 60_000;
    const morning = await loadSummary(opts);
    expect(morning.stats.reusedCachedSummary).toBe(false);
    expect(morning.summary?.today.period).toBe("2026-11-23");
    expect(morning.summary?.today.totalTokens).toBe(0);
  });

  it("finds the end of the day in any time zone", () => {
    expect(dayEndsAtMs(Date.UTC(2026, 10, 22, 12, 34), "UTC")).toBe(Date.UTC(2026, 10, 23));
    // UTC+5:30: the day ends at 18:30 UTC.
    expect(dayEndsAtMs(Date.UTC(2026, 10, 22, 12), "Asia/Kolkata")).toBe(Date.UTC(2026, 10, 22, 18, 30));
    // New York on the evening before daylight saving time ends (EDT, UTC-4).
    expect(dayEndsAtMs(Date.UTC(2026, 9, 31, 12), "America/New_York")).toBe(Date.UTC(2026, 10, 1, 4));
    expect(dayEndsAtMs(Date.UTC(2026, 10, 22, 23, 59, 30), "UTC")).toBe(Date.UTC(2026, 10, 23));
  });

  it("never reads, nor stats between sweeps, transcripts untouched for longer than the Summary looks back", async () => {
    const nowMs = Date.now();
    const old = writeTranscript(world, "-p-old", "s-old", [{ atMs: nowMs - 30 * 24 * HOUR_MS, output: 7 }]);
    const oldDate = new Date(nowMs - 30 * 24 * HOUR_MS);
    fs.utimesSync(old, oldDate, oldDate);
    const recent = writeTranscript(world, "-p-app", "s1", [
      { atMs: nowMs - HOUR_MS, input: 100, output: 200 },
    ]);
    const opts = { supportPath: world.supportPath, cache: memoryCache(), timezone: "UTC" };

    const first = await loadSummary(opts);
    expect(first.stats.bytesRead).toBe(fs.statSync(recent).size);
    expect(first.stats.filesScanned).toBe(2);
    expect(first.summary?.today.totalTokens).toBe(300);

    // An old transcript written to again (Claude Code resumes into a new file, so this is rare):
    // idle files are not stat'ed between hourly sweeps; the next sweep reads the whole file and
    // counts today's line once.
    writeTranscript(world, "-p-old", "s-old", [{ atMs: nowMs - 60_000, input: 1, output: 1 }]);
    const withinTheHour = await loadSummary(opts);
    expect(withinTheHour.stats.bytesRead).toBe(0);
    const afterSweep = await loadSummary({ ...opts, nowMs: () => Date.now() + IDLE_SWEEP_EVERY_MS });
    expect(afterSweep.stats.bytesRead).toBe(fs.statSync(old).size);
    expect(afterSweep.summary?.today.totalTokens).toBe(302);
  });

  it("keeps counting from the stored cursors after a restart (a new process, an empty Cache)", async () => {
    const nowMs = Date.now();
    writeTranscript(world, "-p-app", "s1", [{ atMs: nowMs - HOUR_MS, input: 100, output: 200 }]);
    await loadSummary({ supportPath: world.supportPath, cache: memoryCache(), timezone: "UTC" });
    writeTranscript(world, "-p-app", "s1", [{ atMs: nowMs - 60_000, input: 5, output: 5 }]);

    const restarted = await loadSummary({
      supportPath: world.supportPath,
      cache: memoryCache(),
      timezone: "UTC",
    });
    expect(restarted.stats.changedEvents).toBe(1);
    expect(restarted.summary?.today.totalTokens).toBe(310);
  });

  it("reads only local files: transcripts, statusline and header file, never OAuth or the Keychain", async () => {
    const loaded = await loadSummary({ supportPath: world.supportPath, cache: memoryCache() });
    expect(loaded.summary?.sources.map((s) => s.source)).toEqual([
      "transcripts",
      "statusline",
      "header-file",
    ]);
    expect(loaded.statuslineFeedFile).toBe(world.feedFile);
  });

  it("a window that has reset since its reading shows 0% from its reset (issue 17: it used to vanish)", async () => {
    const nowMs = Date.now();
    writeFeed(world, {
      fiveHourPercent: 90,
      fiveHourResetsAtMs: nowMs - 60_000,
      observedAtMs: nowMs - 2 * HOUR_MS,
    });
    const loaded = await loadSummary({ supportPath: world.supportPath, cache: memoryCache() });
    expect(loaded.summary?.windows.map((w) => w.reading)).toEqual([
      expect.objectContaining({
        window: "five_hour",
        utilizationRatio: 0,
        resetsAtMs: null,
        observedAtMs: Math.round((nowMs - 60_000) / 1000) * 1000,
      }),
    ]);
  });

  it("falls back to the last Summary with a problem when reading fails", async () => {
    const cache = memoryCache();
    const first = await loadSummary({ supportPath: world.supportPath, cache });
    // A file where the support directory should be: the ledger cannot be written.
    const blocked = path.join(world.root, "blocked");
    fs.writeFileSync(blocked, "");
    writeTranscript(world, "-p-app", "s1", [{ atMs: Date.now() - 60_000 }]);
    const failed = await loadSummary({ supportPath: blocked, cache });
    expect(failed.problem?.kind).toBe("local-failed");
    expect(failed.summary).toEqual(first.summary);
  });
});

describe("exporter data", () => {
  it("shows what the exporter serves and caches it per URL", async () => {
    const served = exporterSummary(Date.now(), {});
    const exporter = await startExporter(() => ({ status: 200, body: JSON.stringify(served) }));
    const cache = memoryCache();
    try {
      const loaded = await loadSummary({
        exporterUrl: exporter.url + "/",
        supportPath: world.supportPath,
        cache,
      });
      expect(loaded.origin).toBe("exporter");
      expect(loaded.summary).toEqual(served);
      expect(exporter.requests).toEqual(["/api/v1/summary"]);
      expect(fs.readdirSync(world.supportPath)).toEqual([]);
    } finally {
      await exporter.close();
    }
  });

  it("reports an error answer and keeps the last good Summary", async () => {
    const served = exporterSummary(Date.now() - 60_000, {});
    let status = 200;
    const exporter = await startExporter(() => ({
      status,
      body: status === 200 ? JSON.stringify(served) : "oops",
    }));
    const cache = memoryCache();
    try {
      const opts = { exporterUrl: exporter.url, supportPath: world.supportPath, cache };
      await loadSummary(opts);
      status = 500;
      const failed = await loadSummary(opts);
      expect(failed.problem).toEqual({
        kind: "exporter-bad-response",
        message: `${summaryUrl(exporter.url)}: HTTP 500`,
      });
      expect(failed.summary).toEqual(served);
    } finally {
      await exporter.close();
    }
  });

  it("rejects JSON that is not a Summary", () => {
    expect(parseSummary('{"status":"ok"}')).toBeNull();
    expect(parseSummary("<html>")).toBeNull();
    expect(parseSummary(JSON.stringify(exporterSummary(1, {})))).not.toBeNull();
  });
});
