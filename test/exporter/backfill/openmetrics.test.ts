import { costUsd, type UsageEvent } from "@quotacast/core";
import { renderBackfill, samplePoints, type BackfillInput } from "../../../exporter/src/backfill/openmetrics";
import { historyEvents, OPUS, reading, SONNET, UNPRICED, usageEvent } from "./events";
import { parseExposition, valueAt, type Sample } from "./parse-om";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Asia/Kolkata is UTC+05:30 all year: local midnight is 18:30 UTC the day before. */
const KOLKATA = "Asia/Kolkata";
const KOLKATA_OFFSET_MS = 5.5 * HOUR_MS;
const FIRST_DAY_UTC = Date.UTC(2026, 9, 1);
const midnights = [1, 2, 3, 4].map((d) => FIRST_DAY_UTC + d * DAY_MS - KOLKATA_OFFSET_MS);
const untilMs = FIRST_DAY_UTC + 4 * DAY_MS + 6 * HOUR_MS;

function render(input: Partial<BackfillInput> & Pick<BackfillInput, "events">): string {
  return [...renderBackfill({ readings: [], untilMs, stepMs: 5 * 60_000, timezone: KOLKATA, ...input })].join(
    "",
  );
}

function seriesOf(samples: readonly Sample[], series: string): Sample[] {
  return samples.filter((s) => s.series === series);
}

const sum = (events: readonly UsageEvent[], f: (e: UsageEvent) => number): number =>
  events.reduce((t, e) => t + f(e), 0);

