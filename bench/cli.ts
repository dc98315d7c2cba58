/**
 * `npm run bench:cli`: what users run, as processes, against ccusage 20 on the same
 * real-shaped ~500 MB history: `quotacast daily --json` cold (empty state dir) and warm
 * (nothing changed), interleaved with `ccusage daily --json`, wall time and peak RSS of each;
 * plus start-up (`quotacast --help`, `node -e 0`). The history's own shape figures are
 * printed beside the reference ranges. Writes the `cli` section of bench/RESULTS.md.
 *
 *   npx tsx bench/cli.ts [--size-mb 500] [--seed 1] [--runs 5]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { measureHistoryShape, renderShapeTable } from "../test/generators/shape";
import { CCUSAGE_VERSION, ensureCcusage } from "./ccusage";
import {
  builtCli,
  ensureRealHistory,
  fmtMs,
  log,
  realHistoryOptions,
  timedProcess,
  type ProcessRun,
} from "./real-history";
import {
  HISTORY_ARGS,
  loadAverages,
  machineDescription,
  median,
  warmPageCache,
  writeResultsSection,
} from "./results";

const TIMEZONE = "UTC";
const TARGETS = { coldRatio: 1.0, warmRatio: 0.3, warmMs: 250 };

interface DayRow {
  date: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ...HISTORY_ARGS,
      // 11: a 2-vCPU VM drifts between speed phases within a minute; 5 runs let one phase decide.
      runs: { type: "string", default: "11" },
    },
  });
  const runs = Math.max(1, Number(values.runs));
  const opts = realHistoryOptions(Number(values["size-mb"]), Number(values.seed));
  const { manifest, generatedMs } = ensureRealHistory(opts);
  log("measuring the history's shape");
  const shape = measureHistoryShape(opts.dir);
  const ccusage = ensureCcusage();
  log("building the package (npm run package's bundle)");
  const cli = builtCli();
  warmPageCache(opts.dir);

  const home = fs.mkdtempSync(path.join(os.tmpdir(), "qc-bench-cli-home-"));
  const ccEnv = {
    // The bundle runs through its shebang, as the installed bin does: this node first on PATH.
    PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`,
    HOME: home,
    CLAUDE_CONFIG_DIR: opts.dir,
    NO_COLOR: "1",
    TZ: TIMEZONE,
  };
  const qcArgs = ["daily", "--json", "--timezone", TIMEZONE];
  const ours = { cold: [] as ProcessRun[], warm: [] as ProcessRun[] };
  const theirs: ProcessRun[] = [];
  const startup = { help: [] as ProcessRun[], bare: [] as ProcessRun[] };
  try {
    for (let i = 0; i < runs; i++) {
      log(`run ${i + 1}/${runs}`);
      const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "qc-bench-cli-state-"));
      // Fresh state and compile cache: cold is a first run ever; warm runs with both.
      const qcEnv = { ...ccEnv, XDG_DATA_HOME: stateDir, XDG_CACHE_HOME: stateDir };
      // Interleaved, alternating who goes first, so drift in the machine's load hits both.
      if (i % 2 === 0)
        theirs.push(timedProcess(ccusage, ["daily", "--json", "--offline", "--timezone", TIMEZONE], ccEnv));
      ours.cold.push(timedProcess(cli, qcArgs, qcEnv));
      ours.warm.push(timedProcess(cli, qcArgs, qcEnv));
      if (i % 2 === 1)
        theirs.push(timedProcess(ccusage, ["daily", "--json", "--offline", "--timezone", TIMEZONE], ccEnv));
      startup.help.push(timedProcess(cli, ["--help"], qcEnv));
      startup.bare.push(timedProcess(process.execPath, ["-e", "0"], qcEnv));
      fs.rmSync(stateDir, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }

  const ourDays = (JSON.parse(ours.cold[0].stdout) as { daily: DayRow[] }).daily;
  const warmDays = (JSON.parse(ours.warm[0].stdout) as { daily: DayRow[] }).daily;
  const ccDays = (JSON.parse(theirs[0].stdout) as { daily: DayRow[] }).daily;
  const truthDays = manifest.daysUtc;
  const sameAsTruth = ourDays.filter((d) => {
    const t = truthDays[d.date];
    return (
      t !== undefined &&
      t.inputTokens === d.inputTokens &&
      t.outputTokens === d.outputTokens &&
      t.cacheCreationTokens === d.cacheCreationTokens &&
      t.cacheReadTokens === d.cacheReadTokens
    );
  }).length;
  const ccByDay = new Map(ccDays.map((d) => [d.date, d]));
  const sameAsCcusage = ourDays.filter((d) => {
    const c = ccByDay.get(d.date);
    return c !== undefined && TOKEN_FIELDS.every((f) => c[f] === d[f]);
  }).length;

  const cold = median(ours.cold.map((r) => r.wallMs));
  const warm = median(ours.warm.map((r) => r.wallMs));
  const cc = median(theirs.map((r) => r.wallMs));
  const peak = (rs: ProcessRun[]) => Math.max(...rs.map((r) => r.maxRssKb ?? 0)) / 1024;
  const coldRss = peak(ours.cold);
  const ccRss = peak(theirs);
  const ok = (pass: boolean) => (pass ? "yes" : "**no**");
  const runList = (rs: ProcessRun[]) => rs.map((r) => r.wallMs.toFixed(0)).join(", ");

  const lines: string[] = [];
  lines.push("## The CLI as users run it: `quotacast daily --json` vs ccusage 20 (`npm run bench:cli`)");
  lines.push("");
  lines.push(
    `Run: ${new Date().toISOString()}. Machine: ${machineDescription()}. Load average at the end: ` +
      `${loadAverages()} (2 cores shared with other jobs: absolute times are ` +
      `inflated and noisy; the runs are interleaved so both tools see the same load). Medians of ${runs} runs.`,
  );
  lines.push("");
  lines.push(
    `Data: a real-shaped history from \`test/generators/transcripts.ts --shape real\` (seed ${manifest.seed}): ` +
      `${manifest.files} files, ${(manifest.bytesWritten / 1e6).toFixed(0)} MB, ${manifest.events} deduplicated responses ` +
      `written as ${manifest.usageLinesWritten} usage lines, 60 days ending ${new Date(manifest.endMs).toISOString()}` +
      (generatedMs === null
        ? " (cached in bench/data/)."
        : `; generated in ${(generatedMs / 1000).toFixed(0)} s.`),
  );
  lines.push(
    "quotacast: the bin of `npm run package` (dist/package/dist/quotacast.js, which runs the bundle through its compile cache), executed as installed " +
      `(its shebang, exporter/src/launch.ts: malloc in huge pages through \`GLIBC_TUNABLES\`, then \`node --max-semi-space-size=2 --initial-old-space-size=64\`; Node ${process.version}); cold = an empty \`XDG_DATA_HOME\` and \`XDG_CACHE_HOME\` (no state, no compile cache), warm = the same command again ` +
      `(nothing changed). ccusage ${CCUSAGE_VERSION}: its native binary, \`ccusage daily --json --offline\`. ` +
      "Both with `CLAUDE_CONFIG_DIR` set, an empty `HOME`, time zone UTC, the page cache warm. " +
      "Wall time from spawn to exit; peak RSS from GNU time (`%M`).",
  );
  lines.push("");
  lines.push("| measure | quotacast | ccusage 20 | target | met |");
  lines.push("|---|---|---|---|---|");
  lines.push(
    `| \`daily --json\`, cold (fresh state), wall | ${fmtMs(cold)} (${(cold / cc).toFixed(2)}x) | ${fmtMs(cc)} | <= ${TARGETS.coldRatio}x ccusage | ${ok(cold <= cc * TARGETS.coldRatio)} |`,
  );
  lines.push(
    `| \`daily --json\`, warm (nothing changed), wall | ${fmtMs(warm)} (${(warm / cc).toFixed(2)}x) | ${fmtMs(cc)} | <= ${TARGETS.warmRatio}x ccusage and <= ${TARGETS.warmMs} ms | ${ok(warm <= cc * TARGETS.warmRatio && warm <= TARGETS.warmMs)} |`,
  );
  lines.push(
    `| peak RSS of the cold run | ${coldRss.toFixed(0)} MB | ${ccRss.toFixed(0)} MB | <= ccusage | ${ok(coldRss <= ccRss)} |`,
  );
  // Each cold run beside the ccusage run of the same round (they ran back to back, in the same phase).
  const pairRatios = ours.cold.map((r, i) => r.wallMs / theirs[i].wallMs);
  lines.push(
    `| cold / ccusage within each round: median (lowest-highest) | ${median(pairRatios).toFixed(2)}x (${Math.min(...pairRatios).toFixed(2)}-${Math.max(...pairRatios).toFixed(2)}x) | | for information | |`,
  );
  lines.push(`| peak RSS of the warm run | ${peak(ours.warm).toFixed(0)} MB | | | |`);
  lines.push(
    `| start-up: \`quotacast --help\` / \`node -e 0\` | ${fmtMs(median(startup.help.map((r) => r.wallMs)))} / ${fmtMs(median(startup.bare.map((r) => r.wallMs)))} | | | |`,
  );
  lines.push(
    `| per-day token totals equal to the generator's deduplicated truth | ${sameAsTruth} of ${Object.keys(truthDays).length} days (warm run: ${warmDays.length} days, same totals: ${JSON.stringify(warmDays) === JSON.stringify(ourDays) ? "yes" : "**no**"}) | | all days | ${ok(sameAsTruth === Object.keys(truthDays).length)} |`,
  );
  lines.push(
    `| per-day token totals equal to ccusage's | ${sameAsCcusage} of ${ccDays.length} days | | for information | |`,
  );
  lines.push("");
  lines.push(
    `Runs (wall ms): quotacast cold ${runList(ours.cold)}; warm ${runList(ours.warm)}; ccusage ${runList(theirs)}.`,
  );
  lines.push(
    "Days where ccusage differs: its `daily` does not deduplicate responses without `requestId` " +
      "(the `msg_bdrk_` sessions of this history, 2-9 copies each) and drops no line quotacast counts otherwise; " +
      "see the transcripts section for the model of its rules.",
  );
  lines.push("");
  lines.push("Shape of this history beside the reference (`../shared/reference/data-sources.md`):");
  lines.push("");
  lines.push(...renderShapeTable(shape));
  const section = lines.join("\n");
  writeResultsSection("cli", section);
  process.stdout.write(section + "\n");
}

const TOKEN_FIELDS = ["inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens"] as const;

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
