/**
 * Benchmark of the Raycast menu bar's data function (`loadSummary` from extension/src/data.ts)
 * on the ~500 MB generated history, under plain node (no Raycast).
 *
 *   npm run build   # core/dist: the extension imports @quotacast/core as built
 *   npx tsx bench/extension.ts [--data DIR] [--warm-runs 15] [--no-write]
 *
 * Data: bench/data/history-500mb-seed1 when present (the transcript benchmark's), else it
 * generates the same history into bench/data/extension-history-500mb-seed1.
 *
 * Each phase runs in a fresh process, as Raycast starts a command for each background run;
 * the figures are the time of the data function inside that process (module loading is
 * reported apart). Phases:
 * - cold: empty support directory and cache (first run ever: full ingest, store written);
 * - warm: a new process with the state on disk and nothing changed (the usual background run);
 * - warm, one line appended: a new usage line in a transcript (the usual run while working);
 * - cold and warm again on a copy whose files carry their last line's time as mtime, as real
 *   transcripts do (the generator writes every file "now", which makes all of them look recent).
 * Writes its section of bench/RESULTS.md between the extension markers.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { loadSummary } from "../extension/src/data";
import { generateHistory, writeManifest } from "../test/generators/transcripts";
import { machineDescription, median, warmPageCache, writeResultsSection } from "./results";

const ROOT = path.resolve(__dirname, "..");
/** The benchmark engineer's 500 MB history, reused when present. */
const SHARED_DATA = path.join(ROOT, "bench", "data", "history-500mb-seed1");
/** Where this benchmark generates its own when the shared one is absent (never overwrites theirs). */
const OWN_DATA = path.join(ROOT, "bench", "data", "extension-history-500mb-seed1");
/** The benchmark engineer's parameters for the 500 MB history (bench/run.ts). */
const GENERATOR = { sizeMb: 500, seed: 1, endMs: Date.UTC(2026, 10, 20, 12), days: 60 };

interface PhaseResult {
  phase: string;
  startupMs: number;
  loadSummaryMs: number;
  reusedCachedSummary: boolean;
  filesScanned: number;
  bytesRead: number;
  changedEvents: number;
  windows: number;
  todayTokens: number;
  lastDaysWithUsage: number;
  problem: string | null;
  rssMb: number;
  phasesMs: Record<string, number>;
}

// ---------------------------------------------------------------- child: one phase

async function runPhase(phase: string, dataDir: string, work: string, state: string): Promise<void> {
  // performance.now() counts from the start of the process: node, tsx and loading the modules.
  const startupMs = performance.now();
  const stateDir = path.join(work, state);
  fs.mkdirSync(stateDir, { recursive: true });
  const cacheFile = path.join(stateDir, "cache.json");
  const entries: Record<string, string> = fs.existsSync(cacheFile)
    ? JSON.parse(fs.readFileSync(cacheFile, "utf8"))
    : {};
  // Raycast's Cache is a file-backed synchronous store: so is this one.
  const cache = {
    get: (key: string) => entries[key],
    set: (key: string, value: string) => {
      entries[key] = value;
      fs.writeFileSync(cacheFile, JSON.stringify(entries));
    },
  };
  const started = performance.now();
  const loaded = await loadSummary({
    supportPath: path.join(stateDir, "support"),
    cache,
    configDirs: [dataDir, path.join(work, "live")],
    statuslineFeedFile: path.join(work, "statusline.json"),
    timezone: "UTC",
    env: {},
    homeDir: work,
  });
  const loadSummaryMs = performance.now() - started;
  const result: PhaseResult = {
    phase,
    startupMs,
    loadSummaryMs,
    reusedCachedSummary: loaded.stats.reusedCachedSummary,
    filesScanned: loaded.stats.filesScanned,
    bytesRead: loaded.stats.bytesRead,
    changedEvents: loaded.stats.changedEvents,
    windows: loaded.summary?.windows.length ?? 0,
    todayTokens: loaded.summary?.today.totalTokens ?? 0,
    lastDaysWithUsage: loaded.summary?.lastDays.filter((d) => d.totalTokens > 0).length ?? 0,
    problem: loaded.problem?.message ?? null,
    rssMb: process.memoryUsage().rss / 1e6,
    phasesMs: loaded.stats.phasesMs ?? {},
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

// ---------------------------------------------------------------- parent

function spawnPhase(phase: string, dataDir: string, work: string, state: string): PhaseResult {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, __filename, "--phase", phase, "--data", dataDir, "--work", work, "--state", state],
    {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const line = child.stdout.split("\n").find((l) => l.startsWith("RESULT "));
  if (child.status !== 0 || !line) throw new Error(`phase ${phase} failed: ${child.stderr}`);
  return JSON.parse(line.slice("RESULT ".length)) as PhaseResult;
}

function writeFeed(work: string, nowMs: number): void {
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
        five_hour: { used_percentage: 45, resets_at: Math.round((nowMs + 2 * 3600_000) / 1000) },
        seven_day: { used_percentage: 30, resets_at: Math.round((nowMs + 4 * 86_400_000) / 1000) },
      },
      rateLimitsObservedAtMs: nowMs,
      sessions: {},
    }),
  );
}

