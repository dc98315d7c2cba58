/**
 * Dashboard 2, "Weekly trends": eight weeks of daily cost and tokens, week over week,
 * each weekly window's final utilization, the learned limit, when the work happens and
 * the top projects.
 */
import {
  type DashboardSpec,
  type Json,
  type PanelItem,
  DASHED_LINE,
  LINES,
  NEUTRAL_THRESHOLDS,
  STACKED_BARS,
  UTILIZATION_THRESHOLDS,
  barchart,
  bargauge,
  instanceVariables,
  row,
  seriesMatching,
  stat,
  timeseries,
  trafficLight,
} from "./grafana";

const I = 'instance=~"$instance"';
/**
 * Enough points for one per day over years: the step stays the queries' 1d minimum (a
 * wider step would skip days of a daily increase).
 */
const DAILY_MAX_DATA_POINTS = 2000;

/**
 * How much a counter grew within each step, stamped with the step's start: its last value
 * at the step's end (`offset -`: the bar at 09:00 counts 09:00-10:00, and the current hour
 * or day is counted) minus its last value at the start. No extrapolation: increase() would
 * scale a burst by the gaps of the backfill's sparse samples, and a partial current day by
 * its edges. Every series has a sample at least at each midnight, hence the 2d lookback.
 * The steps tile the dashboard's range (nothing counted twice or left out, whatever the
 * step); a series that starts inside a step starts at 0, so it counts whole (`or`).
 */
function growth(counter: string, by: string, endOffset: string, startOffset: string): string {
  const at = (offset: string) => `sum${by} (last_over_time(${counter}{${I}}[2d]${offset}))`;
  return `${at(endOffset)} - ${at(startOffset)} or ${at(endOffset)}`;
}

function growthPerStep(counter: string, by: string): string {
  return growth(counter, by, " offset -$__interval", "");
}

const COST_LAST_7D = growth("quotacast_cost_usd_total", "", "", " offset 1w");
const COST_7D_BEFORE = growth("quotacast_cost_usd_total", "", " offset 1w", " offset 2w");

/**
 * The final utilization of each weekly window, from the exporter's gauge of the last
 * completed window (and the backfill's sample at each past reset): at each step, the
 * window that reset within the step that starts there (`offset -`), if one did. One bar
 * per window, at the start of the week (Thursday 00:00 UTC, the 1w step's alignment) in
 * which it reset; never a partial week, and the window that reset this week included.
 */
const FINAL_WEEKLY_UTILIZATION =
  `last_over_time(quotacast_window_final_utilization_ratio{${I}, window=~"seven_day.*"}[$__interval] offset -$__interval)` +
  ` and on (instance, job, window)` +
  ` (last_over_time(quotacast_window_final_reset_timestamp_seconds{${I}}[$__interval] offset -$__interval) - time() >= 0 < $__interval_ms / 1000)`;

/** Grafana transformations that sum an hourly series by a formatted local time (hour, weekday). */
function sumByLocalTime(outputFormat: string): Json[] {
  return [
    { id: "formatTime", options: { timeField: "Time", outputFormat, useTimezone: true } },
    {
      id: "groupBy",
      options: {
        fields: {
          Time: { operation: "groupby", aggregations: [] },
          Value: { operation: "aggregate", aggregations: ["sum"] },
        },
      },
    },
    { id: "sortBy", options: { fields: {}, sort: [{ field: "Time", desc: false }] } },
  ];
}

/**
 * Responses in each step (see growthPerStep). The activity panels pin the step to one hour
 * (`interval` 1h, `maxDataPoints` over the hours of a year) so each bar is one clock hour.
 */
const MESSAGES_PER_STEP = growthPerStep("quotacast_messages_total", "");
/** Enough points for one per hour over a year: Grafana never widens the step past 1 h. */
const HOURLY_MAX_DATA_POINTS = 9000;

/** Responses per hour summed by a local-time bucket (`outputFormat`: "HH" hour, "E ddd" weekday). */
function activityBarchart(title: string, description: string, outputFormat: string): PanelItem {
  return barchart({
    title,
    description,
    w: 8,
    h: 8,
    unit: "short",
    options: { xField: "Time" },
    interval: "1h",
    maxDataPoints: HOURLY_MAX_DATA_POINTS,
    transformations: sumByLocalTime(outputFormat),
    targets: [{ expr: MESSAGES_PER_STEP, interval: "1h", format: "table" }],
  });
}

