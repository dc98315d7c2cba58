/**
 * `npm run bench`: quotacast's transcript engine against ccusage 20 on a generated ~500 MB
 * Claude Code history (cached in bench/data/). Measures the cold full scan (fresh process),
 * warm refreshes, how fast an appended line shows up, peak RSS, and compares per-day token
 * totals and costs with ccusage. Writes its section of bench/RESULTS.md.
 *
 *   npx tsx bench/run.ts [--size-mb 500] [--seed 1] [--runs 3]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import {
  generateHistory,
  readMatchingManifest,
  truthByDay,
  writeManifest,
  type GenerateOptions,
  type HistoryManifest,
} from "../test/generators/transcripts";
import { timedProcess, type ProcessRun } from "./real-history";
import { CCUSAGE_VERSION, ensureCcusage } from "./ccusage";
import { SCAN_THREADS_ENV, type ColdScanOutput } from "./cold-scan";
import {
  HISTORY_ARGS,
  listJsonl,
  machineDescription,
  median,
  warmPageCache,
  writeResultsSection,
} from "./results";
import {
  TOKEN_TYPES,
  ccusageDailyModel,
  dayDifferences,
  dayTokens,
  sumDays,
  type DayDifference,
  type DayTokens,
} from "./compare";

const ROOT = path.resolve(__dirname, "..");
const DATA = path.join(ROOT, "bench", "data");
const TIMEZONE = "UTC";
/** Fixed end of the generated history, so the data (and its cache) never depends on the day of the run. */
const HISTORY_END_MS = Date.parse("2026-11-20T12:00:00.000Z");

const TARGETS = { coldRatio: 1.25, warmMs: 20, appendMs: 50, rssMb: 250 };

interface Expected {
  truthDays: Record<string, DayTokens>;
  ccusageModelDays: Record<string, DayTokens>;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ...HISTORY_ARGS,
      runs: { type: "string", default: "5" },
      "clean-size-mb": { type: "string", default: "500" },
    },
  });
  const sizeMb = Number(values["size-mb"]);
  const seed = Number(values.seed);
  const runs = Math.max(1, Number(values.runs));
  const cleanSizeMb = Number(values["clean-size-mb"]);
  const dataDir = path.join(DATA, `history-${sizeMb}mb-seed${seed}`);
  const appendMarker = path.join(DATA, "append-in-progress.json");

  repairInterruptedAppend(appendMarker);
  const { manifest, expected, generatedMs } = ensureHistory({
    dir: dataDir,
    sizeMb,
    seed,
    endMs: HISTORY_END_MS,
  });
  log(`history: ${manifest.files} files, ${(manifest.bytesWritten / 1e6).toFixed(0)} MB in ${dataDir}`);

  // The history as issue #2 specifies it (streamed and cross-file copies, subagents, malformed
  // lines), without the two cases the main one adds and ccusage counts differently: every
  // response has a requestId and no line has `cwd: null`. There the totals must be equal.
  const cleanDir = path.join(DATA, `history-${cleanSizeMb}mb-seed${seed + 1}-clean`);
  const clean = ensureHistory({
    dir: cleanDir,
    sizeMb: cleanSizeMb,
    seed: seed + 1,
    endMs: HISTORY_END_MS,
    missingRequestIdRatio: 0,
    nullCwdRatio: 0,
  });

  const child = bundleColdScan();
  warmPageCache(dataDir);
  const emptyHome = fs.mkdtempSync(path.join(os.tmpdir(), "qc-bench-home-"));

  const ours: { timed: ProcessRun; out: ColdScanOutput }[] = [];
  const theirs: ProcessRun[] = [];
  const theirsOneCore: ProcessRun[] = [];
  const oursOneThread: ProcessRun[] = [];
  const oneThreadEnv = { ...process.env, [SCAN_THREADS_ENV]: "1" };
  for (let i = 0; i < runs; i++) {
    log(`run ${i + 1}/${runs}: ccusage`);
    theirs.push(runCcusage(dataDir, emptyHome));
    theirsOneCore.push(runCcusage(dataDir, emptyHome, true));
    log(`run ${i + 1}/${runs}: quotacast cold scan`);
    const timed = timedProcess(process.execPath, [...child, dataDir, TIMEZONE], process.env);
    ours.push({ timed, out: JSON.parse(timed.stdout) as ColdScanOutput });
    oursOneThread.push(timedProcess(process.execPath, [...child, dataDir, TIMEZONE], oneThreadEnv));
  }
  log("equality check on the clean history");
  const cleanOurs = JSON.parse(
    timedProcess(process.execPath, [...child, cleanDir, TIMEZONE], process.env).stdout,
  ) as ColdScanOutput;
  const cleanTheirs = runCcusage(cleanDir, emptyHome);
  log("quotacast warm refreshes and appended lines");
  const appendFile = pickAppendFile(dataDir);
  const incremental = JSON.parse(
    timedProcess(
      process.execPath,
      [...child, dataDir, TIMEZONE, "--incremental", appendFile, appendMarker],
      process.env,
    ).stdout,
  ) as ColdScanOutput;
  fs.rmSync(emptyHome, { recursive: true, force: true });

  const cleanCheck = {
    manifest: clean.manifest,
    expected: clean.expected,
    ours: cleanOurs,
    ccusage: JSON.parse(cleanTheirs.stdout) as { daily: CcusageDay[] },
  };
  const section = renderSection({
    manifest,
    expected,
    generatedMs,
    ours,
    theirs,
    theirsOneCore,
    oursOneThread,
    incremental,
    runs,
    sizeMb,
    seed,
    cleanCheck,
  });
  writeResultsSection("transcripts", section);
  process.stdout.write(section + "\n");
  log("wrote bench/RESULTS.md");
}

