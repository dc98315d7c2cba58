/**
 * Dashboard 2, "Weekly trends": eight weeks of daily cost and tokens, week over week,
 * each weekly window's final utilization, the learned limit, when the work happens and
 * the top projects.
 */
import {
  type DashboardSpec,
  type Json,
  LINES,
  NEUTRAL_THRESHOLDS,
  STACKED_BARS,
  UTILIZATION_THRESHOLDS,
  barchart,
  bargauge,
  datasourceVariable,
  labelVariable,
  row,
  stat,
  timeseries,
} from "./grafana";

const I = 'instance=~"$instance"';

/**
 * A daily increase that uses the recording rule where Prometheus evaluated it and computes
 * it from the counter elsewhere (backfilled history, or rules not loaded). Both sides carry
 * the same labels, so `or` never counts a day twice.
 */
function dailyIncrease(rule: string, counter: string): string {
  return `${rule}{${I}} or increase(${counter}{${I}}[1d])`;
}

const WEEKLY_UTILIZATION = `quotacast_window_utilization_ratio{${I}, window=~"seven_day.*"}`;

/**
 * The utilization a weekly window had when it reset: utilization only grows inside a window,
 * so the highest reading in its last 12 hours is its final value. Evaluated weekly, each bar
 * is the window that reset during the week before it. Where no reset time was recorded
 * (backfilled history has utilization only), the week's highest reading stands in for it.
 */
const FINAL_WEEKLY_UTILIZATION =
  `max_over_time((max without (source) (${WEEKLY_UTILIZATION})` +
  ` and (quotacast_window_resets_at_timestamp_seconds{${I}} - time() < 43200))[1w:5m])` +
  ` or max without (source) (max_over_time(${WEEKLY_UTILIZATION}[1w]))`;

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

const HOURLY_MESSAGES = `sum(increase(quotacast_messages_total{${I}}[1h]))`;

export const trendsDashboard: DashboardSpec = {
  uid: "quotacast-trends",
  title: "quotacast / Weekly trends",
  description:
    "Eight weeks of API-equivalent cost and tokens, weekly windows, the learned limit and activity patterns.",
  fileName: "quotacast-trends.json",
  timeFrom: "now-8w",
  refresh: "15m",
  variables: [datasourceVariable(), labelVariable("instance", "Instance", "quotacast_build_info")],
  items: [
    row("Daily"),
    timeseries({
      title: "Daily API-equivalent cost by model",
      description: "One bar per day (UTC), drawn at the end of the day it counts.",
      w: 24,
      h: 9,
      unit: "currencyUSD",
      custom: STACKED_BARS,
      targets: [
        {
          expr: `sum by (model) (${dailyIncrease("quotacast:cost_usd:increase1d", "quotacast_cost_usd_total")})`,
          legendFormat: "{{model}}",
          interval: "1d",
        },
      ],
    }),
    timeseries({
      title: "Daily tokens by model",
      description: "Deduplicated tokens of every type (input, output, cache writes and reads) per day (UTC).",
      w: 24,
      h: 9,
      unit: "short",
      custom: STACKED_BARS,
      targets: [
        {
          expr: `sum by (model) (${dailyIncrease("quotacast:tokens:increase1d", "quotacast_tokens_total")})`,
          legendFormat: "{{model}}",
          interval: "1d",
        },
      ],
    }),
    row("Week over week"),
    stat({
      title: "Last 7 days",
      w: 4,
      h: 5,
      unit: "currencyUSD",
      decimals: 2,
      thresholds: NEUTRAL_THRESHOLDS,
      targets: [{ expr: `sum(increase(quotacast_cost_usd_total{${I}}[1w]))`, instant: true }],
    }),
    stat({
      title: "The 7 days before",
      w: 4,
      h: 5,
      unit: "currencyUSD",
      decimals: 2,
      thresholds: NEUTRAL_THRESHOLDS,
      targets: [{ expr: `sum(increase(quotacast_cost_usd_total{${I}}[1w] offset 1w))`, instant: true }],
    }),
    stat({
      title: "Change",
      description: "Cost of the last 7 days against the 7 days before.",
      w: 4,
      h: 5,
      unit: "percentunit",
      decimals: 0,
      thresholds: [
        { value: null, color: "green" },
        { value: 0.25, color: "#EAB839" },
        { value: 1, color: "red" },
      ],
      targets: [
        {
          expr: `sum(increase(quotacast_cost_usd_total{${I}}[1w])) / sum(increase(quotacast_cost_usd_total{${I}}[1w] offset 1w)) - 1`,
          instant: true,
        },
      ],
    }),
    timeseries({
      title: "Rolling 7-day cost, this week and the week before",
      w: 12,
      h: 5,
      unit: "currencyUSD",
      custom: LINES,
      targets: [
        {
          expr: `sum(increase(quotacast_cost_usd_total{${I}}[1w]))`,
          legendFormat: "last 7 days",
          interval: "1h",
        },
        {
          expr: `sum(increase(quotacast_cost_usd_total{${I}}[1w] offset 1w))`,
          legendFormat: "a week earlier",
          interval: "1h",
        },
      ],
    }),
    row("Weekly windows and the learned limit"),
    timeseries({
      title: "Final utilization of each weekly window",
      description:
        "Utilization each weekly window had reached when it reset (one bar per week). Where the reset time is unknown (backfilled history), the week's highest reading.",
      w: 12,
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
      overrides: [
        {
          matcher: { id: "byRegexp", options: ".*(low|high).*" },
          properties: [{ id: "custom.lineStyle", value: { fill: "dash", dash: [10, 10] } }],
        },
      ],
      targets: [
        {
          expr: `quotacast_window_learned_limit_usd{${I}} / 100`,
          legendFormat: "{{window}} {{bound}} {{instance}}",
        },
      ],
    }),
    row("When and where"),
    barchart({
      title: "Activity by hour of day",
      description: "Responses per hour of the day over the dashboard's range, in the browser's time zone.",
      w: 8,
      h: 8,
      unit: "short",
      options: { xField: "Time" },
      transformations: sumByLocalTime("HH"),
      targets: [{ expr: HOURLY_MESSAGES, interval: "1h", format: "table" }],
    }),
    barchart({
      title: "Activity by day of week",
      description: "Responses per day of the week over the dashboard's range, in the browser's time zone.",
      w: 8,
      h: 8,
      unit: "short",
      options: { xField: "Time" },
      transformations: sumByLocalTime("E ddd"),
      targets: [{ expr: HOURLY_MESSAGES, interval: "1h", format: "table" }],
    }),
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
          expr: `topk(10, sum by (project) (increase(quotacast_project_cost_usd_total{${I}}[$__range])))`,
          legendFormat: "{{project}}",
          instant: true,
        },
      ],
    }),
  ],
};
