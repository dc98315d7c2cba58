/**
 * `quotacast bench forecast`: scores every forecasting strategy side by side on datasets in
 * the reference JSON format (claumon's), on the synthetic regimes, or on windows rebuilt
 * from a transcript directory. The math lives in the forecast-eval workspace (loaded here on
 * demand, never by core or the other commands); this file reads and writes files.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseCommandArgs } from "../args";
import { UsageLedger, costUsd, forecastWindows, totalTokens, type CostPoint } from "@quotacast/core";
import type { BenchResult, BenchWindow } from "@quotacast/forecast-eval";

/** The evaluation module, loaded on first use (it is not part of core; no other command loads it). */
function evaluation(): typeof import("@quotacast/forecast-eval") {
  return require("@quotacast/forecast-eval") as typeof import("@quotacast/forecast-eval");
}

const USAGE = `usage: quotacast bench forecast [options]

  --dataset FILE            a dataset in the reference JSON format (claumon's)
  --from-transcripts DIR    build datasets (5-hour and 7-day windows) from a Claude config dir
  --limit-usd N             API-equivalent USD per 100% of the 5-hour window (with --from-transcripts)
  --weekly-limit-usd N      USD per 100% of the 7-day window (default 10 x --limit-usd)
  --save-dataset DIR        also write the built datasets there (reference JSON format)
  --protocol loso|temporal  leave-one-session-out (default) or temporal 60/40 holdout
  --json                    print the results as JSON
  --out FILE                where the synthetic run writes its report (default bench/FORECAST.md)
  --data-dir DIR            where the synthetic run writes its datasets and finds extra ones
                            (default bench/data/forecast, git-ignored)

Without --dataset or --from-transcripts: runs the five synthetic regimes (and every other
dataset in the data dir) with both protocols and writes the report.
`;