// ---------------------------------------------------------------- data

function describeEqualDays(differences: DayDifference[], days: number): string {
  return differences.length === 0 ? `all ${days} days` : `${days - differences.length} of ${days} days`;
}

function ensureHistory(opts: GenerateOptions): {
  manifest: HistoryManifest;
  expected: Expected;
  generatedMs: number | null;
} {
  const expectedPath = `${opts.dir}.expected.json`;
  const cached = readMatchingManifest(opts);
  if (cached && fs.existsSync(expectedPath)) {
    return {
      manifest: cached,
      expected: JSON.parse(fs.readFileSync(expectedPath, "utf8")) as Expected,
      generatedMs: null,
    };
  }
  log(`generating ${opts.sizeMb} MB of transcripts (seed ${opts.seed}) ...`);
  fs.rmSync(opts.dir, { recursive: true, force: true });
  const started = performance.now();
  const history = generateHistory(opts);
  const generatedMs = performance.now() - started;
  const manifest = writeManifest(history, opts);
  const expected: Expected = {
    truthDays: Object.fromEntries(
      [...truthByDay(history.events, TIMEZONE)].map(([day, t]) => [day, dayTokens(t)]),
    ),
    ccusageModelDays: Object.fromEntries(ccusageDailyModel(history.events, TIMEZONE)),
  };
  fs.writeFileSync(expectedPath, JSON.stringify(expected));
  return { manifest, expected, generatedMs };
}

/** A previous run killed during the append test leaves lines behind: cut them off. */
function repairInterruptedAppend(marker: string): void {
  if (!fs.existsSync(marker)) return;
  const { file, originalSize } = JSON.parse(fs.readFileSync(marker, "utf8")) as {
    file: string;
    originalSize: number;
  };
  if (fs.existsSync(file)) fs.truncateSync(file, originalSize);
  fs.rmSync(marker);
}

/** A mid-sized session transcript (a typical file to append to). */
function pickAppendFile(dataDir: string): string {
  const files = listJsonl(path.join(dataDir, "projects"))
    .map((f) => ({ f, size: fs.statSync(f).size }))
    .sort((a, b) => a.size - b.size);
  return files[Math.floor(files.length / 2)].f;
}

// ---------------------------------------------------------------- processes

/**
 * Node arguments that run the cold-scan process: bundled to plain JS with esbuild (what a
 * user runs is compiled code, not TypeScript compiled on the fly), or through tsx when
 * esbuild (installed with tsx) cannot be loaded.
 */
