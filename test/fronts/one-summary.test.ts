/**
 * One fixture (transcripts over several days and models, a statusline feed with both
 * windows) through the three fronts: `quotacast status --json`, the exporter's
 * `/api/v1/summary` (a real server on loopback) and the extension's data function. They
 * share core's one Summary pipeline, so they must give the very same Summary.
 *
 * Only `Date` is faked (frozen at one instant), so all three see the same "now"; timers,
 * I/O, worker threads and the HTTP server are real.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Readable } from "node:stream";
import type { Summary } from "@quotacast/core";
import { run as runStatus } from "../../exporter/src/commands/status";
import { run as runStatusline } from "../../exporter/src/commands/statusline";
import { loadSummary, type TextCache } from "../../extension/src/data";
import { assistantLine, tempConfig, type TempConfig } from "../core/ingest/helpers";
import { statuslinePayload } from "../exporter/statusline/payload";
import { startForTest, testConfig } from "../exporter/serve/helpers";
import { tempDir } from "../fakes/ports";
import { captureStdout } from "../support/capture-stdout";

const NOW_MS = Date.parse("2026-11-25T15:20:00.000Z");
const HOUR_MS = 3600_000;
const savedEnv = { ...process.env };
let config: TempConfig;
let workDir: string;

function memoryCache(): TextCache {
  const map = new Map<string, string>();
  return { get: (key) => map.get(key), set: (key, value) => void map.set(key, value) };
}

async function cliSummary(): Promise<Summary> {
  const { code, stdout } = await captureStdout(() =>
    runStatus(["--json", "--timezone", "UTC", "--config-dir", config.configDir]),
  );
  expect(code).toBe(0);
  return JSON.parse(stdout) as Summary;
}

async function exporterSummary(): Promise<Summary> {
  const exporter = await startForTest(
    testConfig(workDir, { claudeConfigDirs: [config.configDir], sources: { oauth: false, admin: false } }),
    { env: process.env },
  );
  try {
    for (const source of exporter.runtime.enabledSources) await exporter.runtime.pollNow(source);
    const response = await fetch(`${exporter.url}/api/v1/summary`);
    expect(response.status).toBe(200);
    return (await response.json()) as Summary;
  } finally {
    await exporter.stop();
  }
}

async function extensionSummary(): Promise<Summary> {
  const loaded = await loadSummary({
    supportPath: path.join(workDir, "raycast"),
    cache: memoryCache(),
    nowMs: () => Date.now(),
    timezone: "UTC",
    env: process.env,
    configDirs: [config.configDir],
  });
  expect(loaded.problem).toBeNull();
  expect(loaded.summary).not.toBeNull();
  return loaded.summary as Summary;
}

beforeEach(async () => {
  jest.useFakeTimers({
    now: NOW_MS,
    doNotFake: [
      "hrtime",
      "nextTick",
      "performance",
      "queueMicrotask",
      "setImmediate",
      "clearImmediate",
      "setInterval",
      "clearInterval",
      "setTimeout",
      "clearTimeout",
    ],
  });
  config = tempConfig();
  workDir = tempDir("quotacast-one-summary-");
  process.env.CLAUDE_CONFIG_DIR = config.configDir;
  process.env.QUOTACAST_STATUSLINE_FILE = path.join(workDir, "statusline.json");
  delete process.env.ANTHROPIC_ADMIN_KEY;

  // Five days of work in two projects and three models, some of it in today's block.
  const at = (hoursAgo: number): string => new Date(NOW_MS - hoursAgo * HOUR_MS).toISOString();
  const models = ["claude-sonnet-4-5-20250929", "claude-opus-4-5-20251101", "claude-haiku-4-5-20251001"];
  const lines = (session: string, hoursAgo: number[]): string[] =>
    hoursAgo.map((h, i) =>
      assistantLine({
        id: `${session}-m${i}`,
        requestId: `${session}-r${i}`,
        sessionId: session,
        timestamp: at(h),
        model: models[i % models.length],
        input: 1200 + 37 * i,
        output: 400 + 11 * i,
        cacheWrite: 2000,
        cacheRead: 15_000 + 100 * i,
      }),
    );
  config.write("-home-u-app", "s1.jsonl", lines("s1", [118, 117.5, 96, 95, 72, 71.2, 50]));
  config.write("-home-u-app", "s2.jsonl", lines("s2", [26, 25.5, 24.2, 5, 4.5, 3.9]));
  config.write("-home-u-lib", "s3.jsonl", lines("s3", [2.5, 1.2, 0.6, 0.1]));

  const stdin = Readable.from([JSON.stringify(statuslinePayload(NOW_MS - 30_000))]);
  const code = await runStatusline([], {
    stdin,
    write: () => undefined,
    env: process.env,
    nowMs: () => NOW_MS - 30_000,
  });
  expect(code).toBe(0);
});

afterEach(() => {
  jest.useRealTimers();
  process.env = { ...savedEnv };
  config.cleanup();
  fs.rmSync(workDir, { recursive: true, force: true });
});

test("quotacast status --json, /api/v1/summary and the extension give the same Summary", async () => {
  const cli = await cliSummary();
  const exporter = await exporterSummary();
  const extension = await extensionSummary();

  // The fixture reaches every part of the Summary, so equality below means something.
  expect(cli.generatedAtMs).toBe(NOW_MS);
  expect(cli.today.totalTokens).toBeGreaterThan(0);
  expect(cli.thisWeek.costUsd).toBeGreaterThan(cli.today.costUsd);
  expect(cli.lastDays.filter((d) => d.totalTokens > 0).length).toBeGreaterThanOrEqual(5);
  expect(cli.activeBlock).not.toBeNull();
  expect(cli.sessionsToday.length).toBeGreaterThan(0);
  expect(cli.windows.map((w) => w.reading.window).sort()).toEqual(["five_hour", "seven_day"]);
  expect(cli.windows.every((w) => w.forecast !== null)).toBe(true);
  expect(cli.sources.map((s) => [s.source, s.state])).toEqual([
    ["transcripts", "ok"],
    ["statusline", "ok"],
    ["header-file", "missing"],
  ]);

  expect(exporter).toEqual(cli);
  expect(extension).toEqual(cli);
});
