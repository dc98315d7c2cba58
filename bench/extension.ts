/**
 * `npm run bench:extension`: the Raycast menu bar's data function (`loadSummary`, extension/src/
 * data.ts) as it ships: bundled and minified by esbuild as `ray build` does, each phase in a
 * fresh plain-node process (no tsx), as Raycast starts a command for each background run.
 *
 *   npx tsx bench/extension.ts [--size-mb 500] [--seed 1] [--median-file-kb 150] [--runs 10] [--no-write]
 *
 * Data: a real-shaped history (test/generators/transcripts.ts, shape "real", as bench/cli.ts
 * uses) with smaller session files than the default so that ~500 MB make 2,000+ files (real
 * histories keep thousands of small files); each file's mtime is the time of its last line, as
 * real transcripts have. The history ends at a fixed instant (HISTORY_END_MS): the processes'
 * clock is shifted to just after it, so the run sees the history as a user working now would.
 * Plus a statusline feed (5h and 7d windows) and a small live transcript in a second config dir.
 *
 * Phases, each in its own process: `node -e 0` (bare start-up); loading the bundle only (its cost
 * is reported beyond `node -e 0`); cold (empty support dir and cache); warm (nothing changed);
 * one usage line appended to the live transcript. The figures are the data function's own time
 * inside its process. Writes its section of bench/RESULTS.md between the extension markers.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import * as esbuild from "esbuild";
import type { PhaseResult } from "./extension-phase";
import {
  HISTORY_END_MS,
  ROOT,
  ensureRealHistory,
  fmtMs,
  log,
  realHistoryOptions,
  timedProcess,
} from "./real-history";
import * as results from "./results";

const TARGETS = { warmMs: 50, appendedMs: 80, coldMs: 1500, loadOverBareMs: 50 };
/** What the bundles are built like: ray build's esbuild output (CommonJS, minified, for Node). */
const BUNDLE_OPTIONS: esbuild.BuildOptions = {
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  minify: true,
  logLevel: "warning",
  absWorkingDir: ROOT,
};

interface Timed extends PhaseResult {
  /** Spawn to exit, seen from this process. */
  wallMs: number;
}

/** The data function's bundle and the phase driver, built now from the working tree. */
async function buildBundles(work: string): Promise<{ data: string; driver: string; dataBytes: number }> {
  const data = path.join(work, "data.js");
  const driver = path.join(work, "phase.js");
  await esbuild.build({ ...BUNDLE_OPTIONS, entryPoints: ["extension/src/data.ts"], outfile: data });
  await esbuild.build({ ...BUNDLE_OPTIONS, entryPoints: ["bench/extension-phase.ts"], outfile: driver });
  await esbuild.stop();
  return { data, driver, dataBytes: fs.statSync(data).size };
}

