/**
 * The benchmarks' real-shaped history (the proportions of data-sources.md's "Shape of real
 * histories"), generated once into bench/data/ and reused while the generator's version and
 * options match; plus the built, bundled CLI the benchmarks run as users do.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import {
  generateHistory,
  readMatchingManifest,
  writeManifest,
  type GenerateOptions,
  type HistoryManifest,
} from "../test/generators/transcripts";

export const ROOT = path.resolve(__dirname, "..");
export const DATA = path.join(ROOT, "bench", "data");
/** Fixed end of the generated histories, so the data (and its cache) never depends on the day of the run. */
export const HISTORY_END_MS = Date.parse("2026-11-20T12:00:00.000Z");

export function realHistoryOptions(sizeMb: number, seed: number, days = 60): GenerateOptions {
  return {
    dir: path.join(DATA, `history-${sizeMb}mb-seed${seed}-real${days === 60 ? "" : `-${days}d`}`),
    sizeMb,
    seed,
    endMs: HISTORY_END_MS,
    days,
    shape: "real",
  };
}

/** The history for these options: cached when its manifest matches, else (re)generated. */
export function ensureRealHistory(opts: GenerateOptions): {
  manifest: HistoryManifest;
  generatedMs: number | null;
} {
  const cached = readMatchingManifest(opts);
  if (cached) return { manifest: cached, generatedMs: null };
  log(`generating a real-shaped ${opts.sizeMb} MB history (seed ${opts.seed}) in ${opts.dir} ...`);
  fs.rmSync(opts.dir, { recursive: true, force: true });
  const started = performance.now();
  const manifest = writeManifest(generateHistory(opts), opts);
  return { manifest, generatedMs: performance.now() - started };
}

/**
 * The CLI as it ships: `npm run package`'s bin (dist/package/dist/quotacast.js, the launcher
 * that runs the bundle cli.js, core inlined), built now so it matches the working tree. Its registry dependencies resolve from the
 * repo's node_modules (installing the tarball would fetch better-sqlite3's native build).
 */
export function builtCli(): string {
  execFileSync("npx", ["tsx", path.join(ROOT, "scripts", "package.ts")], { cwd: ROOT, stdio: "ignore" });
  const cli = path.join(ROOT, "dist", "package", "dist", "quotacast.js");
  if (!fs.existsSync(cli)) throw new Error(`${cli} missing after scripts/package.ts`);
  return cli;
}

export interface ProcessRun {
  wallMs: number;
  /** Peak RSS from GNU time (`%M`), KB; null without /usr/bin/time. */
  maxRssKb: number | null;
  stdout: string;
}

/** Runs a process to its end, timing it from spawn to exit, with its peak RSS. */
export function timedProcess(command: string, args: string[], env: NodeJS.ProcessEnv): ProcessRun {
  const useTime = fs.existsSync("/usr/bin/time");
  const started = performance.now();
  const result = useTime
    ? spawnSync("/usr/bin/time", ["-f", "QCBENCH_MAXRSS_KB=%M", command, ...args], {
        env,
        maxBuffer: 1 << 30,
        encoding: "utf8",
      })
    : spawnSync(command, args, { env, maxBuffer: 1 << 30, encoding: "utf8" });
  const wallMs = performance.now() - started;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (${result.status}): ${result.stderr}`);
  }
  const rss = /QCBENCH_MAXRSS_KB=(\d+)/.exec(result.stderr ?? "");
  return { wallMs, maxRssKb: rss ? Number(rss[1]) : null, stdout: result.stdout };
}

export function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}
