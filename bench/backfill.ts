/**
 * `npm run bench:backfill`: backfill end to end on a 60-day real-shaped history, as docs/backfill.md
 * tells users to run it: `quotacast backfill` (the bundled CLI, as a process) writes the
 * OpenMetrics file, then `promtool tsdb create-blocks-from openmetrics --max-block-duration=24h`
 * turns it into blocks. Times both, and compares the file with the transcripts it summarizes.
 * (That Prometheus answers `increase` over a day and over the whole range as the live counters
 * is test/exporter/backfill/prometheus.test.ts's job.) Writes the `backfill` section of bench/RESULTS.md.
 *
 *   npx tsx bench/backfill.ts [--size-mb 500] [--seed 1]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import {
  builtCli,
  ensureRealHistory,
  fmtMs,
  HISTORY_END_MS,
  log,
  realHistoryOptions,
  timedProcess,
} from "./real-history";
import { HISTORY_ARGS, loadAverages, machineDescription, writeResultsSection } from "./results";

const TARGET_TOTAL_MS = 60_000;

function main(): void {
  const { values } = parseArgs({
    options: HISTORY_ARGS,
  });
  const opts = realHistoryOptions(Number(values["size-mb"]), Number(values.seed));
  const { manifest } = ensureRealHistory(opts);
  const cli = builtCli();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "qc-bench-backfill-"));
  try {
    const env = {
      PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`,
      HOME: tmp,
    };
    const omFile = path.join(tmp, "quotacast.om");
    log("quotacast backfill");
    const written = timedProcess(
      cli,
      [
        "backfill",
        "--no-db",
        `--claude.config-dir=${opts.dir}`,
        "--timezone=UTC",
        `--until=${new Date(HISTORY_END_MS).toISOString()}`,
        "--label=job=quotacast",
        "--label=instance=127.0.0.1:9847",
        `--output=${omFile}`,
      ],
      env,
    );
    const omBytes = fs.statSync(omFile).size;
    const omLines = fs.readFileSync(omFile, "utf8").split("\n").length - 1;
    log("promtool tsdb create-blocks-from openmetrics");
    const blocksDir = path.join(tmp, "blocks");
    const promtool = timedProcess(
      "promtool",
      ["tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=24h", "-q", omFile, blocksDir],
      env,
    );
    const blocks = fs
      .readdirSync(blocksDir)
      .filter((d) => fs.statSync(path.join(blocksDir, d)).isDirectory());
    const total = written.wallMs + promtool.wallMs;
    const ok = (pass: boolean) => (pass ? "yes" : "**no**");
    const lines = [
      "## Backfill end to end (`npm run bench:backfill`)",
      "",
      `Run: ${new Date().toISOString()}. Machine: ${machineDescription()}. Load average at the end: ` +
        `${loadAverages()} (2 shared cores: times are inflated by other jobs).`,
      "",
      `Data: the real-shaped history of the cli section: ${manifest.files} files, ` +
        `${(manifest.bytesWritten / 1e6).toFixed(0)} MB of transcripts, ${manifest.events} messages, 60 days. ` +
        "`quotacast backfill --no-db --timezone=UTC --until=<end of the history> --label job=... --label instance=...` " +
        "(the bundled CLI as a process), then `promtool tsdb create-blocks-from openmetrics --max-block-duration=24h` " +
        "(promtool from the Debian package, `promtool --version` 2.42).",
      "",
      "| measure | value | target | met |",
      "|---|---|---|---|",
      `| \`quotacast backfill\`, wall / peak RSS | ${fmtMs(written.wallMs)} / ${((written.maxRssKb ?? 0) / 1024).toFixed(0)} MB | | |`,
      `| promtool, wall / peak RSS | ${fmtMs(promtool.wallMs)} / ${((promtool.maxRssKb ?? 0) / 1024).toFixed(0)} MB (${blocks.length} blocks) | | |`,
      `| quotacast + promtool | ${fmtMs(total)} | < ${TARGET_TOTAL_MS / 1000} s | ${ok(total < TARGET_TOTAL_MS)} |`,
      `| OpenMetrics file | ${(omBytes / 1e6).toFixed(1)} MB, ${omLines.toLocaleString("en-US")} lines (${((omBytes / manifest.bytesWritten) * 100).toFixed(1)}% of the transcripts' ${(manifest.bytesWritten / 1e6).toFixed(0)} MB) | smaller than the transcripts | ${ok(omBytes < manifest.bytesWritten)} |`,
      "",
      "Samples are written on the 5-minute grid within an hour of a change of the series, and at every " +
        "local midnight (plus a copy 1 ms later): longer quiet stretches write nothing.",
    ];
    const section = lines.join("\n");
    writeResultsSection("backfill", section);
    process.stdout.write(section + "\n");
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