/** Sets each transcript's mtime to the timestamp of its last line; returns how many are 16+ days old. */
function ageFilesLikeReal(dir: string): { files: number; old: number } {
  let files = 0;
  let old = 0;
  const cutoffMs = Date.now() - 16 * 86_400_000;
  const visit = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith(".jsonl")) {
        files++;
        const lastMs = lastTimestampMs(full);
        if (lastMs === null) continue;
        fs.utimesSync(full, new Date(lastMs), new Date(lastMs));
        if (lastMs < cutoffMs) old++;
      }
    }
  };
  visit(dir);
  return { files, old };
}

function lastTimestampMs(file: string): number | null {
  const size = fs.statSync(file).size;
  const length = Math.min(size, 4 * 1024 * 1024);
  const buffer = Buffer.alloc(length);
  const fd = fs.openSync(file, "r");
  try {
    fs.readSync(fd, buffer, 0, length, size - length);
  } finally {
    fs.closeSync(fd);
  }
  const matches = [...buffer.toString("utf8").matchAll(/"timestamp":"([^"]+)"/g)];
  const times = matches.map((m) => Date.parse(m[1])).filter((t) => Number.isFinite(t));
  return times.length > 0 ? Math.max(...times) : null;
}

function appendLiveLine(work: string, index: number): void {
  const dir = path.join(work, "live", "projects", "-bench-live");
  fs.mkdirSync(dir, { recursive: true });
  const line = {
    type: "assistant",
    timestamp: new Date().toISOString(),
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

function hasManifest(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, "quotacast-generator.json"));
}

async function ensureData(dataDir: string): Promise<void> {
  if (hasManifest(dataDir)) return;
  process.stderr.write(`generating ${GENERATOR.sizeMb} MB of transcripts into ${dataDir} ...\n`);
  const opts = { dir: dataDir, ...GENERATOR };
  writeManifest(generateHistory(opts), opts);
}

