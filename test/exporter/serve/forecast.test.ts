import * as path from "node:path";
import { costUsd, FIVE_HOURS_MS, type UsageEvent, type WindowReading } from "@quotacast/core";
import { generateHistory } from "../../generators/transcripts";
import { samples, scrape, seriesKey, startForTest, tempDir, testConfig } from "./helpers";

const HOUR_MS = 3600_000;
const LIMIT_USD = 10;

describe("forecast refit in the exporter", () => {
  test("learns the USD per 100% of a window from history + transcripts, saves it, and forecasts the current window", async () => {
    const dir = tempDir();
    const configDir = path.join(dir, "claude");
    const nowMs = Date.now();
    const history = generateHistory({
      dir: configDir,
      sizeMb: 3,
      seed: 5,
      endMs: nowMs,
      days: 2,
      medianFileBytes: 30_000,
    });
    const events: UsageEvent[] = history.events.map((e) => ({ ...e }));
    const config = testConfig(dir, { claudeConfigDirs: [configDir] });
    let exporter = await startForTest(config);
    try {
      // Readings every 30 minutes of consecutive 5-hour windows: utilization = cost so far / $10.
      // The current window started 2.5 h ago; eight completed ones before it.
      const currentReset = Math.round((nowMs + 2.5 * HOUR_MS) / 60_000) * 60_000;
      for (
        let resetMs = currentReset - 8 * FIVE_HOURS_MS;
        resetMs <= currentReset;
        resetMs += FIVE_HOURS_MS
      ) {
        const startMs = resetMs - FIVE_HOURS_MS;
        const readings: WindowReading[] = [];
        for (let t = startMs + 30 * 60_000; t <= Math.min(resetMs - 1, nowMs - 60_000); t += 30 * 60_000) {
          const spent = events
            .filter((e) => e.timestampMs > startMs && e.timestampMs <= t)
            .reduce((sum, e) => sum + (costUsd(e) ?? 0), 0);
          readings.push({
            window: "five_hour",
            utilizationRatio: spent / LIMIT_USD,
            resetsAtMs: resetMs,
            windowLengthMs: FIVE_HOURS_MS,
            status: "allowed",
            source: "oauth",
            observedAtMs: t,
          });
        }
        for (const r of readings)
          await exporter.runtime.history.append({
            observedAtMs: r.observedAtMs,
            source: "oauth",
            windows: [r],
          });
        if (resetMs > nowMs && readings.length > 0) {
          // The current window, as the OAuth source would hold it.
          exporter.runtime.state.sources.set("oauth", {
            name: "oauth",
            status: {
              source: "oauth",
              state: "ok",
              message: "ok",
              lastSuccessMs: nowMs,
              lastErrorReason: "none",
            },
            snapshot: {
              observedAtMs: readings[readings.length - 1].observedAtMs,
              source: "oauth",
              windows: [readings[readings.length - 1]],
            },
            orgUsage: null,
            nextPollAtMs: nowMs + HOUR_MS,
          });
        }
      }
      await exporter.runtime.refitJob.run();
      const all = samples(await scrape(exporter.url));
      const estimate = all.get(
        seriesKey("quotacast_window_learned_limit_usd", { window: "five_hour", bound: "estimate" }),
      );
      expect(estimate).toBeCloseTo(LIMIT_USD, 6);
      expect(
        all.get(seriesKey("quotacast_window_learned_limit_usd", { window: "five_hour", bound: "low" })),
      ).toBeLessThanOrEqual(estimate as number);
      const median = all.get(
        seriesKey("quotacast_window_forecast_utilization_ratio", { window: "five_hour", quantile: "0.5" }),
      );
      const current = all.get(
        seriesKey("quotacast_window_utilization_ratio", { window: "five_hour", source: "oauth" }),
      );
      expect(median).toBeGreaterThanOrEqual(current as number);
      const p = all.get(
        seriesKey("quotacast_window_exhaustion_probability_ratio", { window: "five_hour" }),
      ) as number;
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    } finally {
      await exporter.stop();
    }

    // The learned limit is a saved parameter: available right after a restart, before any refit.
    exporter = await startForTest(config);
    try {
      const saved = await exporter.runtime.params.load("forecast:learned_limit:five_hour");
      expect(JSON.parse(saved as string).limitUsd).toBeCloseTo(LIMIT_USD, 6);
    } finally {
      await exporter.stop();
    }
  });
});