function bundleColdScan(): string[] {
  const outfile = path.join(DATA, "cold-scan.cjs");
  const source = path.join(ROOT, "bench", "cold-scan.ts");
  fs.mkdirSync(DATA, { recursive: true });
  let esbuild: typeof import("esbuild");
  try {
    esbuild = require("esbuild") as typeof import("esbuild");
  } catch {
    log("esbuild not found: running the scan through tsx (slower start-up)");
    return ["--import", "tsx", source];
  }
  const bundle = {
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    logLevel: "warning",
  } as const;
  esbuild.buildSync({ ...bundle, entryPoints: [source], outfile });
  // The scan worker next to the bundle, where the ledger looks for it (as in core's dist/).
  const worker = path.join(ROOT, "core", "src", "ingest", "scan-worker.ts");
  esbuild.buildSync({ ...bundle, entryPoints: [worker], outfile: path.join(DATA, "scan-worker.js") });
  return [outfile];
}

/** `singleThread`: `ccusage claude daily --single-thread`, the same work on one core. */
function runCcusage(dataDir: string, emptyHome: string, singleThread = false): ProcessRun {
  // An empty HOME keeps ccusage from also reading other agents' data on this machine.
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: emptyHome,
    CLAUDE_CONFIG_DIR: dataDir,
    NO_COLOR: "1",
    TZ: TIMEZONE,
  };
  const args = ["daily", "--json", "--offline", "--timezone", TIMEZONE];
  return timedProcess(ensureCcusage(), singleThread ? ["claude", ...args, "--single-thread"] : args, env);
}

interface CcusageDay {
  date?: string;
  period?: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalCost: number;
  modelBreakdowns: { modelName: string; cost: number }[];
}

// ---------------------------------------------------------------- report

interface ReportInput {
  manifest: HistoryManifest;
  expected: Expected;
  generatedMs: number | null;
  ours: { timed: ProcessRun; out: ColdScanOutput }[];
  theirs: ProcessRun[];
  theirsOneCore: ProcessRun[];
  oursOneThread: ProcessRun[];
  incremental: ColdScanOutput;
  runs: number;
  sizeMb: number;
  seed: number;
  cleanCheck: {
    manifest: HistoryManifest;
    expected: Expected;
    ours: ColdScanOutput;
    ccusage: { daily: CcusageDay[] };
  };
}