describe("renderBackfill", () => {
  const events = historyEvents(FIRST_DAY_UTC - KOLKATA_OFFSET_MS, 5, midnights);
  const text = render({ events });
  const { samples, metadata, seriesOrder } = parseExposition(text);

  test("declares each family once before its samples and names counter samples _total", () => {
    const families = [
      ["quotacast_tokens", "counter"],
      ["quotacast_cost_usd", "counter"],
      ["quotacast_messages", "counter"],
      ["quotacast_window_utilization_ratio", "gauge"],
      ["quotacast_window_final_utilization_ratio", "gauge"],
      ["quotacast_window_final_reset_timestamp_seconds", "gauge"],
    ];
    expect(metadata).toEqual(
      families.flatMap(([name, type]) => [
        expect.stringMatching(new RegExp(`^# HELP ${name} `)),
        `# TYPE ${name} ${type}`,
      ]),
    );
    expect(new Set(samples.map((s) => s.name))).toEqual(
      new Set(["quotacast_tokens_total", "quotacast_cost_usd_total", "quotacast_messages_total"]),
    );
    // Families in declaration order: every tokens sample comes before every cost sample, and so on.
    const familyOrder = samples.map((s) => s.name).filter((n, i, all) => i === 0 || all[i - 1] !== n);
    expect(familyOrder).toEqual([
      "quotacast_tokens_total",
      "quotacast_cost_usd_total",
      "quotacast_messages_total",
    ]);
  });

  test("keeps each series contiguous with strictly increasing timestamps", () => {
    expect(new Set(seriesOrder).size).toBe(seriesOrder.length);
    const backwards = samples.filter(
      (s, i) => i > 0 && samples[i - 1].series === s.series && s.timestampMs <= samples[i - 1].timestampMs,
    );
    expect(backwards).toEqual([]);
  });

  test("labels tokens by model and type, and has no cost series for a model without a price", () => {
    expect(seriesOrder.filter((s) => s.startsWith("quotacast_tokens_total"))).toEqual(
      [OPUS, SONNET, UNPRICED].flatMap((model) =>
        ["input", "output", "cache_creation", "cache_read"].map(
          (type) => `quotacast_tokens_total{model="${model}",type="${type}"}`,
        ),
      ),
    );
    expect(seriesOrder.filter((s) => s.startsWith("quotacast_cost_usd_total"))).toEqual([
      `quotacast_cost_usd_total{model="${OPUS}"}`,
      `quotacast_cost_usd_total{model="${SONNET}"}`,
    ]);
  });

  test("holds at each local midnight exactly the totals of the events before it", () => {
    for (const midnightMs of midnights) {
      for (const model of [OPUS, SONNET, UNPRICED]) {
        const before = events.filter((e) => e.model === model && e.timestampMs < midnightMs);
        const at = (series: string) =>
          seriesOf(samples, series).find((s) => s.timestampMs === midnightMs)?.value;
        expect(at(`quotacast_tokens_total{model="${model}",type="input"}`)).toBe(
          sum(before, (e) => e.inputTokens),
        );
        expect(at(`quotacast_tokens_total{model="${model}",type="output"}`)).toBe(
          sum(before, (e) => e.outputTokens),
        );
        expect(at(`quotacast_tokens_total{model="${model}",type="cache_creation"}`)).toBe(
          sum(before, (e) => e.cacheCreationTokens),
        );
        expect(at(`quotacast_tokens_total{model="${model}",type="cache_read"}`)).toBe(
          sum(before, (e) => e.cacheReadTokens),
        );
        expect(at(`quotacast_messages_total{model="${model}"}`)).toBe(before.length);
        if (model !== UNPRICED) {
          expect(at(`quotacast_cost_usd_total{model="${model}"}`)).toBeCloseTo(
            sum(before, (e) => costUsd(e) ?? 0),
            9,
          );
        }
        // The copy 1 ms later repeats the midnight value (the event at exactly midnight is the new day's).
        const copy = seriesOf(samples, `quotacast_messages_total{model="${model}"}`).find(
          (s) => s.timestampMs === midnightMs + 1,
        );
        expect(copy?.value).toBe(before.length);
      }
    }
  });

  test("starts every series at 0 no later than its first event", () => {
    for (const series of seriesOrder) {
      const model = JSON.parse(series.split("model=")[1].split(/[,}]/)[0]) as string;
      const first = Math.min(...events.filter((e) => e.model === model).map((e) => e.timestampMs));
      const [head] = seriesOf(samples, series);
      expect(head.value).toBe(0);
      expect(head.timestampMs).toBeLessThanOrEqual(first);
    }
  });

  test("writes a series only within an hour of its changes: every grid instant keeps its value", () => {
    const dense = samplePoints(events[0].timestampMs, untilMs, 5 * 60_000, KOLKATA);
    const series = `quotacast_messages_total{model="${SONNET}"}`;
    const written = seriesOf(samples, series);
    expect(written.length).toBeLessThan(dense.length * 0.8);
    const sonnet = events.filter((e) => e.model === SONNET);
    for (const point of dense) {
      if (point.atMs < written[0].timestampMs) continue;
      const expected = sonnet.filter((e) => e.timestampMs < point.cutoffMs).length;
      expect([point.atMs, valueAt(samples, series, point.atMs)]).toEqual([point.atMs, expected]);
    }
  });

  test("writes nothing after --until and ends every counter at the total before it", () => {
    expect(Math.max(...samples.map((s) => s.timestampMs))).toBe(untilMs);
    const counted = events.filter((e) => e.timestampMs < untilMs);
    expect(events.length).toBeGreaterThan(counted.length); // the history goes on after until
    const last = seriesOrder
      .filter((s) => s.startsWith("quotacast_messages_total"))
      .map((s) => valueAt(samples, s, untilMs) ?? 0);
    expect(last.reduce((a, b) => a + b, 0)).toBe(counted.length);
  });

  test("adds extra labels to every series, escaped", () => {
    const labelled = parseExposition(
      render({
        events: events.slice(0, 5),
        readings: [reading(FIRST_DAY_UTC, 0.5)],
        extraLabels: { instance: 'a"b\\c', job: "quotacast" },
      }),
    );
    expect(labelled.samples.length).toBeGreaterThan(0);
    for (const s of labelled.samples)
      expect(s.labels).toMatchObject({ instance: 'a"b\\c', job: "quotacast" });
  });

  test("starts at --since but keeps counting from the beginning of history", () => {
    const sinceMs = midnights[1] + 7 * 60_000;
    const later = parseExposition(render({ events, sinceMs }));
    const times = later.samples.map((s) => s.timestampMs);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(sinceMs);
    const series = `quotacast_messages_total{model="${SONNET}"}`;
    expect(valueAt(later.samples, series, midnights[2])).toBe(valueAt(samples, series, midnights[2]));
  });

  test("writes window utilization readings in time order, one per instant, within the range", () => {
    const readings = [
      reading(FIRST_DAY_UTC + 2 * HOUR_MS, 0.3),
      reading(FIRST_DAY_UTC + HOUR_MS, 0.1),
      reading(FIRST_DAY_UTC + HOUR_MS, 0.2), // same instant: the later reading wins
      reading(FIRST_DAY_UTC + HOUR_MS, 0.7, "seven_day"),
      reading(FIRST_DAY_UTC + HOUR_MS, 0.25, "five_hour", "statusline"),
      reading(untilMs + 1, 0.9), // after --until
    ];
    const out = parseExposition(render({ events: [], readings }));
    const gauge = out.samples.filter((s) => s.name === "quotacast_window_utilization_ratio");
    expect(gauge.map((s) => [s.labels.window, s.labels.source, s.value, s.timestampMs])).toEqual([
      ["five_hour", "oauth", 0.2, FIRST_DAY_UTC + HOUR_MS],
      ["five_hour", "oauth", 0.3, FIRST_DAY_UTC + 2 * HOUR_MS],
      ["five_hour", "statusline", 0.25, FIRST_DAY_UTC + HOUR_MS],
      ["seven_day", "oauth", 0.7, FIRST_DAY_UTC + HOUR_MS],
    ]);
  });

  test("writes each completed window's final utilization once, at its reset, with the reset time", () => {
    const resetA = FIRST_DAY_UTC + 5 * HOUR_MS;
    const resetB = resetA + 5 * HOUR_MS;
    const at = (observedAtMs: number, ratio: number, resetsAtMs: number, source = "oauth") => ({
      ...reading(observedAtMs, ratio, "five_hour", source),
      resetsAtMs,
    });
    const readings = [
      at(resetA - 4 * HOUR_MS, 0.2, resetA),
      at(resetA - HOUR_MS, 0.55, resetA + 20_000), // the API's jitter: the same window
      at(resetA - 30 * 60_000, 0.5, resetA, "statusline"),
      at(resetB - 3 * HOUR_MS, 0.4, resetB),
      at(untilMs - HOUR_MS, 0.1, untilMs + HOUR_MS), // still open at --until: not final
    ];
    const out = parseExposition(render({ events: [], readings }));
    const final = (name: string) =>
      out.samples.filter((s) => s.name === name).map((s) => [s.labels.window, s.value, s.timestampMs]);
    expect(final("quotacast_window_final_utilization_ratio")).toEqual([
      ["five_hour", 0.55, resetA],
      ["five_hour", 0.4, resetB],
    ]);
    expect(final("quotacast_window_final_reset_timestamp_seconds")).toEqual([
      ["five_hour", resetA / 1000, resetA],
      ["five_hour", resetB / 1000, resetB],
    ]);
  });

  test("an empty history is still a valid exposition", () => {
    const out = parseExposition(render({ events: [] }));
    expect(out.samples).toEqual([]);
    expect(out.metadata).toHaveLength(12);
  });

  test("counts no event at or after --until", () => {
    const out = parseExposition(render({ events: [usageEvent(untilMs + HOUR_MS, SONNET)] }));
    expect(out.samples).toEqual([]);
  });
});