function phases(record: Record<string, number>): string {
  return Object.entries(record)
    .map(([name, valueMs]) => `${name} ${valueMs.toFixed(0)} ms`)
    .join(", ");
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(full) : fs.statSync(full).size;
  }
  return total;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      phase: { type: "string" },
      data: { type: "string" },
      work: { type: "string" },
      state: { type: "string", default: "a" },
      "warm-runs": { type: "string", default: "15" },
      "no-write": { type: "boolean", default: false },
    },
  });
  const dataDir = path.resolve(values.data ?? (hasManifest(SHARED_DATA) ? SHARED_DATA : OWN_DATA));
  if (values.phase) return runPhase(values.phase, dataDir, values.work ?? "", values.state ?? "a");

  await ensureData(dataDir);
  const manifest = JSON.parse(fs.readFileSync(path.join(dataDir, "quotacast-generator.json"), "utf8")) as {
    files: number;
    bytesWritten: number;
    events: number;
  };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "quotacast-ext-bench-"));
  try {
    writeFeed(work, Date.now());
    appendLiveLine(work, 0);
    const loadBefore = os.loadavg()[0].toFixed(2);
    // A: the generator's files as written (every file modified minutes ago: all of it is read).
    // Three cold runs, each with its own empty state, from the page cache (as the transcript bench).
    warmPageCache(dataDir);
    const colds = ["a", "a2", "a3"].map((state) => spawnPhase("cold", dataDir, work, state));
    const cold = colds[0];
    const coldMs = colds.map((r) => r.loadSummaryMs);
    const warmRuns = Number(values["warm-runs"]);
    const warm: PhaseResult[] = [];
    for (let i = 0; i < warmRuns; i++) warm.push(spawnPhase("warm", dataDir, work, "a"));
    const appended: PhaseResult[] = [];
    for (let i = 1; i <= 5; i++) {
      appendLiveLine(work, i);
      appended.push(spawnPhase("appended", dataDir, work, "a"));
    }
    const stateBytes = dirBytes(path.join(work, "a", "support"));
    const cursorBytes = fs.statSync(path.join(work, "a", "support", "ledger", "cursors.json")).size;
    const cacheBytes = fs.statSync(path.join(work, "a", "cache.json")).size;

    // B: a copy of the same history whose files carry the time of their last line as mtime,
    // as real transcripts do; files untouched for 16 days are then never read.
    const copy = path.join(work, "history");
    fs.cpSync(dataDir, copy, { recursive: true });
    const aged = ageFilesLikeReal(copy);
    warmPageCache(copy);
    const coldReal = spawnPhase("cold-real-mtimes", copy, work, "b");
    const warmReal: PhaseResult[] = [];
    for (let i = 0; i < Math.min(5, warmRuns); i++)
      warmReal.push(spawnPhase("warm-real-mtimes", copy, work, "b"));

    for (const r of [...colds, ...warm, ...appended, coldReal, ...warmReal]) {
      if (r.problem) throw new Error(`${r.phase}: ${r.problem}`);
    }
    if (!warm.every((r) => r.reusedCachedSummary && r.bytesRead === 0))
      throw new Error("a warm run did not reuse the cache");
    if (!appended.every((r) => !r.reusedCachedSummary && r.changedEvents === 1))
      throw new Error("an append was missed");

    const warmMs = warm.map((r) => r.loadSummaryMs);
    const appendedMs = appended.map((r) => r.loadSummaryMs);
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const yes = (ok: boolean) => (ok ? "yes" : "**no**");
    const section = [
      "## Raycast extension: the menu bar's data function (`npx tsx bench/extension.ts`)",
      "",
      `Run: ${new Date().toISOString()}. Machine: ${machineDescription()}. Shared machine (other engineers' jobs may run at the same time).`,
      "",
      `Data: ${path.relative(ROOT, dataDir)} (test/generators/transcripts.ts, seed 1): ${manifest.files} transcript files, ` +
        `${(manifest.bytesWritten / 1e6).toFixed(0)} MB, ${manifest.events} deduplicated responses; plus a statusline feed ` +
        "(5h and 7d windows) and one small live transcript. Local mode (`loadSummary` without an exporter URL), time zone UTC.",
      "Every phase is a fresh node process, like a Raycast background run; the time is `loadSummary` inside it " +
        `(before it, starting node and loading the modules under tsx took ${ms(median(warm.map((r) => r.startupMs)))}, median).`,
      "",
      "| measure | result | target | met |",
      "|---|---|---|---|",
      `| cold: first run, empty support dir and cache, the generator's files as written (all modified minutes ago, so all ${(cold.bytesRead / 1e6).toFixed(0)} MB are read; median / max of ${colds.length}, page cache warm) | ${ms(median(coldMs))} / ${ms(Math.max(...coldMs))} | < 1500 ms | ${yes(Math.max(...coldMs) < 1500)} |`,
      `| warm: nothing changed (median / max of ${warmRuns} processes) | ${ms(median(warmMs))} / ${ms(Math.max(...warmMs))} | < 100 ms | ${yes(Math.max(...warmMs) < 100)} |`,
      `| warm, one usage line appended (median / max of ${appended.length}; Summary rebuilt from the recent events) | ${ms(median(appendedMs))} / ${ms(Math.max(...appendedMs))} | | |`,
      `| cold, same history with real file times (each file's mtime = its last line; ${aged.old} of ${aged.files} files untouched for 16+ days, not read) | ${ms(coldReal.loadSummaryMs)} (read ${(coldReal.bytesRead / 1e6).toFixed(0)} MB) | < 1500 ms | ${yes(coldReal.loadSummaryMs < 1500)} |`,
      `| warm after that (median of ${warmReal.length}) | ${ms(median(warmReal.map((r) => r.loadSummaryMs)))} | < 100 ms | ${yes(Math.max(...warmReal.map((r) => r.loadSummaryMs)) < 100)} |`,
      "",
      `Cold run read ${(cold.bytesRead / 1e6).toFixed(0)} MB of ${cold.filesScanned} files (${cold.changedEvents} events), RSS ${cold.rssMb.toFixed(0)} MB. ` +
        `Warm runs read 0 bytes of transcripts and served the cached Summary. State on disk: ${(stateBytes / 1e6).toFixed(1)} MB ` +
        `(cursors ${(cursorBytes / 1e3).toFixed(0)} kB, the only ledger file a warm run reads), cache ${(cacheBytes / 1e3).toFixed(0)} kB. ` +
        `Summary: ${cold.windows} windows, ${cold.lastDaysWithUsage} of the last 14 days with usage.`,
      "",
      `Load average at the start and end of the run: ${loadBefore} / ${os.loadavg()[0].toFixed(2)} (1 min).`,
      "",
      `Where the cold run's time went: ${phases(cold.phasesMs)}; with real file times: ${phases(coldReal.phasesMs)}. ` +
        `One appended line (last run): ${phases(appended[appended.length - 1].phasesMs)}. ` +
        "`ingest` is core's `UsageLedger.refresh` (with this extension's file store) and the statusline poll.",
    ].join("\n");
    process.stdout.write(section + "\n");
    if (!values["no-write"]) {
      writeResultsSection("extension", section);
      process.stderr.write("wrote bench/RESULTS.md\n");
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