function renderSection(input: ReportInput): string {
  const { manifest, expected, ours, theirs, incremental } = input;
  const first = ours[0].out;
  const ourDays = new Map(first.days.map((d) => [d.period, dayTokens(d)]));
  const ccusageJson = JSON.parse(theirs[0].stdout) as { daily: CcusageDay[] };
  const ccDays = new Map(ccusageJson.daily.map((d) => [d.date ?? d.period ?? "", dayTokens(d)]));
  const truthDays = new Map(Object.entries(expected.truthDays));
  const modelDays = new Map(Object.entries(expected.ccusageModelDays));

  const oursVsCcusage = dayDifferences(ourDays, ccDays);
  const oursVsTruth = dayDifferences(truthDays, ourDays);
  const ccusageVsModel = dayDifferences(modelDays, ccDays);
  const clean = input.cleanCheck;
  const cleanCcDays = new Map(clean.ccusage.daily.map((d) => [d.date ?? d.period ?? "", dayTokens(d)]));
  const cleanOurDays = new Map(clean.ours.days.map((d) => [d.period, dayTokens(d)]));
  const cleanDiffs = dayDifferences(cleanOurDays, cleanCcDays);
  const cleanTruthDays = new Map(Object.entries(clean.expected.truthDays));
  const cleanVsTruth = dayDifferences(cleanTruthDays, cleanOurDays);

  const ourWall = median(ours.map((o) => o.timed.wallMs));
  const ourScan = median(ours.map((o) => o.out.scanMs + o.out.aggregateMs));
  const ccWall = median(theirs.map((t) => t.wallMs));
  const ccOneCoreWall = median(input.theirsOneCore.map((t) => t.wallMs));
  const ourOneThreadWall = median(input.oursOneThread.map((t) => t.wallMs));
  const ratio = ourWall / ccWall;
  const warm = incremental.warmRefreshMs ?? [];
  const append = incremental.appendVisibleMs ?? [];
  const rssMb = Math.max(...ours.map((o) => o.out.maxRssKb)) / 1024;
  const ccRss = theirs.map((t) => t.maxRssKb).filter((v): v is number => v !== null);
  const ok = (pass: boolean) => (pass ? "yes" : "**no**");

  const lines: string[] = [];
  lines.push("## Transcript scan: quotacast vs ccusage 20 (`npm run bench`)");
  lines.push("");
  lines.push(
    `Run: ${new Date().toISOString()}. Machine: ${machineDescription()}. ` +
      `Shared machine (other engineers' jobs may run at the same time; load average ${os.loadavg()[0].toFixed(1)} ` +
      `at the end of the run): figures are medians of ${input.runs} runs.`,
  );
  lines.push("");
  lines.push(
    `Data: generated with \`test/generators/transcripts.ts\` (seed ${input.seed}, ${input.sizeMb} MB target): ` +
      `${manifest.files} transcript files, ${(manifest.bytesWritten / 1e6).toFixed(0)} MB, ${manifest.events} ` +
      `deduplicated responses written as ${manifest.usageLinesWritten} usage lines, ${manifest.invalidLines} invalid lines, ` +
      `60 days ending ${new Date(manifest.endMs).toISOString()}` +
      (input.generatedMs !== null
        ? `; generated in ${(input.generatedMs / 1000).toFixed(1)} s.`
        : " (cached in bench/data/)."),
  );
  lines.push(
    `Page cache warm for both tools; time zone ${TIMEZONE}; ccusage run as ` +
      `\`ccusage daily --json --offline\` (ccusage ${CCUSAGE_VERSION}, its native ${process.platform}-${process.arch} binary, ` +
      "installed by bench/ccusage.ts) with `CLAUDE_CONFIG_DIR` set and an empty `HOME`.",
  );
  lines.push("");
  lines.push("| measure | quotacast | ccusage 20 | target | met |");
  lines.push("|---|---|---|---|---|");
  lines.push(
    `| cold full scan, fresh process, wall (spawn to exit); quotacast with ${first.scanThreads} scan workers | ${fmtMs(ourWall)} | ${fmtMs(ccWall)} | <= ${TARGETS.coldRatio}x ccusage | ${ok(ratio <= TARGETS.coldRatio)} |`,
  );
  lines.push(
    `| time ratio quotacast / ccusage | ${ratio.toFixed(2)}x | | <= ${TARGETS.coldRatio}x | ${ok(ratio <= TARGETS.coldRatio)} |`,
  );
  lines.push(
    `| same, both on one thread (\`ccusage claude daily --single-thread\`; quotacast without scan workers) | ${fmtMs(ourOneThreadWall)} | ${fmtMs(ccOneCoreWall)} | ratio ${(ourOneThreadWall / ccOneCoreWall).toFixed(2)}x (for information) | |`,
  );
  lines.push(
    `| cold scan inside the process (UsageLedger.refresh + events + aggregateByPeriod day) | ${fmtMs(ourScan)} | | | |`,
  );
  lines.push(
    `| warm refresh, nothing changed (median / max of ${warm.length}) | ${fmtMs(median(warm))} / ${fmtMs(Math.max(...warm))} | | < ${TARGETS.warmMs} ms | ${ok(median(warm) < TARGETS.warmMs)} |`,
  );
  lines.push(
    `| appended usage line visible (append + refresh, median / max of ${append.length}) | ${fmtMs(median(append))} / ${fmtMs(Math.max(...append))} | | < ${TARGETS.appendMs} ms | ${ok(median(append) < TARGETS.appendMs)} |`,
  );
  lines.push(
    `| peak RSS of the cold scan (process.resourceUsage().maxRSS) | ${rssMb.toFixed(0)} MB | ${ccRss.length ? `${(Math.max(...ccRss) / 1024).toFixed(0)} MB (GNU time)` : "n/a"} | < ${TARGETS.rssMb} MB | ${ok(rssMb < TARGETS.rssMb)} |`,
  );
  const cleanMb = (clean.manifest.bytesWritten / 1e6).toFixed(0);
  lines.push(
    `| per-day totals of the 4 token types equal to ccusage's, on a ${cleanMb} MB history as issue #2 specifies it (seed ${clean.manifest.seed}: streamed copies with growing output, cross-file copies, subagents, malformed lines; every response has a requestId) | ${cleanCcDays.size - countDays(cleanDiffs, cleanCcDays)} of ${cleanCcDays.size} days equal | | all days | ${ok(cleanDiffs.length === 0)} |`,
  );
  lines.push(
    `| same, on the main history above, which adds responses without requestId (5%) and \`cwd: null\` lines (0.2%) | ${ccDays.size - countDays(oursVsCcusage, ccDays)} of ${ccDays.size} days equal | | differences explained below | for information |`,
  );
  lines.push(
    `| per-day totals equal to the generator's deduplicated truth, both histories | ${describeEqualDays(oursVsTruth, truthDays.size)}; ${describeEqualDays(cleanVsTruth, cleanTruthDays.size)} | | all days | ${ok(oursVsTruth.length === 0 && cleanVsTruth.length === 0)} |`,
  );
  lines.push("");
  lines.push(
    `Runs (wall ms): quotacast ${ours.map((o) => o.timed.wallMs.toFixed(0)).join(", ")}; ccusage ${theirs.map((t) => t.wallMs.toFixed(0)).join(", ")}. ` +
      `quotacast read ${(first.bytesRead / 1e6).toFixed(0)} MB of ${first.filesScanned} files, counted ${first.events} events, ` +
      `skipped ${first.linesSkippedInvalidJson} invalid-JSON and ${first.linesSkippedOther} malformed usage lines.`,
  );
  lines.push("");
  lines.push(...renderTokenTotals(truthDays, ourDays, ccDays));
  lines.push("");
  lines.push(...renderDifferences(oursVsCcusage, oursVsTruth, ccusageVsModel, modelDays));
  lines.push("");
  lines.push(...renderCosts(first, ccusageJson.daily, "main history", oursVsCcusage.length > 0));
  lines.push("");
  lines.push(
    ...renderCosts(
      clean.ours,
      clean.ccusage.daily,
      "history as issue #2 specifies it",
      cleanDiffs.length > 0,
    ),
  );
  return lines.join("\n");
}

