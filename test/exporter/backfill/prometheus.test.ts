/**
 * End to end: `quotacast backfill` over a generated transcript history, the output loaded
 * with promtool into a real Prometheus, and `increase(...[1d])` at each day's end compared
 * with core's aggregateByPeriod.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { aggregateByPeriod, MemoryLedgerStore, UsageLedger, type PeriodUsage } from "@quotacast/core";
import { run } from "../../../exporter/src/commands/backfill";
import { generateHistory } from "../../generators/transcripts";
import {
  createBlocks,
  prometheusToolsMissing,
  startPrometheus,
  type RunningPrometheus,
} from "./prometheus-harness";

const DAY_MS = 86_400_000;
const TIMEZONE = "Asia/Kolkata";
/** Kolkata is UTC+05:30 all year, so its midnights are computed here without core. */
const OFFSET_MS = 5.5 * 3_600_000;
const END_MS = Date.UTC(2026, 9, 8, 12);
const UNTIL_MS = Date.UTC(2026, 9, 8, 6);
const LABELS = ["--label", "instance=127.0.0.1:9847", "--label", "job=quotacast"];

const missing = prometheusToolsMissing();
if (missing) console.warn(`skipping the backfill Prometheus tests: ${missing}`);
const describeWithPrometheus = missing ? describe.skip : describe;

function localMidnightAfter(day: string): number {
  const [y, m, d] = day.split("-").map(Number);
  return Date.UTC(y, m - 1, d + 1) - OFFSET_MS;
}

function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
}

describeWithPrometheus("backfill loaded into Prometheus", () => {
  let tmp: string;
  let prometheus: RunningPrometheus;
  let days: PeriodUsage[];

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "quotacast-backfill-"));
    const configDir = path.join(tmp, "claude");
    generateHistory({ dir: configDir, sizeMb: 3, seed: 11, endMs: END_MS, days: 6 });
    const ledger = new UsageLedger({ configDirs: [configDir], store: new MemoryLedgerStore() });
    await ledger.refresh();
    const counted = (await ledger.events()).filter((e) => e.timestampMs < UNTIL_MS);
    days = aggregateByPeriod(counted, { period: "day", timezone: TIMEZONE });

    const file = path.join(tmp, "quotacast.om");
    const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    const code = await run([
      "--no-db",
      "--claude.config-dir",
      configDir,
      "--timezone",
      TIMEZONE,
      "--until",
      new Date(UNTIL_MS).toISOString(),
      // Off the midnight grid (18:30 UTC), so exactness relies on the midnight samples.
      "--step",
      "45m",
      "--output",
      file,
      ...LABELS,
    ]);
    stderr.mockRestore();
    expect(code).toBe(0);

    const dataDir = path.join(tmp, "data");
    await createBlocks(file, dataDir);
    prometheus = await startPrometheus(dataDir, tmp);
  });

  afterAll(async () => {
    await prometheus?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test("the history spans several complete days", () => {
    const complete = days.filter((d) => localMidnightAfter(d.period) <= UNTIL_MS);
    expect(complete.length).toBeGreaterThanOrEqual(4);
    expect(complete.every((d) => d.totalTokens > 0)).toBe(true);
  });

  test("increase over [1d] at each day's end is that day's total, per token type", async () => {
    const complete = days.filter((d) => localMidnightAfter(d.period) <= UNTIL_MS);
    for (const day of complete) {
      const atMs = localMidnightAfter(day.period);
      const [total] = await prometheus.query(
        'sum(increase(quotacast_tokens_total{job="quotacast"}[1d]))',
        atMs,
      );
      expectClose(total.value, day.totalTokens);
      const byType = new Map(
        (await prometheus.query("sum by (type) (increase(quotacast_tokens_total[1d]))", atMs)).map((r) => [
          r.metric.type,
          r.value,
        ]),
      );
      expectClose(byType.get("input") ?? NaN, day.inputTokens);
      expectClose(byType.get("output") ?? NaN, day.outputTokens);
      expectClose(byType.get("cache_creation") ?? NaN, day.cacheCreationTokens);
      expectClose(byType.get("cache_read") ?? NaN, day.cacheReadTokens);
    }
  });

  test("increase of cost and messages over [1d] matches the day's cost and message count per model", async () => {
    const complete = days.filter((d) => localMidnightAfter(d.period) <= UNTIL_MS);
    for (const day of complete) {
      const atMs = localMidnightAfter(day.period);
      const [cost] = await prometheus.query("sum(increase(quotacast_cost_usd_total[1d]))", atMs);
      expectClose(cost.value, day.costUsd);
      const tokensByModel = new Map(
        (await prometheus.query("sum by (model) (increase(quotacast_tokens_total[1d]))", atMs)).map((r) => [
          r.metric.model,
          r.value,
        ]),
      );
      for (const model of day.models) expectClose(tokensByModel.get(model.model) ?? NaN, model.totalTokens);
    }
  });

  test("a day without usage increases by zero, and the series carry the instance and job labels", async () => {
    const atMs = localMidnightAfter(days[0].period) - DAY_MS; // the day before the first usage
    const series = await prometheus.query("quotacast_tokens_total", localMidnightAfter(days[0].period));
    expect(series.length).toBeGreaterThan(0);
    for (const s of series) expect(s.metric).toMatchObject({ instance: "127.0.0.1:9847", job: "quotacast" });
    const before = await prometheus.query("sum(increase(quotacast_tokens_total[1d]))", atMs);
    expect(before.reduce((t, r) => t + r.value, 0)).toBe(0);
  });
});
