/**
 * Dashboard 1, "Now": where each window stands, where it is heading, the active block,
 * today's cost and the health of the sources.
 */
import {
  type DashboardSpec,
  type PanelItem,
  DASHED_LINE,
  LINES,
  NEUTRAL_THRESHOLDS,
  PERCENT_PER_HOUR,
  USD_PER_HOUR,
  UTILIZATION_THRESHOLDS,
  fixedColor,
  gauge,
  instanceVariables,
  labelVariable,
  row,
  seriesMatching,
  stat,
  table,
  timeseries,
  trafficLight,
} from "./grafana";

const I = 'instance=~"$instance"';
const IW = `${I}, window=~"$window"`;

/** Utilization of each window, the highest reading over the sources. */
const UTILIZATION = `max without (source) (quotacast_window_utilization_ratio{${IW}})`;
/** Where utilization would be if the window were used evenly: the elapsed fraction. */
const ON_PACE = `clamp(1 - (quotacast_window_resets_at_timestamp_seconds{${IW}} - time()) / quotacast_window_length_seconds{${IW}}, 0, 1)`;

const WINDOW_LEGEND = "{{window}} {{instance}}";

const PROBABILITY_THRESHOLDS = trafficLight(0.25, 0.5);

/** A half-width utilization graph with the 75/80/90% lines dashed. */
const UTILIZATION_TIMESERIES = {
  w: 12,
  h: 9,
  unit: "percentunit",
  min: 0,
  thresholds: UTILIZATION_THRESHOLDS,
  custom: { ...LINES, thresholdsStyle: { mode: "dashed" } },
} as const;

