/**
 * `npx tsx bench/exporter-event-loop.ts`: how long the exporter holds its event loop, in
 * process (no HTTP load): the first ingest of the real-shaped history of the cli section,
 * then forced Summary rebuilds. A 1 ms timer notes every gap between its turns (a gap is
 * one synchronous step plus the timer's own delay); `perf_hooks.monitorEventLoopDelay`
 * gives the distribution. Prints the figures; the target is no step above 50 ms.
 *
 *   npx tsx bench/exporter-event-loop.ts [--size-mb 500] [--seed 1] [--rebuilds 20]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { defaultConfig } from "../exporter/src/config";
import { startExporter } from "../exporter/src/commands/serve";
import { silentLogger } from "../exporter/src/state/log";
import { writeStatuslineFeed } from "../test/fakes/statusline-feed";
import { ensureRealHistory, realHistoryOptions } from "./real-history";

const LONG_STEP_MS = 50;

/** Gaps between the turns of a 1 ms timer, above `LONG_STEP_MS`. */
function gapWatch(): { stop(): number[] } {
  const gaps: number[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last > LONG_STEP_MS) gaps.push(now - last);
    last = now;
  }, 1);
  return {
    stop() {
      clearInterval(timer);
      return gaps;
    },
  };
}

function describe(label: string, run: () => Promise<void>): Promise<void> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const gaps = gapWatch();
  const started = performance.now();
  return run().then(() => {
    const tookMs = performance.now() - started;
    const long = gaps.stop().sort((a, b) => b - a);
    histogram.disable();
    const ms = (ns: number) => (ns / 1e6).toFixed(1);
    process.stdout.write(
      `${label}: ${tookMs.toFixed(0)} ms; event loop delay p50 / p99 / max ${ms(histogram.percentile(50))} / ` +
        `${ms(histogram.percentile(99))} / ${ms(histogram.max)} ms; steps over ${LONG_STEP_MS} ms: ${long.length}` +
        `${
          long.length
            ? ` (longest ${long
                .slice(0, 5)
                .map((g) => g.toFixed(0))
                .join(", ")} ms)`
            : ""
        }; ` +
        `load average ${os.loadavg()[0].toFixed(1)}\n`,
    );
  });
}

/** A statusline feed with both windows, so that the Summary has forecasts to compute. */
function writeBothWindowsFeed(home: string, nowMs: number): void {
  const resetsAt = (hours: number) => Math.floor(nowMs / 1000) + hours * 3600;
  writeStatuslineFeed(home, nowMs, {
    five_hour: { used_percentage: 42, resets_at: resetsAt(2) },
    seven_day: { used_percentage: 18, resets_at: resetsAt(75) },
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "size-mb": { type: "string", default: "500" },
      seed: { type: "string", default: "1" },
      rebuilds: { type: "string", default: "20" },
    },
  });
  const opts = realHistoryOptions(Number(values["size-mb"]), Number(values.seed));
  ensureRealHistory(opts);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "qc-bench-loop-"));
  writeBothWindowsFeed(tmp, Date.now());
  const config = {
    ...defaultConfig(),
    listenAddress: "127.0.0.1:0",
    dbPath: path.join(tmp, "quotacast.db"),
    claudeConfigDirs: [opts.dir],
    timezone: "UTC",
    watch: false,
  };
  const exporter = await startExporter(config, {
    manual: true,
    homeDir: tmp,
    env: { HOME: tmp },
    log: silentLogger,
  });
  try {
    await describe("first ingest", () => exporter.runtime.transcriptsJob.run());
    await exporter.runtime.pollNow("statusline");
    await describe(`${values.rebuilds} Summary rebuilds (two windows with forecasts)`, async () => {
      for (let i = 0; i < Number(values.rebuilds); i++) await exporter.runtime.summarize();
    });
  } finally {
    await exporter.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

void main();
