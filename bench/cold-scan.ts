/**
 * One benchmark process (bundled to plain JS by bench/run.ts, run in a fresh node): a cold
 * full scan with UsageLedger + aggregateByPeriod(day), then optionally warm refreshes with
 * nothing changed and appended lines. Prints one JSON object on stdout.
 *
 *   node cold-scan.cjs CONFIG_DIR TIMEZONE [--incremental APPEND_FILE MARKER_FILE]
 *
 * Scan workers: one per core (as the CLI), or QC_BENCH_SCAN_THREADS of them (1 = none).
 */
import * as fs from "node:fs";
import { performance } from "node:perf_hooks";
import { UsageLedger } from "../core/src/ingest/ledger";
import { defaultScanThreads } from "../core/src/ingest/scan-pool";
import { aggregateByPeriod } from "../core/src/usage/aggregate";

export interface DayFigures {
  period: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  costUsd: number;
  /** Cost with ccusage's long-context rule (only tokens above 200k at premium rates). */
  costUsdCcusageRule: number;
  unpricedModels: string[];
}

export const SCAN_THREADS_ENV = "QC_BENCH_SCAN_THREADS";

export interface ColdScanOutput {
  /** Worker threads the cold scan was allowed (1: read in the main thread). */
  scanThreads: number;
  scanMs: number;
  aggregateMs: number;
  events: number;
  filesScanned: number;
  bytesRead: number;
  linesSkippedInvalidJson: number;
  linesSkippedOther: number;
  /** Peak resident set size of this process after the cold scan and the aggregation, KB. */
  maxRssKb: number;
  days: DayFigures[];
  warmRefreshMs?: number[];
  appendVisibleMs?: number[];
}

async function main(argv: string[]): Promise<void> {
  const [configDir, timezone, mode, appendFile, markerFile] = argv;
  const scanThreads = Number(process.env[SCAN_THREADS_ENV] ?? defaultScanThreads());
  const started = performance.now();
  const ledger = new UsageLedger({ configDirs: [configDir], parallel: { threads: scanThreads } });
  const result = await ledger.refresh();
  const events = await ledger.events();
  const scanned = performance.now();
  const days = aggregateByPeriod(events, { period: "day", timezone });
  const aggregateMs = performance.now() - scanned;
  const ccusageRule = new Map(
    aggregateByPeriod(events, { period: "day", timezone, longContext: "ccusage" }).map((d) => [
      d.period,
      d.costUsd,
    ]),
  );
  const output: ColdScanOutput = {
    scanThreads,
    scanMs: scanned - started,
    aggregateMs,
    events: events.length,
    filesScanned: result.filesScanned,
    bytesRead: result.bytesRead,
    linesSkippedInvalidJson: result.diagnostics.linesSkippedInvalidJson,
    linesSkippedOther: result.diagnostics.linesSkippedOther,
    maxRssKb: process.resourceUsage().maxRSS,
    days: days.map((d) => ({
      period: d.period,
      inputTokens: d.inputTokens,
      outputTokens: d.outputTokens,
      cacheCreationTokens: d.cacheCreationTokens,
      cacheReadTokens: d.cacheReadTokens,
      costUsd: d.costUsd,
      costUsdCcusageRule: ccusageRule.get(d.period) ?? 0,
      unpricedModels: d.unpricedModels,
    })),
  };
  if (mode === "--incremental") {
    output.warmRefreshMs = await warmRefreshes(ledger, 30);
    output.appendVisibleMs = await appendedLines(ledger, appendFile, markerFile, 20);
  }
  process.stdout.write(JSON.stringify(output) + "\n");
}

/** Refreshes in which no file changed. */
async function warmRefreshes(ledger: UsageLedger, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    const r = await ledger.refresh();
    times.push(performance.now() - t0);
    if (r.changes.length !== 0) throw new Error("warm refresh found changes in an unchanged history");
  }
  return times;
}

/**
 * Appends one new usage line, refreshes, and measures until the change is reported. The
 * file is truncated back afterwards (the marker file lets the next run repair a crash).
 */
async function appendedLines(
  ledger: UsageLedger,
  file: string,
  marker: string,
  count: number,
): Promise<number[]> {
  const originalSize = fs.statSync(file).size;
  fs.writeFileSync(marker, JSON.stringify({ file, originalSize }));
  const times: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const id = `msg_01bench${process.pid}x${i}`;
      const line = usageLine(id, `req_011Cbench${i}`, Date.now());
      const t0 = performance.now();
      fs.appendFileSync(file, line);
      const r = await ledger.refresh();
      const seen = r.changes.some((c) => c.current.key.startsWith(id));
      times.push(performance.now() - t0);
      if (!seen) throw new Error(`appended line ${id} was not reported by the refresh`);
    }
  } finally {
    fs.truncateSync(file, originalSize);
    fs.rmSync(marker, { force: true });
  }
  return times;
}

function usageLine(messageId: string, requestId: string, ms: number): string {
  return (
    JSON.stringify({
      parentUuid: null,
      isSidechain: false,
      userType: "external",
      cwd: "/home/dev/src/bench",
      sessionId: "bench",
      version: "2.1.19",
      message: {
        model: "claude-opus-4-5-20251101",
        id: messageId,
        type: "message",
        role: "assistant",
        content: [{ type: "text", text: "appended by the benchmark" }],
        usage: {
          input_tokens: 3,
          cache_creation_input_tokens: 10,
          cache_read_input_tokens: 1000,
          output_tokens: 42,
        },
      },
      requestId,
      type: "assistant",
      uuid: `${messageId}-uuid`,
      timestamp: new Date(ms).toISOString(),
    }) + "\n"
  );
}

// Run as a program; bench/run.ts imports only its types and constant.
if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(
      `cold-scan: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