export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === "--help" || sub === "-h") {
    process.stdout.write(USAGE);
    return 0;
  }
  if (sub !== "forecast") {
    process.stderr.write(
      sub === undefined ? USAGE : `quotacast bench: unknown benchmark '${sub}'\n\n${USAGE}`,
    );
    return 2;
  }
  let args;
  try {
    args = parseCommandArgs({
      args: rest,
      options: {
        dataset: { type: "string" },
        "from-transcripts": { type: "string" },
        "limit-usd": { type: "string" },
        "weekly-limit-usd": { type: "string" },
        "save-dataset": { type: "string" },
        protocol: { type: "string", default: "loso" },
        json: { type: "boolean", default: false },
        out: { type: "string" },
        "data-dir": { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    process.stderr.write(`quotacast bench forecast: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const protocol = args.protocol;
  if (protocol !== "loso" && protocol !== "temporal") {
    process.stderr.write(
      `quotacast bench forecast: --protocol must be loso or temporal, not '${protocol}'\n`,
    );
    return 2;
  }

  if (args.dataset) {
    let parsed;
    try {
      parsed = evaluation().parseBenchDataset(JSON.parse(fs.readFileSync(args.dataset, "utf8")));
    } catch (err) {
      process.stderr.write(`quotacast bench forecast: ${args.dataset}: ${(err as Error).message}\n`);
      return 1;
    }
    const result = evaluation().runForecastBench(parsed.name, parsed.windows, protocol, undefined, Date.now);
    printResults([result], args.json);
    return 0;
  }

  if (args["from-transcripts"]) {
    const limitUsd = Number(args["limit-usd"]);
    if (!(limitUsd > 0)) {
      process.stderr.write(
        "quotacast bench forecast: --from-transcripts needs --limit-usd N (USD per 100% of the 5-hour window)\n",
      );
      return 2;
    }
    const weeklyLimitUsd =
      args["weekly-limit-usd"] !== undefined ? Number(args["weekly-limit-usd"]) : limitUsd * 10;
    if (!(weeklyLimitUsd > 0)) {
      process.stderr.write("quotacast bench forecast: --weekly-limit-usd must be a positive number\n");
      return 2;
    }
    const configDir = configDirOf(args["from-transcripts"]);
    if (!configDir) {
      process.stderr.write(
        `quotacast bench forecast: ${args["from-transcripts"]}: no projects/ directory with transcripts there\n`,
      );
      return 1;
    }
    const costs = await transcriptCosts(configDir);
    const base = path.basename(path.resolve(configDir)) || "transcripts";
    const datasets: Array<{ name: string; windows: BenchWindow[] }> = [
      {
        name: `${base}-5h`,
        windows: evaluation().windowsFromCosts(costs, { windowLengthMs: 5 * 3600_000, limitUsd }),
      },
      {
        name: `${base}-7d`,
        windows: evaluation().windowsFromCosts(costs, {
          windowLengthMs: 7 * 24 * 3600_000,
          limitUsd: weeklyLimitUsd,
        }),
      },
    ];
    if (args["save-dataset"]) {
      fs.mkdirSync(args["save-dataset"], { recursive: true });
      for (const d of datasets)
        writeJson(
          path.join(args["save-dataset"], `${d.name}.json`),
          evaluation().toBenchDataset(d.name, d.windows),
        );
    }
    const results = datasets
      .filter((d) => d.windows.length >= 3)
      .map((d) => evaluation().runForecastBench(d.name, d.windows, protocol, undefined, Date.now));
    if (results.length === 0) {
      process.stderr.write("quotacast bench forecast: fewer than 3 completed windows in these transcripts\n");
      return 1;
    }
    printResults(results, args.json, true);
    return 0;
  }

  const dataDir = args["data-dir"] ?? path.join("bench", "data", "forecast");
  const out = args.out ?? path.join("bench", "FORECAST.md");
  fs.mkdirSync(dataDir, { recursive: true });
  const runs: Array<{ loso: BenchResult; temporal: BenchResult }> = [];
  const syntheticNames = new Set<string>();
  for (const regime of evaluation().SYNTHETIC_REGIMES) {
    const windows = evaluation().syntheticWindows(regime, { windows: 60, seed: 1 });
    const name = `synthetic-${regime}`;
    syntheticNames.add(`${name}.json`);
    writeJson(path.join(dataDir, `${name}.json`), evaluation().toBenchDataset(name, windows));
    runs.push(benchBoth(name, windows));
    process.stderr.write(`${name}: done\n`);
  }
  for (const file of fs.readdirSync(dataDir).sort()) {
    if (!file.endsWith(".json") || syntheticNames.has(file)) continue;
    const parsed = evaluation().parseBenchDataset(
      JSON.parse(fs.readFileSync(path.join(dataDir, file), "utf8")),
    );
    runs.push(benchBoth(parsed.name, parsed.windows));
    process.stderr.write(`${parsed.name}: done\n`);
  }
  fs.writeFileSync(out, renderReport(runs, measureLatency()));
  if (args.json)
    printResults(
      runs.map((r) => r.loso),
      true,
      true,
    );
  else process.stdout.write(`wrote ${out}\n`);
  return 0;
}

function benchBoth(name: string, windows: BenchWindow[]): { loso: BenchResult; temporal: BenchResult } {
  return {
    loso: evaluation().runForecastBench(name, windows, "loso", undefined, Date.now),
    temporal: evaluation().runForecastBench(name, windows, "temporal", undefined, Date.now),
  };
}

function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(file, JSON.stringify(value) + "\n");
}

/** Accepts a config dir (with projects/) or the projects/ dir itself. */
function configDirOf(dir: string): string | null {
  if (fs.existsSync(path.join(dir, "projects"))) return dir;
  if (path.basename(path.resolve(dir)) === "projects" && fs.existsSync(dir))
    return path.dirname(path.resolve(dir));
  return null;
}

async function transcriptCosts(configDir: string): Promise<CostPoint[]> {
  const ledger = new UsageLedger({ configDirs: [configDir] });
  await ledger.refresh();
  const events = await ledger.events();
  return events.map((e) => ({
    timestampMs: e.timestampMs,
    costUsd: costUsd(e) ?? 0,
    tokens: totalTokens(e),
  }));
}

function jsonOf(result: BenchResult): unknown {
  return {
    dataset: result.dataset,
    protocol: result.protocol,
    windows: result.windows,
    strategies: result.strategies.map((s) => ({
      name: s.name,
      overall: s.overall,
      segments: s.segments,
    })),
  };
}

/** JSON: the first dataset's result at the top level; with several (or when asked), all under `datasets`. */
function printResults(
  results: BenchResult[],
  json: boolean | undefined,
  listDatasets = results.length > 1,
): void {
  if (json) {
    const first = jsonOf(results[0]) as object;
    const payload = listDatasets ? { ...first, datasets: results.map(jsonOf) } : first;
    process.stdout.write(JSON.stringify(payload, null, 2) + "\n");
    return;
  }
  for (const r of results) {
    process.stdout.write(
      `\n## ${r.dataset} (${r.protocol}, ${r.windows} windows)\n\n${evaluation().benchTableMarkdown(r)}\n\n${evaluation().benchSegmentsMarkdown(r)}\n`,
    );
  }
}

/** Median wall and CPU time of forecasting all windows of the latency fixture, after warm-up. */
function measureLatency(): { wallMs: number; cpuMs: number } {
  const inputs = evaluation().latencyFixture();
  for (let k = 0; k < 5; k++) forecastWindows(inputs);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let k = 0; k < 21; k++) {
    const t = performance.now();
    const c = process.cpuUsage();
    forecastWindows(inputs);
    const used = process.cpuUsage(c);
    wall.push(performance.now() - t);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { wallMs: median(wall), cpuMs: median(cpu) };
}

function renderReport(
  runs: Array<{ loso: BenchResult; temporal: BenchResult }>,
  latency: { wallMs: number; cpuMs: number },
): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const lines = [
    "# Forecast benchmark",
    "",
    `Generated by \`quotacast bench forecast\` on ${new Date().toISOString()} (${os.platform()} ${os.arch()}, ${cpu}, ${os.cpus().length} cores, Node ${process.version}).`,
    "Protocol and regimes: see docs/reference forecasting.md and the notes at the end of this file.",
    `Latency: forecasting all windows (a 5-hour window with 199 past windows, fit included, and a 7-day window polled every 2 min with 8 past weeks) takes ${latency.wallMs.toFixed(1)} ms wall, ${latency.cpuMs.toFixed(1)} ms CPU (median of 21, after warm-up; the machine is shared, load average ${os.loadavg()[0].toFixed(1)}).`,
    "",
    "CRPS in utilization fractions (0.05 = 5 points); lower is better. Every strategy is scored from its",
    "quantiles at 0.01..0.99 (CRPS = 2 x mean pinball loss over that grid; exact MAE for point forecasts).",
    "",
    "## Headline (leave-one-session-out)",
    "",
    "| dataset | quotacast CRPS | best other | its CRPS | improvement | quotacast cov. 80% | quotacast-cold cov. 80% |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const r of runs) {
    const h = evaluation().headline(r.loso);
    const cold = r.loso.strategies.find((s) => s.name === "quotacast-cold");
    lines.push(
      `| ${r.loso.dataset} | ${h.ours.toFixed(4)} | ${h.bestOther} | ${h.bestOtherCrps.toFixed(4)} | ${(100 * h.improvement).toFixed(1)}% | ${(100 * h.coverage80).toFixed(1)}% | ${cold ? (100 * cold.overall.coverage80).toFixed(1) + "%" : "-"} |`,
    );
  }
  const pooled = (prefix: string): string => {
    let covered = 0;
    let n = 0;
    for (const r of runs.filter((x) => x.loso.dataset.startsWith(prefix))) {
      const cold = r.loso.strategies.find((s) => s.name === "quotacast-cold");
      if (cold) {
        covered += cold.overall.coverage80 * cold.overall.n;
        n += cold.overall.n;
      }
    }
    return n ? `${((100 * covered) / n).toFixed(1)}% of ${n} points` : "-";
  };
  lines.push(
    "",
    `quotacast-cold (zero past windows) 80% coverage pooled over the synthetic regimes: ${pooled("synthetic-")}; over all datasets: ${pooled("")}.`,
  );
  for (const r of runs) {
    for (const res of [r.loso, r.temporal]) {
      const timing = Object.entries(res.elapsedMs)
        .map(([k, v]) => `${k} ${v} ms`)
        .join(", ");
      lines.push(
        "",
        `## ${res.dataset}: ${res.protocol === "loso" ? "leave-one-session-out" : "temporal holdout 60/40"} (${res.windows} windows)`,
        "",
        evaluation().benchTableMarkdown(res),
        "",
        evaluation().benchSegmentsMarkdown(res),
        "",
        `Time (fit + forecasts, all folds): ${timing}.`,
      );
    }
  }
  lines.push("", NOTES);
  return lines.join("\n") + "\n";
}

const NOTES = `## The quotacast model (core/src/forecast/model.ts)

- Utilization at reset = current + remaining increment. Central value = time left x a rate from a
  ridge regression (shrunk toward half to-date rate, half prior rate) of the future average rate on:
  the recent (last 10% of the window) and longer (30%) rates, the to-date rate, a recency-weighted
  prior rate of past windows (recency scale chosen by leave-one-out among 3 d, 7 d, 21 d, none), the
  same prior restricted to windows at the same time of day and part of the week, interactions with
  the elapsed fraction and with a stop signal 1 - exp(-idle / typical pause) (the typical pause is the
  90th percentile of this user's gaps between increases). Fitted by replaying past windows at 12
  points each (6 beyond 60 windows; the latest 120 windows).
- Spread: the ratios (actual + 0.02) / (predicted + 0.02) of the replay, cross-fitted (5 folds by
  window), weighted by similarity of elapsed fraction and stop signal, plus 3 pseudo-observations of
  a generic prior (stop mass growing with idleness, log-normal otherwise); quantiles of that weighted
  sample. No sampling: deterministic, a few ms per forecast. Abandonment probability = the predictive
  mass at no further increase. With a learned limit, the transcript cost since the last poll moves the
  current value, and the cost stream gives the recent rate and the idle time.
- Cold start (no past window): rate = 0.2 x recent + 0.8 x to-date (blended with the transcript spend
  profile when there is one), spread from the generic prior alone (set once on the pooled regimes).

## Notes

- Forecast points: 6 per window at (k + 0.5)/6 of [first snapshot + 30 min, reset - 30 min]; only
  snapshots up to the point are visible; the target is u_final. Segments: engaged/abandoned = u_final
  at or above / below the dataset median; near/far = time to reset below / above the median.
- Strategies: quotacast (this repo's model), quotacast-cold (the same model with zero past windows:
  the generic prior, and on transcript datasets the spend profile of the 4 weeks of transcripts
  before the window, converted with a limit learned from the window's own polls so far), claumon-v2.1 (re-implemented from its published description: 30-min OLS rate
  blended with an empirical-Bayes prior, noise fitted on 6 replayed points per past window, 500
  Gamma-process paths on a 5-minute grid, no forecast before 2 completed windows), prior-rate
  (current + mean u_final/D x time left), linear (u / elapsed x time left), climatology (normal with
  mean and sd of past u_final, as in the reference), flat.
- Synthetic regimes (regenerated by the command into bench/data/forecast/synthetic-*.json, seed 1, 60 five-hour windows, 3 a day,
  polled every 2 min in whole percents, capped at 100%): per-window rate log-normal around 13%/h
  (sd 0.3 in log), Gamma increments per poll; linear = constant rate; decel = 1.5x the rate until
  35-75% of the window, then 0.3x; abandonment = half the windows stop for good at 10-80% of the
  window; bursty = on/off periods (exponential, 20 min on at 3x, 40 min off); drift = the typical
  rate triples over the 60 windows (log sd 0.2 per window).
- Transcript datasets (when present in the data dir): built with
  \`quotacast bench forecast --from-transcripts DIR --limit-usd N --save-dataset bench/data/forecast\`:
  5-hour windows start at the first event after the previous reset (floored to the hour), 7-day
  windows likewise; utilization = cumulative API-equivalent cost / limit (7-day: 10 x the limit),
  polled every 2 min in whole percents, not capped; each window keeps its per-minute costs, which
  quotacast uses (with a limit learned from the training windows) and the others ignore. Each
  minute's costs are labelled with the minute's end, so a forecast at a whole minute sees only
  what was already spent (labelled with its start, it saw the next 60 s).
  \`npm run bench:forecast\` builds them from three generated histories (seeds 7, 3, 11; 26 weeks,
  600 MB each, limit 10 USD): ~500 five-hour and 26 weekly windows each.
- ETA MAE: mean |predicted - actual| time of first reaching 100%, over points where both happen later.`;
