/**
 * Dashboard 3, "Organization": month-to-date Claude Code cost per user and per model from
 * the Admin API, and the end-of-month projection against the budget of the rules. The
 * per-user and per-model families each add up to the total; the Admin API has no user x
 * model split, so there is no such table.
 */
import {
  type DashboardSpec,
  type PanelItem,
  DASHED_LINE,
  LINES,
  NEUTRAL_THRESHOLDS,
  bargauge,
  fixedColor,
  instanceVariables,
  row,
  seriesNamed,
  stat,
  timeseries,
  trafficLight,
} from "./grafana";

const I = 'instance=~"$instance"';
const BUDGET = "max(quotacast:org_monthly_budget_usd)";
const NO_BUDGET = "no budget rule loaded";
/** The organization's month to date: the per-user family adds up to it (so does the per-model one). */
const MONTH_TO_DATE = `sum(quotacast_org_user_cost_usd{${I}})`;

/** This month's cost per `label` (user or model) as bars, from its per-label family `metric`. */
function monthToDateBy(label: string, noun: string, metric: string): PanelItem {
  return bargauge({
    title: `Month to date by ${label}`,
    description: `Claude Code cost of each ${noun} this month (the bars add up to the month to date).`,
    w: 12,
    h: 9,
    unit: "currencyUSD",
    decimals: 2,
    thresholds: NEUTRAL_THRESHOLDS,
    targets: [
      {
        expr: `sort_desc(sum by (${label}) (${metric}{${I}}))`,
        legendFormat: `{{${label}}}`,
        instant: true,
      },
    ],
  });
}

export const organizationDashboard: DashboardSpec = {
  uid: "quotacast-organization",
  title: "quotacast / Organization",
  description:
    "Organization month-to-date Claude Code cost per user and per model (Admin API) and its projection.",
  fileName: "quotacast-organization.json",
  timeFrom: "now-30d",
  refresh: "5m",
  variables: instanceVariables(),
  items: [
    row("This month"),
    stat({
      title: "Month to date",
      description:
        "Claude Code cost of the organization this month: the sum over users (the Admin API is at least an hour late).",
      w: 6,
      h: 5,
      unit: "currencyUSD",
      decimals: 2,
      thresholds: NEUTRAL_THRESHOLDS,
      targets: [{ expr: MONTH_TO_DATE, instant: true }],
    }),
    stat({
      title: "Projected end of month",
      description: "Month to date extended to the end of the month at this month's daily pace.",
      w: 6,
      h: 5,
      unit: "currencyUSD",
      decimals: 2,
      thresholds: NEUTRAL_THRESHOLDS,
      targets: [{ expr: `sum(quotacast_org_projected_cost_usd{${I}})`, instant: true }],
    }),
    stat({
      title: "Monthly budget",
      description: "quotacast:org_monthly_budget_usd from prometheus/rules/quotacast-budgets.yml.",
      w: 6,
      h: 5,
      unit: "currencyUSD",
      decimals: 0,
      noValue: NO_BUDGET,
      thresholds: NEUTRAL_THRESHOLDS,
      targets: [{ expr: BUDGET, instant: true }],
    }),
    stat({
      title: "Projection / budget",
      description: "Projected end-of-month cost as a share of the monthly budget: red from 100%.",
      w: 6,
      h: 5,
      unit: "percentunit",
      decimals: 0,
      noValue: NO_BUDGET,
      thresholds: trafficLight(0.9, 1),
      targets: [{ expr: `sum(quotacast_org_projected_cost_usd{${I}}) / ${BUDGET}`, instant: true }],
    }),
    monthToDateBy("user", "member", "quotacast_org_user_cost_usd"),
    monthToDateBy("model", "model", "quotacast_org_model_cost_usd"),
    row("Over time"),
    timeseries({
      title: "Month to date and projection",
      description:
        "Month to date and its end-of-month projection over the month, with the budget as a dashed red line.",
      w: 24,
      h: 9,
      unit: "currencyUSD",
      custom: LINES,
      overrides: [seriesNamed("budget", [DASHED_LINE, fixedColor("red")])],
      targets: [
        { expr: MONTH_TO_DATE, legendFormat: "month to date" },
        { expr: `sum(quotacast_org_projected_cost_usd{${I}})`, legendFormat: "projection" },
        { expr: BUDGET, legendFormat: "budget" },
      ],
    }),
  ],
};