function renderTokenTotals(
  truth: Map<string, DayTokens>,
  ours: Map<string, DayTokens>,
  cc: Map<string, DayTokens>,
): string[] {
  const t = sumDays(truth);
  const o = sumDays(ours);
  const c = sumDays(cc);
  const lines = ["| all days | generator truth | quotacast | ccusage 20 |", "|---|---|---|---|"];
  for (const type of TOKEN_TYPES)
    lines.push(`| ${type} | ${fmtInt(t[type])} | ${fmtInt(o[type])} | ${fmtInt(c[type])} |`);
  return lines;
}

function renderDifferences(
  oursVsCcusage: DayDifference[],
  oursVsTruth: DayDifference[],
  ccusageVsModel: DayDifference[],
  modelDays: Map<string, DayTokens>,
): string[] {
  const lines: string[] = [];
  if (oursVsCcusage.length === 0) {
    lines.push("Per-day token totals: quotacast and ccusage 20 agree on every day.");
    return lines;
  }
  lines.push(
    `Per-day token totals differ from ccusage 20 on ${oursVsCcusage.length} days (ccusage minus quotacast):`,
  );
  lines.push("");
  lines.push("| day | input | output | cache create | cache read |");
  lines.push("|---|---|---|---|---|");
  for (const d of oursVsCcusage.slice(0, 10)) {
    lines.push(`| ${d.day} | ${TOKEN_TYPES.map((t) => fmtDelta(d.delta[t])).join(" | ")} |`);
  }
  if (oursVsCcusage.length > 10) lines.push(`| ... ${oursVsCcusage.length - 10} more days | | | | |`);
  lines.push("");
  lines.push(
    oursVsTruth.length === 0
      ? "quotacast equals the generator's deduplicated ground truth on every day, so the differences are ccusage's."
      : `quotacast differs from the generator's ground truth on ${oursVsTruth.length} days: ${oursVsTruth.map((d) => d.day).join(", ")}.`,
  );
  lines.push(
    `Model of ccusage 20's rules (from its binary on hand-made fixtures: \`daily\` does not deduplicate responses ` +
      `without \`requestId\` unless \`isSidechain\` is true, counting every streamed copy (distinct timestamps) and every copy ` +
      `in another file; lines with \`"cwd": null\` or \`"version": null\` are dropped): ` +
      (ccusageVsModel.length === 0
        ? `it predicts ccusage's per-day totals exactly on all ${modelDays.size} days.`
        : `it predicts ccusage on ${modelDays.size - ccusageVsModel.length} of ${modelDays.size} days; unexplained: ${ccusageVsModel
            .slice(0, 10)
            .map((d) => `${d.day} ${JSON.stringify(d.delta)}`)
            .join("; ")}.`),
  );
  lines.push(
    "The reference's dedup rule falls back to `message.id` alone when `requestId` is missing (as gateways and " +
      "proxies write it); ccusage's own tracker has the same finding (issues #797 and #976).",
  );
  return lines;
}

