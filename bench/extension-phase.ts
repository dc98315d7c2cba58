/**
 * One phase of bench/extension.ts, in a fresh plain-node process as Raycast starts a command:
 * bench/extension.ts bundles this file with esbuild (no tsx at run time); it loads the
 * extension's data bundle (extension/src/data.ts, bundled as ray build does), calls
 * `loadSummary` once in local mode, and prints `RESULT {json}`.
 *
 *   node phase.js --bundle data.js --load-only
 *   node phase.js --bundle data.js --history DIR --work DIR --state NAME --clock-offset-ms N [--timezone ZONE]
 *
 * Without --timezone the data function finds the system's zone itself, as the extension calls it
 * (the parent sets TZ for the process).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import type { LoadOptions, LoadedSummary } from "../extension/src/data";

export interface PhaseResult {
  /** Loading the bundle (`require`), in this process. */
  requireMs: number;
  /** The data function's own time; null with --load-only. */
  loadSummaryMs: number | null;
  /** Its CPU time (user + system), less sensitive than wall time to other jobs on the machine. */
  loadSummaryCpuMs: number | null;
  reusedCachedSummary: boolean;
  filesScanned: number;
  bytesRead: number;
  changedEvents: number;
  windows: number;
  lastDaysWithUsage: number;
  problem: string | null;
  phasesMs: Record<string, number>;
}

type DataBundle = { loadSummary(opts: LoadOptions): Promise<LoadedSummary> };

/** Raycast's Cache is a file-backed synchronous store: so is this one. */
function fileCache(file: string): LoadOptions["cache"] {
  const entries: Record<string, string> = fs.existsSync(file)
    ? JSON.parse(fs.readFileSync(file, "utf8"))
    : {};
  return {
    get: (key) => entries[key],
    set: (key, value) => {
      entries[key] = value;
      fs.writeFileSync(file, JSON.stringify(entries));
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      bundle: { type: "string" },
      "load-only": { type: "boolean", default: false },
      history: { type: "string" },
      work: { type: "string" },
      state: { type: "string" },
      "clock-offset-ms": { type: "string", default: "0" },
      timezone: { type: "string" },
    },
  });
  const started = performance.now();
  const bundle = require(path.resolve(values.bundle ?? "")) as DataBundle;
  const requireMs = performance.now() - started;
  const empty = { reusedCachedSummary: false, filesScanned: 0, bytesRead: 0, changedEvents: 0 };
  if (values["load-only"]) {
    const result: PhaseResult = {
      requireMs,
      loadSummaryMs: null,
      loadSummaryCpuMs: null,
      ...empty,
      windows: 0,
      lastDaysWithUsage: 0,
      problem: null,
      phasesMs: {},
    };
    process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
    return;
  }
  const work = values.work ?? "";
  const stateDir = path.join(work, values.state ?? "state");
  fs.mkdirSync(stateDir, { recursive: true });
  const offsetMs = Number(values["clock-offset-ms"]);
  const cache = fileCache(path.join(stateDir, "cache.json"));
  const before = performance.now();
  const cpuBefore = process.cpuUsage();
  const loaded = await bundle.loadSummary({
    supportPath: path.join(stateDir, "support"),
    cache,
    nowMs: () => Date.now() + offsetMs,
    configDirs: [values.history ?? "", path.join(work, "live")],
    statuslineFeedFile: path.join(work, "statusline.json"),
    ...(values.timezone ? { timezone: values.timezone } : {}),
    env: {},
    homeDir: work,
  });
  const loadSummaryMs = performance.now() - before;
  const cpu = process.cpuUsage(cpuBefore);
  const result: PhaseResult = {
    requireMs,
    loadSummaryMs,
    loadSummaryCpuMs: (cpu.user + cpu.system) / 1000,
    reusedCachedSummary: loaded.stats.reusedCachedSummary,
    filesScanned: loaded.stats.filesScanned,
    bytesRead: loaded.stats.bytesRead,
    changedEvents: loaded.stats.changedEvents,
    windows: loaded.summary?.windows.length ?? 0,
    lastDaysWithUsage: loaded.summary?.lastDays.filter((d) => d.totalTokens > 0).length ?? 0,
    problem: loaded.problem?.message ?? null,
    phasesMs: loaded.stats.phasesMs ?? {},
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