export const trendsDashboard: DashboardSpec = {
  uid: "quotacast-trends",
  title: "quotacast / Weekly trends",
  description:
    "Eight weeks of API-equivalent cost and tokens, weekly windows, the learned limit and activity patterns.",
  fileName: "quotacast-trends.json",
  timeFrom: "now-8w",
  refresh: "15m",
  variables: instanceVariables(),
  items: [
    row("Daily"),
    timeseries({
      title: "Daily API-equivalent cost by model",
      description: "One bar per day, drawn at the start of the day it counts (today's so far included).",
      w: 24,
      maxDataPoints: DAILY_MAX_DATA_POINTS,
      h: 9,
      unit: "currencyUSD",
      custom: STACKED_BARS,
      targets: [
        {
          expr: growthPerStep("quotacast_cost_usd_total", " by (model)"),
          legendFormat: "{{model}}",
          interval: "1d",
        },
      ],
    }),
    timeseries({
      title: "Daily tokens by model",
      description:
        "Deduplicated tokens of every type (input, output, cache writes and reads) per day, drawn at the start of the day (today's so far included).",
      w: 24,
      maxDataPoints: DAILY_MAX_DATA_POINTS,
      h: 9,
      unit: "short",
      custom: STACKED_BARS,
      targets: [
        {
          expr: growthPerStep("quotacast_tokens_total", " by (model)"),
          legendFormat: "{{model}}",
          interval: "1d",
        },
      ],
    }),
    row("Week over week"),
    stat({
      title: "Last 7 days",
      description: "API-equivalent cost of the last 7 days (168 hours up to now).",
      w: 4,
      h: 5,
      unit: "currencyUSD",
      decimals: 2,
      thresholds: NEUTRAL_THRESHOLDS,
      targets: [{ expr: COST_LAST_7D, instant: true }],
    }),
    stat({
      title: "The 7 days before",
      description: "API-equivalent cost of the 7 days before the last 7.",
      w: 4,
      h: 5,
      unit: "currencyUSD",
      decimals: 2,
      thresholds: NEUTRAL_THRESHOLDS,
      targets: [{ expr: COST_7D_BEFORE, instant: true }],
    }),
    stat({
      title: "Change",
      description: "Cost of the last 7 days against the 7 days before.",
      w: 4,
      h: 5,
      unit: "percentunit",
      decimals: 0,
      thresholds: trafficLight(0.25, 1),
      targets: [
        {
          expr: `(${COST_LAST_7D}) / (${COST_7D_BEFORE}) - 1`,
          instant: true,
        },
      ],
    }),
    timeseries({
      title: "Rolling 7-day cost, this week and the week before",
      description: "At each point, the cost of the 7 days before it, and the same a week earlier.",
      w: 12,
      h: 5,
      unit: "currencyUSD",
      custom: LINES,
      targets: [
        {
          expr: COST_LAST_7D,
          legendFormat: "last 7 days",
          interval: "1h",
        },
        {
          expr: COST_7D_BEFORE,
          legendFormat: "a week earlier",
          interval: "1h",
        },
      ],
    }),
    row("Weekly windows and the learned limit"),
    timeseries({
      title: "Final utilization of each weekly window",
      description:
        "Utilization each weekly window had reached when it reset: one bar per window, at the start of the week (Thursday 00:00 UTC) in which it reset.",
      w: 12,
      maxDataPoints: DAILY_MAX_DATA_POINTS,
      h: 8,
      unit: "percentunit",
      min: 0,
      thresholds: UTILIZATION_THRESHOLDS,
      custom: {
        ...STACKED_BARS,
        stacking: { mode: "none", group: "A" },
        thresholdsStyle: { mode: "dashed" },
      },
      targets: [{ expr: FINAL_WEEKLY_UTILIZATION, legendFormat: "{{window}} {{instance}}", interval: "1w" }],
    }),
    timeseries({
      title: "Cost per utilization point (learned limit)",
      description:
        "API-equivalent USD that moves each window by one percentage point, with the learned bounds.",
      w: 12,
      h: 8,
      unit: "currencyUSD",
      decimals: 2,
      custom: LINES,
      overrides: [seriesMatching(".*(low|high).*", [DASHED_LINE])],
      targets: [
        {
          expr: `quotacast_window_learned_limit_usd{${I}} / 100`,
          legendFormat: "{{window}} {{bound}} {{instance}}",
        },
      ],
    }),
    row("When and where"),
    activityBarchart(
      "Activity by hour of day",
      "Responses in each hour of the day (09 = 09:00-10:00) over the dashboard's range, in the browser's time zone.",
      "HH",
    ),
    activityBarchart(
      "Activity by day of week",
      "Responses per day of the week over the dashboard's range, in the browser's time zone.",
      "E ddd",
    ),
    bargauge({
      title: "Top projects",
      description:
        "API-equivalent cost per project over the dashboard's range. Needs the exporter's opt-in project metrics.",
      w: 8,
      h: 8,
      unit: "currencyUSD",
      decimals: 2,
      noValue: "project metrics not enabled",
      thresholds: NEUTRAL_THRESHOLDS,
      targets: [
        {
          expr: `topk(10, ${growth("quotacast_project_cost_usd_total", " by (project)", "", " offset $__range")})`,
          legendFormat: "{{project}}",
          instant: true,
        },
      ],
    }),
  ],
};
