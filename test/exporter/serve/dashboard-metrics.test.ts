/**
 * Series the dashboards and alerts read, from a running exporter: each source's poll
 * interval from its own schedule (what QuotacastExporterStale measures against), and the
 * final utilization of each window's last completed occurrence from the stored history.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { PollContext, WindowReading } from "@quotacast/core";
import { openDatabase } from "../../../exporter/src/db/open";
import { SqliteSnapshotHistory } from "../../../exporter/src/db/snapshot-history";
import { limitsConfig } from "../../../exporter/src/state/runtime";
import { realPollContext } from "../../fakes/ports";
import { samples, scrape, seriesKey, startForTest, tempDir, testConfig } from "./helpers";

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

function reading(
  window: string,
  utilizationRatio: number,
  observedAtMs: number,
  resetsAtMs: number,
): WindowReading {
  return {
    window,
    utilizationRatio,
    observedAtMs,
    resetsAtMs,
    windowLengthMs: window === "five_hour" ? 5 * HOUR_MS : 7 * DAY_MS,
    status: "allowed",
    source: "oauth",
  };
}

async function seed(dbPath: string, readings: WindowReading[]): Promise<void> {
  fs.mkdirSync(path.dirname(dbPath), { recursive: true });
  const db = openDatabase(dbPath);
  try {
    const history = new SqliteSnapshotHistory(db);
    for (const r of readings)
      await history.append({ observedAtMs: r.observedAtMs, source: r.source, windows: [r] });
  } finally {
    db.close();
  }
}

function pollContext(home: string): PollContext {
  const config = limitsConfig({
    sources: { oauth: true, admin: true },
    anthropicBaseUrl: "http://127.0.0.1:9",
  });
  config.admin = { ...config.admin, apiKey: "sk-ant-admin01-not-real" };
  return realPollContext(home, config);
}

describe("series for the dashboards and alerts", () => {
  it("publishes each source's poll interval from its schedule: transcripts 15 s, oauth 5 min, admin hourly", async () => {
    const home = tempDir();
    const exporter = await startForTest(
      testConfig(home, {
        sources: { oauth: true, admin: true },
        transcriptsSchedule: "*/15 * * * * *",
        adminSchedule: "0 * * * *",
      }),
      { homeDir: home, pollContext: pollContext(home) },
    );
    try {
      const all = samples(await scrape(exporter.url));
      const interval = (source: string) =>
        all.get(seriesKey("quotacast_source_poll_interval_seconds", { source }));
      expect({
        transcripts: interval("transcripts"),
        oauth: interval("oauth"),
        admin: interval("admin"),
        statusline: interval("statusline"),
      }).toEqual({ transcripts: 15, oauth: 300, admin: 3600, statusline: 15 });
    } finally {
      await exporter.stop();
    }
  });

  it("an admin schedule every 6 hours makes the admin interval 6 hours", async () => {
    const home = tempDir();
    const exporter = await startForTest(
      testConfig(home, { sources: { admin: true }, adminSchedule: "0 */6 * * *" }),
      {
        homeDir: home,
        pollContext: pollContext(home),
      },
    );
    try {
      const all = samples(await scrape(exporter.url));
      expect(all.get(seriesKey("quotacast_source_poll_interval_seconds", { source: "admin" }))).toBe(
        6 * 3600,
      );
    } finally {
      await exporter.stop();
    }
  });

  it("publishes the final utilization of each window's last completed occurrence and when it reset", async () => {
    const home = tempDir();
    const config = testConfig(home);
    const nowMs = Date.now();
    const lastWeekly = Math.round((nowMs - 2 * DAY_MS) / 60_000) * 60_000;
    const weekBefore = lastWeekly - 7 * DAY_MS;
    const lastFiveHour = Math.round((nowMs - 3 * HOUR_MS) / 60_000) * 60_000;
    await seed(config.dbPath as string, [
      reading("seven_day", 0.3, weekBefore - 3 * DAY_MS, weekBefore),
      reading("seven_day", 0.7, weekBefore - DAY_MS, weekBefore),
      reading("seven_day", 0.2, lastWeekly - 5 * DAY_MS, lastWeekly),
      reading("seven_day", 0.6, lastWeekly - HOUR_MS, lastWeekly),
      // Lower after its peak (a source that lags): the final value is the highest reading.
      reading("seven_day", 0.55, lastWeekly - 30 * 60_000, lastWeekly),
      reading("five_hour", 0.4, lastFiveHour - HOUR_MS, lastFiveHour),
      // Still open: not final.
      reading("five_hour", 0.1, nowMs - 10 * 60_000, nowMs + 4 * HOUR_MS),
    ]);
    const exporter = await startForTest(config, { homeDir: home });
    try {
      const all = samples(await scrape(exporter.url));
      const final = (window: string) => [
        all.get(seriesKey("quotacast_window_final_utilization_ratio", { window })),
        all.get(seriesKey("quotacast_window_final_reset_timestamp_seconds", { window })),
      ];
      expect(final("seven_day")).toEqual([0.6, lastWeekly / 1000]);
      expect(final("five_hour")).toEqual([0.4, lastFiveHour / 1000]);
    } finally {
      await exporter.stop();
    }
  });
});