export const nowDashboard: DashboardSpec = {
  uid: "quotacast-now",
  title: "quotacast / Now",
  description:
    "Claude subscription windows right now: utilization, forecast at reset, pace, burn, the active block and source health.",
  fileName: "quotacast-now.json",
  timeFrom: "now-24h",
  refresh: "1m",
  variables: [
    ...instanceVariables(),
    labelVariable("window", "Window", 'quotacast_window_utilization_ratio{instance=~"$instance"}'),
  ],
  items: [
    row("Windows"),
    gauge({
      title: "Window utilization",
      description:
        "Latest utilization of each window (highest reading over the sources). Yellow from 75%, orange from 80%, red from 90%.",
      w: 10,
      h: 8,
      unit: "percentunit",
      min: 0,
      max: 1,
      thresholds: UTILIZATION_THRESHOLDS,
      targets: [{ expr: UTILIZATION, legendFormat: WINDOW_LEGEND, instant: true }],
    }),
    stat({
      title: "Resets in",
      description: "Time until each window resets.",
      w: 7,
      h: 4,
      unit: "dtdurations",
      thresholds: NEUTRAL_THRESHOLDS,
      targets: [
        {
          expr: `clamp_min(quotacast_window_resets_at_timestamp_seconds{${IW}} - time(), 0)`,
          legendFormat: WINDOW_LEGEND,
          instant: true,
        },
      ],
    }),
    stat({
      title: "Exhaustion probability",
      description: "Probability of reaching 100% before the window resets (forecast).",
      w: 7,
      h: 4,
      unit: "percentunit",
      thresholds: PROBABILITY_THRESHOLDS,
      targets: [
        {
          expr: `quotacast_window_exhaustion_probability_ratio{${IW}}`,
          legendFormat: WINDOW_LEGEND,
          instant: true,
        },
      ],
    }),
    stat({
      title: "Projected exhaustion (median)",
      description:
        "When 100% is reached at the forecast's median; empty when exhaustion before reset is not likely.",
      w: 7,
      h: 4,
      unit: "dateTimeFromNow",
      noValue: "not projected",
      thresholds: NEUTRAL_THRESHOLDS,
      targets: [
        {
          expr: `quotacast_window_exhaustion_timestamp_seconds{${IW}, quantile="0.5"} * 1000`,
          legendFormat: WINDOW_LEGEND,
          instant: true,
        },
      ],
    }),
    stat({
      title: "Pace",
      description:
        "Utilization divided by the elapsed fraction of the window: 1 = on pace, above 1 = ahead of pace.",
      w: 7,
      h: 4,
      unit: "none",
      decimals: 2,
      thresholds: trafficLight(1, 1.25),
      targets: [{ expr: `quotacast_window_pace_ratio{${IW}}`, legendFormat: WINDOW_LEGEND, instant: true }],
    }),
    row("Window $window", "window"),
    timeseries({
      title: "Utilization and pace",
      description:
        "Utilization against the pace line (the utilization an evenly spread use would have reached by now). Dashed lines: 75/80/90%.",
      ...UTILIZATION_TIMESERIES,
      overrides: [seriesMatching("^pace.*", [DASHED_LINE, fixedColor("text")])],
      targets: [
        { expr: UTILIZATION, legendFormat: "utilization {{instance}}" },
        { expr: ON_PACE, legendFormat: "pace {{instance}}" },
      ],
    }),
    timeseries({
      title: "Forecast at reset",
      description:
        "Forecast utilization at reset: the median (thick) between the 25-75% (dashed) and 10-90% (dotted) quantiles. A quantile above 100% means the window may run out.",
      ...UTILIZATION_TIMESERIES,
      // By the quantile at the start of the name; the instance follows, so several
      // exporters' lines never share a name.
      overrides: [
        seriesMatching("^q0\\.5 ", [{ id: "custom.lineWidth", value: 3 }]),
        seriesMatching("^q0\\.(25|75) ", [DASHED_LINE]),
        seriesMatching("^q0\\.(1|9) ", [{ id: "custom.lineStyle", value: { fill: "dot", dash: [2, 6] } }]),
      ],
      targets: [
        {
          expr: `quotacast_window_forecast_utilization_ratio{${IW}}`,
          legendFormat: "q{{quantile}} {{instance}}",
        },
      ],
    }),
    timeseries({
      title: "Burn rate",
      description: "Recent burn rate of the window, in utilization points (%) per hour.",
      w: 12,
      h: 7,
      unit: PERCENT_PER_HOUR,
      decimals: 1,
      custom: LINES,
      targets: [
        {
          expr: `quotacast_window_burn_rate_ratio_per_second{${IW}} * 3600 * 100`,
          legendFormat: "per hour {{instance}}",
        },
      ],
    }),
    timeseries({
      title: "Exhaustion time (forecast quantiles)",
      description:
        "When the forecast reaches 100% (10%, 50%, 90% quantiles), shown as hours from now; absent when not likely.",
      w: 12,
      h: 7,
      unit: "h",
      custom: LINES,
      targets: [
        {
          expr: `(quotacast_window_exhaustion_timestamp_seconds{${IW}} - time()) / 3600`,
          legendFormat: "q{{quantile}} {{instance}}",
        },
        {
          expr: `(quotacast_window_resets_at_timestamp_seconds{${IW}} - time()) / 3600`,
          legendFormat: "reset {{instance}}",
        },
      ],
    }),
    row("Spend"),
    stat({
      title: "Today's cost",
      description: "API-equivalent cost today (the exporter's time zone).",
      w: 4,
      h: 4,
      unit: "currencyUSD",
      decimals: 2,
      thresholds: NEUTRAL_THRESHOLDS,
      targets: [{ expr: `sum(quotacast_today_cost_usd{${I}})`, instant: true }],
    }),
    stat({
      title: "Current block cost",
      description: "API-equivalent cost of the active 5-hour block (0 when there is none).",
      w: 4,
      h: 4,
      unit: "currencyUSD",
      decimals: 2,
      thresholds: NEUTRAL_THRESHOLDS,
      targets: [{ expr: `sum(quotacast_block_cost_usd{${I}})`, instant: true }],
    }),
    stat({
      title: "Block projected cost",
      description: "Block cost at the block's end at the current burn rate.",
      w: 4,
      h: 4,
      unit: "currencyUSD",
      decimals: 2,
      thresholds: NEUTRAL_THRESHOLDS,
      targets: [{ expr: `sum(quotacast_block_projected_cost_usd{${I}})`, instant: true }],
    }),
    stat({
      title: "Block burn rate",
      description: "API-equivalent USD per hour in the active block.",
      w: 4,
      h: 4,
      unit: USD_PER_HOUR,
      decimals: 2,
      thresholds: NEUTRAL_THRESHOLDS,
      targets: [{ expr: `sum(quotacast_block_burn_rate_usd_per_second{${I}}) * 3600`, instant: true }],
    }),
    stat({
      title: "Block tokens",
      description: "Tokens of every type in the active 5-hour block.",
      w: 4,
      h: 4,
      unit: "short",
      thresholds: NEUTRAL_THRESHOLDS,
      targets: [{ expr: `sum(quotacast_block_tokens{${I}})`, instant: true }],
    }),
    stat({
      title: "Block ends",
      description: "End of the active 5-hour block.",
      w: 4,
      h: 4,
      unit: "dateTimeFromNow",
      noValue: "no active block",
      thresholds: NEUTRAL_THRESHOLDS,
      targets: [{ expr: `max(quotacast_block_end_timestamp_seconds{${I}} > 0) * 1000`, instant: true }],
    }),
    timeseries({
      title: "Cost rate by model",
      description: "API-equivalent USD per hour, by model.",
      w: 12,
      h: 8,
      unit: USD_PER_HOUR,
      custom: { ...LINES, fillOpacity: 20, stacking: { mode: "normal", group: "A" } },
      targets: [
        {
          expr: `sum by (model) (rate(quotacast_cost_usd_total{${I}}[$__rate_interval])) * 3600`,
          legendFormat: "{{model}}",
        },
      ],
    }),
    timeseries({
      title: "Today's cost and the block",
      description: "Today's cost, the active block's cost and its projection at the block's end, over time.",
      w: 12,
      h: 8,
      unit: "currencyUSD",
      custom: LINES,
      targets: [
        { expr: `sum(quotacast_today_cost_usd{${I}})`, legendFormat: "today" },
        { expr: `sum(quotacast_block_cost_usd{${I}})`, legendFormat: "block" },
        { expr: `sum(quotacast_block_projected_cost_usd{${I}})`, legendFormat: "block projected" },
      ],
    }),
    row("Sources and exporter"),
    stat({
      title: "Source status",
      description: "1 when the source's last poll succeeded.",
      w: 8,
      h: 4,
      thresholds: [
        { value: null, color: "red" },
        { value: 1, color: "green" },
      ],
      mappings: [
        {
          type: "value",
          options: {
            "0": { text: "down", color: "red", index: 0 },
            "1": { text: "up", color: "green", index: 1 },
          },
        },
      ],
      targets: [
        { expr: `quotacast_source_up{${I}}`, legendFormat: "{{source}} {{instance}}", instant: true },
      ],
    }),
    stat({
      title: "Since last success",
      description:
        "Time since each source last answered. Statusline and header-file sources update only while Claude Code is used.",
      w: 8,
      h: 4,
      unit: "dtdurations",
      thresholds: NEUTRAL_THRESHOLDS,
      targets: [
        {
          expr: `time() - (quotacast_source_last_success_timestamp_seconds{${I}} > 0)`,
          legendFormat: "{{source}} {{instance}}",
          instant: true,
        },
      ],
    }),
    infoStat(
      "Plan",
      "Subscription type and rate-limit tier from the OAuth profile.",
      `quotacast_account_info{${I}}`,
      "{{subscription_type}} ({{rate_limit_tier}})",
    ),
    infoStat(
      "Exporter",
      "Version of quotacast and of Node.js that runs it.",
      `quotacast_build_info{${I}}`,
      "v{{version}} node {{nodejs_version}}",
    ),
    table({
      title: "Current source errors",
      description: "The current reason per source (`none` when healthy).",
      w: 12,
      h: 6,
      targets: [{ expr: `quotacast_source_last_error_info{${I}} == 1`, instant: true, format: "table" }],
      transformations: [
        {
          id: "organize",
          options: {
            excludeByName: { Time: true, Value: true, __name__: true, job: true },
            indexByName: { instance: 0, source: 1, reason: 2 },
          },
        },
      ],
    }),
    timeseries({
      title: "Source polls",
      description: "Polls of each source per interval of the graph.",
      w: 6,
      h: 6,
      unit: "short",
      custom: LINES,
      targets: [
        {
          expr: `sum by (source) (increase(quotacast_source_polls_total{${I}}[$__rate_interval]))`,
          legendFormat: "{{source}}",
        },
      ],
    }),
    stat({
      title: "Collection time and skipped lines",
      description: "How long the last collection took, and transcript lines that could not be parsed.",
      w: 6,
      h: 6,
      thresholds: NEUTRAL_THRESHOLDS,
      targets: [
        {
          expr: `max(quotacast_scrape_duration_seconds{${I}})`,
          legendFormat: "collection (s)",
          instant: true,
        },
        {
          expr: `sum(quotacast_ingest_lines_skipped_total{${I}})`,
          legendFormat: "skipped lines",
          instant: true,
        },
      ],
    }),
  ],
};

/** Styles the lines of one forecast quantile (every instance's), matched by legend prefix. */
/** A 4x4 stat that shows the label text of an info metric. */
function infoStat(title: string, description: string, expr: string, legendFormat: string): PanelItem {
  return stat({
    title,
    description,
    w: 4,
    h: 4,
    thresholds: NEUTRAL_THRESHOLDS,
    options: { textMode: "name" },
    targets: [{ expr, legendFormat, instant: true }],
  });
}
