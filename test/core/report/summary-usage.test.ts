/**
 * The Summary's usage part can be handed in computed already (a front that keeps it between
 * runs): `buildSummary` and `summarizeUsage` then give exactly what they give from the events.
 */
import {
  FileSnapshotHistory,
  summarizeUsage,
  type RateLimitSnapshot,
  type UsageEvent,
} from "@quotacast/core";
import { buildSummary, recentUsageOf, summaryUsage, type RecentEventsPort } from "@quotacast/core/report";
import { MemoryState } from "../../fakes/ports";
import { usageAt } from "../usage/helpers";

const NOW_MS = Date.parse("2026-11-20T15:00:00Z");
const diagnostics = {
  filesScanned: 1,
  linesSkippedInvalidJson: 0,
  linesSkippedOther: 0,
  filesUnreadable: 0,
  unknownModels: [],
};

function events(): UsageEvent[] {
  return [
    usageAt("2026-11-20T14:10:00Z", { outputTokens: 500 }),
    usageAt("2026-11-20T09:00:00Z", { model: "claude-opus-4-1-20250805", sessionId: "s2" }),
    usageAt("2026-11-18T22:00:00Z", { cacheReadTokens: 40_000 }),
    usageAt("2026-11-10T12:00:00Z", { inputTokens: 7 }),
    usageAt("2026-11-01T12:00:00Z"), // older than the Summary's days
  ];
}

const limits: RateLimitSnapshot = {
  observedAtMs: NOW_MS,
  windows: [
    {
      window: "five_hour",
      utilizationRatio: 0.4,
      resetsAtMs: NOW_MS + 2 * 3600_000,
      windowLengthMs: 5 * 3600_000,
      observedAtMs: NOW_MS,
      source: "statusline",
    },
  ],
} as unknown as RateLimitSnapshot;

describe("a Summary from its usage part", () => {
  it("buildSummary with summaryUsage equals buildSummary with the events", () => {
    const base = { nowMs: NOW_MS, timezone: "Europe/Berlin", limits: null, sources: [], diagnostics };
    const usage = summaryUsage({ nowMs: NOW_MS, timezone: "Europe/Berlin", events: events() });
    expect(usage.lastDays).toHaveLength(14);
    expect(buildSummary({ ...base, usage })).toEqual(buildSummary({ ...base, events: events() }));
  });

  it("summarizeUsage takes a reader's kept usage instead of its events, with the same result", async () => {
    const fromEvents: RecentEventsPort = { recentEvents: () => events() };
    const kept: RecentEventsPort = {
      recentEvents: () => {
        throw new Error("not read when the usage is kept");
      },
      recentUsage: (query) => recentUsageOf(events(), query),
    };
    const declined: RecentEventsPort = { recentEvents: () => events(), recentUsage: () => null };
    const run = async (usage: RecentEventsPort) =>
      (
        await summarizeUsage({
          nowMs: NOW_MS,
          timezone: "UTC",
          usage,
          limits,
          sources: [],
          history: new FileSnapshotHistory(new MemoryState()),
          diagnostics,
        })
      ).summary;
    const expected = await run(fromEvents);
    expect(expected.windows[0].forecast).not.toBeNull();
    expect(await run(kept)).toEqual(expected);
    expect(await run(declined)).toEqual(expected);
  });
});