describe("samplePoints", () => {
  test("puts a sample on every local midnight across a DST change, and a copy 1 ms later", () => {
    // New York leaves DST on 2026-11-01: midnight is 04:00Z before, 05:00Z after.
    const from = Date.UTC(2026, 9, 31, 12);
    const points = samplePoints(from, Date.UTC(2026, 10, 2, 12), HOUR_MS, "America/New_York");
    const midnightsNy = [Date.UTC(2026, 10, 1, 4), Date.UTC(2026, 10, 2, 5)];
    for (const m of midnightsNy) {
      expect(points).toContainEqual({ atMs: m, cutoffMs: m });
      expect(points).toContainEqual({ atMs: m + 1, cutoffMs: m });
    }
    // Grid points are on the hour; the only off-grid points are the 1 ms copies and the ends.
    const offGrid = points.filter((p) => p.atMs % HOUR_MS !== 0).map((p) => p.atMs);
    expect(offGrid).toEqual(midnightsNy.map((m) => m + 1));
    expect(points[0].atMs).toBe(from);
    expect(points[points.length - 1].atMs).toBe(Date.UTC(2026, 10, 2, 12));
  });

  test("refuses a step under one second", () => {
    expect(() => samplePoints(0, 10_000, 500, "UTC")).toThrow(/at least 1 s/);
  });
});
