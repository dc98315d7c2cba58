/**
 * `npm run bench:forecast`: the whole forecast benchmark from nothing. Generates the
 * transcript history the transcript datasets are built from (once; git-ignored), builds the
 * 5-hour and 7-day datasets from it, then runs `quotacast bench forecast`, which scores the
 * synthetic regimes and every dataset in bench/data/forecast and writes bench/FORECAST.md.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { generateHistory, readMatchingManifest, writeManifest } from "../../test/generators/transcripts";

const ROOT = path.resolve(__dirname, "../..");
const CLI = path.join(ROOT, "exporter", "dist", "cli.js");
const DATA = path.join(ROOT, "bench", "data");
const SEED = 7;
const HISTORY = path.join(DATA, `generated-claude-seed${SEED}`);
/** API-equivalent USD per 100% of the 5-hour window (the 7-day window: 10x) for the datasets. */
const LIMIT_USD = 10;

function quotacast(args: string[]): void {
  execFileSync(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: "inherit" });
}

function main(): void {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const opts = { dir: HISTORY, sizeMb: 200, seed: SEED, days: 60, endMs: Date.parse("2026-11-01T00:00:00Z") };
  if (!readMatchingManifest(opts)) {
    console.log(`generating a 200 MB, 60-day transcript history in ${path.relative(ROOT, HISTORY)} ...`);
    fs.rmSync(HISTORY, { recursive: true, force: true });
    writeManifest(generateHistory(opts), opts);
  }
  const datasets = path.join(DATA, "forecast");
  quotacast([
    "bench",
    "forecast",
    "--from-transcripts",
    HISTORY,
    "--limit-usd",
    String(LIMIT_USD),
    "--save-dataset",
    datasets,
  ]);
  quotacast(["bench", "forecast", "--data-dir", datasets]);
}

main();
