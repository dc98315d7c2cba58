import { aggregateByPeriod, aggregateSessions, costUsd, dayKey } from "@quotacast/core";
import { usageAt } from "./helpers";

describe("dayKey", () => {
  it("puts 23:30 UTC on the next day in Berlin and the same day in Los Angeles", () => {
    const ms = Date.parse("2026-11-20T23:30:00Z");
    expect(dayKey(ms, "UTC")).toBe("2026-11-20");
    expect(dayKey(ms, "Europe/Berlin")).toBe("2026-11-21");
    expect(dayKey(ms, "America/Los_Angeles")).toBe("2026-11-20");
  });

  it("handles zones with half- and quarter-hour offsets (the cache is per 15 minutes)", () => {
    // India is UTC+5:30: midnight falls at 18:30 UTC.
    expect(dayKey(Date.parse("2026-11-20T18:29:00Z"), "Asia/Kolkata")).toBe("2026-11-20");
    expect(dayKey(Date.parse("2026-11-20T18:30:00Z"), "Asia/Kolkata")).toBe("2026-11-21");
    // Nepal is UTC+5:45.
    expect(dayKey(Date.parse("2026-11-20T18:14:59Z"), "Asia/Kathmandu")).toBe("2026-11-20");
    expect(dayKey(Date.parse("2026-11-20T18:15:00Z"), "Asia/Kathmandu")).toBe("2026-11-21");
  });

  it("follows daylight saving changes", () => {
    // Berlin switches to UTC+2 on 2026-03-29: 22:30 UTC is then already the next day.
    expect(dayKey(Date.parse("2026-03-28T22:30:00Z"), "Europe/Berlin")).toBe("2026-03-28");
    expect(dayKey(Date.parse("2026-03-29T22:30:00Z"), "Europe/Berlin")).toBe("2026-03-30");
  });
});

describe("aggregateByPeriod", () => {
  const events = [
    usageAt("2026-11-20T10:00:00Z", {
      inputTokens: 1,
      outputTokens: 2,
      cacheCreationTokens: 3,
      cacheReadTokens: 4,
    }),
    usageAt("2026-11-20T23:30:00Z", { inputTokens: 10, outputTokens: 20 }),
    usageAt("2026-11-22T12:00:00Z", { model: "glm-4.7", inputTokens: 100, outputTokens: 0, project: "p2" }),
    usageAt("2026-11-23T12:00:00Z", {
      model: "claude-opus-4-5-20251101",
      inputTokens: 1000,
      outputTokens: 0,
    }),
  ];

  it("groups by day in the given zone, oldest first, with all four token types", () => {
    const utc = aggregateByPeriod(events, { period: "day", timezone: "UTC" });
    expect(utc.map((d) => d.period)).toEqual(["2026-11-20", "2026-11-22", "2026-11-23"]);
    expect(utc[0]).toMatchObject({
      inputTokens: 11,
      outputTokens: 22,
      cacheCreationTokens: 3,
      cacheReadTokens: 4,
      totalTokens: 40,
    });
    const berlin = aggregateByPeriod(events, { period: "day", timezone: "Europe/Berlin" });
    expect(berlin.map((d) => [d.period, d.totalTokens])).toEqual([
      ["2026-11-20", 10],
      ["2026-11-21", 30],
      ["2026-11-22", 100],
      ["2026-11-23", 1000],
    ]);
  });

  it("prices per model, lists unpriced models and leaves their cost out", () => {
    const days = aggregateByPeriod(events, { period: "day", timezone: "UTC" });
    const glmDay = days[1];
    expect(glmDay.unpricedModels).toEqual(["glm-4.7"]);
    expect(glmDay.costUsd).toBe(0);
    expect(glmDay.models).toEqual([
      expect.objectContaining({ model: "glm-4.7", costUsd: null, inputTokens: 100 }),
    ]);
    const first = days[0];
    expect(first.costUsd).toBeCloseTo(costUsd(events[0])! + costUsd(events[1])!, 12);
    expect(first.topModel).toBe("claude-sonnet-4-5-20250929");
  });

  it("starts weeks on Sunday by default (like ccusage 20) or on the day asked", () => {
    // 2026-11-22 is a Sunday.
    const sunday = aggregateByPeriod(events, { period: "week", timezone: "UTC" });
    expect(sunday.map((w) => [w.period, w.totalTokens])).toEqual([
      ["2026-11-15", 40],
      ["2026-11-22", 1100],
    ]);
    const monday = aggregateByPeriod(events, { period: "week", timezone: "UTC", weekStartsOn: 1 });
    expect(monday.map((w) => [w.period, w.totalTokens])).toEqual([
      ["2026-11-16", 140],
      ["2026-11-23", 1000],
    ]);
  });

  it("groups by month", () => {
    const months = aggregateByPeriod([...events, usageAt("2026-12-01T00:30:00Z")], {
      period: "month",
      timezone: "UTC",
    });
    expect(months.map((m) => [m.period, m.totalTokens])).toEqual([
      ["2026-11", 1140],
      ["2026-12", 110],
    ]);
    // The same instant is still November in Los Angeles.
    const la = aggregateByPeriod([usageAt("2026-12-01T00:30:00Z")], {
      period: "month",
      timezone: "America/Los_Angeles",
    });
    expect(la.map((m) => m.period)).toEqual(["2026-11"]);
  });

  it("filters by inclusive day range (either date form) and project", () => {
    const ranged = aggregateByPeriod(events, {
      period: "day",
      timezone: "UTC",
      sinceDay: "20261121",
      untilDay: "2026-11-22",
    });
    expect(ranged.map((d) => d.period)).toEqual(["2026-11-22"]);
    const p2 = aggregateByPeriod(events, { period: "day", timezone: "UTC", project: "p2" });
    expect(p2.map((d) => d.totalTokens)).toEqual([100]);
    expect(() =>
      aggregateByPeriod(events, { period: "day", timezone: "UTC", sinceDay: "last week" }),
    ).toThrow(RangeError);
  });
});

describe("aggregateSessions", () => {
  it("totals per project and session, most recent first", () => {
    const sessions = aggregateSessions(
      [
        usageAt("2026-11-20T10:00:00Z", { sessionId: "a" }),
        usageAt("2026-11-20T11:00:00Z", { sessionId: "a", model: "glm-4.7" }),
        usageAt("2026-11-21T10:00:00Z", { sessionId: "b" }),
        usageAt("2026-11-19T10:00:00Z", { sessionId: "a", project: "other" }),
      ],
      { timezone: "UTC" },
    );
    expect(sessions.map((s) => [s.project, s.sessionId, s.totalTokens, s.models])).toEqual([
      ["p1", "b", 110, ["claude-sonnet-4-5-20250929"]],
      ["p1", "a", 220, ["claude-sonnet-4-5-20250929", "glm-4.7"]],
      ["other", "a", 110, ["claude-sonnet-4-5-20250929"]],
    ]);
    expect(sessions[1].lastActivityMs).toBe(Date.parse("2026-11-20T11:00:00Z"));
  });
});
