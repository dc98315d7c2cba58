/**
 * `quotacast status`: today's usage from the transcripts, and every window from whichever
 * sources are configured, each with its source and age; totals survive deleted files.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Readable } from "node:stream";
import { run as runStatus } from "../../../exporter/src/commands/status";
import { run as runStatusline } from "../../../exporter/src/commands/statusline";
import { assistantLine, tempConfig, type TempConfig } from "../../core/ingest/helpers";
import { statuslinePayload } from "../statusline/payload";
import { captureStdout } from "../../support/capture-stdout";

const HEADER = "anthropic-ratelimit-unified-";
let config: TempConfig;
const savedEnv = { ...process.env };

function writeHeaderFile(nowMs: number, fiveHourFraction: number): void {
  const resetS = Math.floor(nowMs / 1000) + 3 * 3600;
  fs.writeFileSync(
    path.join(config.configDir, "usage-limits.json"),
    JSON.stringify({
      source: "interceptor",
      updated_at: new Date(nowMs).toISOString(),
      headers_raw: {
        [`${HEADER}status`]: "allowed",
        [`${HEADER}5h-utilization`]: String(fiveHourFraction),
        [`${HEADER}5h-reset`]: String(resetS),
        [`${HEADER}5h-status`]: "allowed",
      },
    }),
  );
}

beforeEach(() => {
  config = tempConfig();
  process.env.CLAUDE_CONFIG_DIR = config.configDir;
  process.env.QUOTACAST_STATUSLINE_FILE = path.join(config.configDir, "feed.json");
});

afterEach(() => {
  process.env = { ...savedEnv };
  config.cleanup();
});

test("shows today's usage and each window with the source it came from", async () => {
  const nowMs = Date.now();
  const stamp = new Date(nowMs - 60_000).toISOString();
  config.write("-home-u-app", "s1.jsonl", [
    assistantLine({ id: "m1", timestamp: stamp, input: 1000, output: 500 }),
    assistantLine({ id: "m2", timestamp: stamp, input: 2000, output: 700 }),
  ]);
  const stdin = Readable.from([JSON.stringify(statuslinePayload(nowMs))]);
  await runStatusline([], { stdin, write: () => undefined, env: process.env, nowMs: () => nowMs });
  // The header file is fresher for the 5-hour window than the statusline feed.
  writeHeaderFile(nowMs + 1000, 0.55);

  const { code, stdout } = await captureStdout(() =>
    runStatus(["--config-dir", config.configDir, "--timezone", "UTC"]),
  );
  expect(code).toBe(0);
  // Piped: no colour at all; the bar, the reset countdown and clock, and where the reading came from.
  expect(stdout).not.toMatch(new RegExp(String.fromCharCode(27)));
  expect(stdout).toMatch(
    /5-hour\s+[█▒┃░]+\s+55%\s+resets (2h59m|3h00m) \(\d\d:\d\d\)\s+\[header-file, just now\]/,
  );
  const atReset = Number(/\n\s+(?:at reset ~(\d+)%|limit ~)/.exec(stdout)?.[1] ?? "100");
  expect(atReset).toBeGreaterThanOrEqual(55);
  expect(stdout).toMatch(/7-day\s+[█▒┃░]+\s+\d+%.*\[statusline, just now\]/);
  expect(stdout).toMatch(/Today\s+\$\d+\.\d\d · 4\.2K tokens · sonnet-4-5 \$\d+\.\d\d \(100%\)/);
  expect(stdout).toMatch(/Block\s+\$/);
});

test("--json prints the Summary, and totals stay when a transcript is deleted", async () => {
  const stamp = new Date(Date.now() - 120_000).toISOString();
  const file = config.write("-home-u-app", "s1.jsonl", [
    assistantLine({ id: "m1", timestamp: stamp, input: 100 }),
  ]);
  const first = JSON.parse((await captureStdout(() => runStatus(["--json", "--timezone", "UTC"]))).stdout);
  expect(first.today.inputTokens).toBe(100);
  expect(first.windows).toEqual([]);
  // The enabled sources, as in /api/v1/summary: OAuth and Admin are opt-in.
  expect(first.sources.map((s: { source: string }) => s.source)).toEqual([
    "transcripts",
    "statusline",
    "header-file",
  ]);

  fs.rmSync(file);
  const second = JSON.parse((await captureStdout(() => runStatus(["--json", "--timezone", "UTC"]))).stdout);
  expect(second.today.inputTokens).toBe(100);
});