/** The time of a transcript's last line with a timestamp, reading back from its end. */
function lastLineTimeMs(file: string): number | null {
  const size = fs.statSync(file).size;
  const fd = fs.openSync(file, "r");
  try {
    for (let length = 64 * 1024; ; length *= 4) {
      const start = Math.max(0, size - length);
      const buffer = Buffer.alloc(size - start);
      fs.readSync(fd, buffer, 0, buffer.length, start);
      const times = [...buffer.toString("utf8").matchAll(/"timestamp":"([^"]+)"/g)]
        .map((m) => Date.parse(m[1]))
        .filter((t) => Number.isFinite(t));
      if (times.length > 0) return Math.max(...times);
      if (start === 0) return null;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Each transcript's mtime becomes its last line's time, as real transcripts have. A file with no
 * timed line (summaries only) was written by Claude Code while a session of its project ran: it
 * gets the newest time among its directory's transcripts (not the generator's clock, which is
 * after the history's end).
 */
function realMtimes(configDir: string): number {
  const files = results.listJsonl(path.join(configDir, "projects"));
  const untimed: string[] = [];
  const newestInDirMs = new Map<string, number>();
  for (const file of files) {
    const lastMs = lastLineTimeMs(file);
    if (lastMs === null) {
      untimed.push(file);
      continue;
    }
    fs.utimesSync(file, new Date(lastMs), new Date(lastMs));
    const dir = path.dirname(file);
    newestInDirMs.set(dir, Math.max(lastMs, newestInDirMs.get(dir) ?? lastMs));
  }
  for (const file of untimed) {
    const atMs = newestInDirMs.get(path.dirname(file));
    if (atMs !== undefined) fs.utimesSync(file, new Date(atMs), new Date(atMs));
  }
  return files.length;
}

function writeFeed(work: string, nowMs: number): void {
  const resetsAt = (inMs: number) => Math.round((nowMs + inMs) / 1000);
  fs.writeFileSync(
    path.join(work, "statusline.json"),
    JSON.stringify({
      version: 1,
      updatedAtMs: nowMs,
      sessionId: "bench",
      transcriptPath: null,
      model: null,
      sessionCostUsd: null,
      rateLimits: {
        five_hour: { used_percentage: 45, resets_at: resetsAt(2 * 3600_000) },
        seven_day: { used_percentage: 30, resets_at: resetsAt(4 * 86_400_000) },
      },
      rateLimitsObservedAtMs: nowMs,
      sessions: {},
    }),
  );
}

/** One assistant usage line appended to the live transcript, stamped `nowMs`. */
function appendLiveLine(work: string, index: number, nowMs: number): void {
  const dir = path.join(work, "live", "projects", "-bench-live");
  fs.mkdirSync(dir, { recursive: true });
  const line = {
    type: "assistant",
    timestamp: new Date(nowMs).toISOString(),
    sessionId: "live",
    requestId: `req_live_${index}`,
    message: {
      id: `msg_live_${index}`,
      model: "claude-sonnet-4-5-20250929",
      role: "assistant",
      usage: {
        input_tokens: 100,
        output_tokens: 200,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    },
  };
  fs.appendFileSync(path.join(dir, "live.jsonl"), JSON.stringify(line) + "\n");
}

function runNode(args: string[]): Timed {
  const run = timedProcess(process.execPath, args, { PATH: process.env.PATH ?? "", TZ: "UTC" });
  const line = run.stdout.split("\n").find((l) => l.startsWith("RESULT "));
  if (!line) throw new Error(`node ${args.join(" ")}: no result`);
  return { ...(JSON.parse(line.slice("RESULT ".length)) as PhaseResult), wallMs: run.wallMs };
}

function bareNodeMs(): number {
  return timedProcess(process.execPath, ["-e", "0"], { PATH: process.env.PATH ?? "" }).wallMs;
}

const times = (runs: Timed[]) => runs.map((r) => r.loadSummaryMs ?? 0);
const cpuTimes = (runs: Timed[]) => runs.map((r) => r.loadSummaryCpuMs ?? 0);
const medianMax = (values: number[]) => `${fmtMs(results.median(values))} / ${fmtMs(Math.max(...values))}`;
const met = (ok: boolean) => (ok ? "yes" : "**no**");
const phaseText = (record: Record<string, number>) =>
  Object.entries(record)
    .map(([name, valueMs]) => `${name} ${valueMs.toFixed(0)} ms`)
    .join(", ");

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ...results.HISTORY_ARGS,
      "median-file-kb": { type: "string", default: "150" },
      runs: { type: "string", default: "10" },
      "no-write": { type: "boolean", default: false },
    },
  });
  const runs = Math.max(1, Number(values.runs));
  const medianKb = Number(values["median-file-kb"]);
  const base = realHistoryOptions(Number(values["size-mb"]), Number(values.seed));
  // The generator's manifest does not record the file size: it is in the directory's name.
  const opts = { ...base, dir: `${base.dir}-${medianKb}kb-files`, medianFileBytes: medianKb * 1000 };
  const { manifest } = ensureRealHistory(opts);
  const files = realMtimes(opts.dir);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "qc-bench-ext-"));
  try {
    log("bundling extension/src/data.ts as ray build does");
    const bundle = await buildBundles(work);
    // The processes' clock: 10 minutes after the history's end, running on from there.
    const clockOffsetMs = HISTORY_END_MS + 10 * 60_000 - Date.now();
    const fakeNow = () => Date.now() + clockOffsetMs;
    writeFeed(work, fakeNow());
    appendLiveLine(work, 0, fakeNow() - 60_000);
    const phase = (state: string) =>
      runNode([
        bundle.driver,
        "--bundle",
        bundle.data,
        "--history",
        opts.dir,
        "--work",
        work,
        "--state",
        state,
        `--clock-offset-ms=${clockOffsetMs}`,
      ]);
    const loadStart = results.loadAverages();

    log("start-up: node -e 0 and loading the bundle");
    const bare: number[] = [];
    const loads: Timed[] = [];
    for (let i = 0; i < runs; i++) {
      bare.push(bareNodeMs());
      loads.push(runNode([bundle.driver, "--bundle", bundle.data, "--load-only"]));
    }
    const loadOverBare = results.median(loads.map((r) => r.wallMs)) - results.median(bare);

    log("cold runs (empty state, page cache warm)");
    results.warmPageCache(opts.dir);
    const colds = ["a", "b", "c"].map(phase);
    log(`warm runs (${runs})`);
    const warm = Array.from({ length: runs }, () => phase("a"));
    log("one appended line (5 runs)");
    const appended: Timed[] = [];
    for (let i = 1; i <= 5; i++) {
      appendLiveLine(work, i, fakeNow());
      appended.push(phase("a"));
    }
    for (const r of [...colds, ...warm, ...appended]) if (r.problem) throw new Error(r.problem);
    if (!warm.every((r) => r.reusedCachedSummary && r.bytesRead === 0))
      throw new Error("a warm run read transcripts");
    if (!appended.every((r) => !r.reusedCachedSummary && r.changedEvents === 1))
      throw new Error("an append was missed");

    const cold = colds[0];
    const section = [
      "## Raycast extension: the menu bar's data function (`npm run bench:extension`)",
      "",
      `Run: ${new Date().toISOString()}. Machine: ${results.machineDescription()}. Load average (1/5/15 min) at the start: ${loadStart}, at the end: ${results.loadAverages()}.`,
      "",
      `Data: a real-shaped history (\`test/generators/transcripts.ts\`, shape real, seed ${manifest.seed}, session files of ${medianKb} kB median): ` +
        `${files} transcript files, ${(manifest.bytesWritten / 1e6).toFixed(0)} MB, ${manifest.events} deduplicated responses over ${manifest.days} days; ` +
        "each file's mtime is its last line's time (a file of summaries only: its directory's newest); the clock runs from 10 minutes after the history's end. " +
        "Plus a statusline feed (5h and 7d windows) and one live transcript. Local mode, time zone UTC (TZ=UTC: the data function finds the zone itself, as the extension calls it).",
      "",
      `What runs: extension/src/data.ts bundled and minified by esbuild as \`ray build\` bundles the commands (${(bundle.dataBytes / 1e3).toFixed(0)} kB), ` +
        "each phase in a fresh `node` process (no tsx); the time is the data function's own (`loadSummary`) inside that process.",
      "",
      "| measure | result (median / max) | target | met |",
      "|---|---|---|---|",
      `| warm: nothing changed (${warm.length} processes) | ${medianMax(times(warm))} | <= ${TARGETS.warmMs} ms | ${met(Math.max(...times(warm)) <= TARGETS.warmMs)} |`,
      `| one usage line appended (${appended.length} processes) | ${medianMax(times(appended))} | <= ${TARGETS.appendedMs} ms | ${met(Math.max(...times(appended)) <= TARGETS.appendedMs)} |`,
      `| cold: empty support dir and cache (${colds.length} processes, page cache warm) | ${medianMax(times(colds))} | <= ${TARGETS.coldMs} ms | ${met(Math.max(...times(colds)) <= TARGETS.coldMs)} |`,
      `| loading the bundle, beyond a bare \`node -e 0\` (process wall time, medians of ${runs}) | ${fmtMs(loadOverBare)} | <= ${TARGETS.loadOverBareMs} ms | ${met(loadOverBare <= TARGETS.loadOverBareMs)} |`,
      "",
      `Start-up apart: \`node -e 0\` ${fmtMs(results.median(bare))}, \`node\` loading the bundle ${fmtMs(results.median(loads.map((r) => r.wallMs)))} ` +
        `(its \`require\` alone ${fmtMs(results.median(loads.map((r) => r.requireMs)))}); a whole warm process ${fmtMs(results.median(warm.map((r) => r.wallMs)))} spawn to exit.`,
      "",
      `Cold read ${(cold.bytesRead / 1e6).toFixed(0)} MB of ${cold.filesScanned} files (${cold.changedEvents} events; files untouched since the Summary's horizon are not read). ` +
        `Warm runs read no transcript and served the cached Summary. Summary: ${cold.windows} windows, ${cold.lastDaysWithUsage} of the last 14 days with usage.`,
      "",
      `CPU time of the data function (user + system, medians): warm ${fmtMs(results.median(cpuTimes(warm)))}, ` +
        `appended ${fmtMs(results.median(cpuTimes(appended)))}, cold ${fmtMs(results.median(cpuTimes(colds)))}.`,
      "",
      `Where the time went: cold ${phaseText(cold.phasesMs)}; warm (last) ${phaseText(warm[warm.length - 1].phasesMs)}; ` +
        `appended (last) ${phaseText(appended[appended.length - 1].phasesMs)}. \`ingest\` is core's \`UsageLedger.refresh\` (with this extension's file store and idle-file memory) and the statusline poll.`,
    ].join("\n");
    process.stdout.write(section + "\n");
    if (!values["no-write"]) {
      results.writeResultsSection("extension", section);
      log("wrote bench/RESULTS.md");
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