function renderCosts(
  ours: ColdScanOutput,
  ccDaily: CcusageDay[],
  label: string,
  tokensDiffer: boolean,
): string[] {
  const ourCost = ours.days.reduce((s, d) => s + d.costUsd, 0);
  const ourCcRule = ours.days.reduce((s, d) => s + d.costUsdCcusageRule, 0);
  const ccCost = ccDaily.reduce((s, d) => s + d.totalCost, 0);
  const unpriced = [...new Set(ours.days.flatMap((d) => d.unpricedModels))];
  const ccUnpricedCost = ccDaily
    .flatMap((d) => d.modelBreakdowns)
    .filter((b) => unpriced.some((m) => b.modelName === m || b.modelName.startsWith(`${m}-`)))
    .reduce((s, b) => s + b.cost, 0);
  const ccPricedCost = ccCost - ccUnpricedCost;
  const isUnpriced = (name: string) => unpriced.some((m) => name === m || name.startsWith(`${m}-`));
  // ccusage's cost per day without the models quotacast leaves unpriced: the comparable part.
  const byDay = new Map(
    ccDaily.map((d) => [
      d.date ?? d.period ?? "",
      d.modelBreakdowns.filter((b) => !isUnpriced(b.modelName)).reduce((s, b) => s + b.cost, 0),
    ]),
  );
  let maxRel = 0;
  let maxDay = "";
  for (const d of ours.days) {
    const cc = byDay.get(d.period) ?? 0;
    const rel = cc > 0 ? Math.abs(d.costUsdCcusageRule - cc) / cc : 0;
    if (rel > maxRel) {
      maxRel = rel;
      maxDay = d.period;
    }
  }
  return [
    `| cost, all days, ${label} | USD |`,
    "|---|---|",
    `| quotacast (Anthropic long-context rule: whole request at premium rates above 200k input) | ${ourCost.toFixed(2)} |`,
    `| quotacast with ccusage's long-context rule (only tokens above 200k at premium) | ${ourCcRule.toFixed(2)} |`,
    `| ccusage 20 | ${ccCost.toFixed(2)} |`,
    `| ccusage 20's cost of models quotacast does not price (${unpriced.join(", ") || "none"}) | ${ccUnpricedCost.toFixed(2)} |`,
    `| ccusage 20 without those models | ${ccPricedCost.toFixed(2)} |`,
    "",
    `Largest per-day cost difference (quotacast with ccusage's long-context rule vs ccusage without unpriced models): ${(maxRel * 100).toFixed(2)}%` +
      (maxDay && maxRel >= 0.00005 ? ` on ${maxDay}` : "") +
      ". Cost differences come from: models quotacast leaves unpriced (ccusage prices them from its LiteLLM copy), " +
      "the long-context rule" +
      (tokensDiffer ? ", and the token differences above (extra copies ccusage counts)." : "."),
  ];
}

function countDays(diffs: DayDifference[], days: Map<string, DayTokens>): number {
  return diffs.filter((d) => days.has(d.day)).length;
}

function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

function fmtInt(n: number): string {
  return n.toLocaleString("en-US");
}

function fmtDelta(n: number | undefined): string {
  return n === undefined ? "0" : `${n > 0 ? "+" : ""}${fmtInt(n)}`;
}

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
