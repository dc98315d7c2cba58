/**
 * Dashboard 3, "Organization": month-to-date Claude Code cost per user and model from the
 * Admin API, and the end-of-month projection against the budget of the rules.
 */
import {
  type DashboardSpec,
  LINES,
  NEUTRAL_THRESHOLDS,
  bargauge,
  datasourceVariable,
  labelVariable,
  row,
  stat,
  table,
  timeseries,
} from "./grafana";

const I = 'instance=~"$instance"';
const BUDGET = "max(quotacast:org_monthly_budget_usd)";
const NO_BUDGET = "no budget rule loaded";

export const organizationDashboard: DashboardSpec = {
  uid: "quotacast-organization",
  title: "quotacast / Organization",
  description:
    "Organization month-to-date Claude Code cost per user and model (Admin API) and its projection.",
  fileName: "quotacast-organization.json",
  timeFrom: "now-30d",
  refresh: "5m",
  variables: [datasourceVariable(), labelVariable("instance", "Instance", "quotacast_build_info")],
  items: [
    row("This month"),
    stat({
      title: "Month to date",
      description:
        "Claude Code cost of the organization this month (the Admin API is at least an hour late).",
      w: 6,
      h: 5,
      unit: "currencyUSD",
      decimals: 2,
      thresholds: NEUTRAL_THRESHOLDS,
      targets: [{ expr: `sum(quotacast_org_cost_usd{${I}})`, instant: true }],
    }),
    stat({
      title: "Projected end of month",
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
      w: 6,
      h: 5,
      unit: "percentunit",
      decimals: 0,
      noValue: NO_BUDGET,
      thresholds: [
        { value: null, color: "green" },
        { value: 0.9, color: "#EAB839" },
        { value: 1, color: "red" },
      ],
      targets: [{ expr: `sum(quotacast_org_projected_cost_usd{${I}}) / ${BUDGET}`, instant: true }],
    }),
    bargauge({
      title: "Month to date by user",
      w: 12,
      h: 9,
      unit: "currencyUSD",
      decimals: 2,
      thresholds: NEUTRAL_THRESHOLDS,
      targets: [
        {
          expr: `sort_desc(sum by (user) (quotacast_org_cost_usd{${I}}))`,
          legendFormat: "{{user}}",
          instant: true,
        },
      ],
    }),
    bargauge({
      title: "Month to date by model",
      w: 12,
      h: 9,
      unit: "currencyUSD",
      decimals: 2,
      thresholds: NEUTRAL_THRESHOLDS,
      targets: [
        {
          expr: `sort_desc(sum by (model) (quotacast_org_cost_usd{${I}}))`,
          legendFormat: "{{model}}",
          instant: true,
        },
      ],
    }),
    row("Over time"),
    timeseries({
      title: "Month to date and projection",
      w: 12,
      h: 9,
      unit: "currencyUSD",
      custom: LINES,
      overrides: [
        {
          matcher: { id: "byName", options: "budget" },
          properties: [
            { id: "custom.lineStyle", value: { fill: "dash", dash: [10, 10] } },
            { id: "color", value: { mode: "fixed", fixedColor: "red" } },
          ],
        },
      ],
      targets: [
        { expr: `sum(quotacast_org_cost_usd{${I}})`, legendFormat: "month to date" },
        { expr: `sum(quotacast_org_projected_cost_usd{${I}})`, legendFormat: "projection" },
        { expr: BUDGET, legendFormat: "budget" },
      ],
    }),
    table({
      title: "Cost per user and model",
      w: 12,
      h: 9,
      unit: "currencyUSD",
      decimals: 2,
      targets: [
        { expr: `sum by (user, model) (quotacast_org_cost_usd{${I}})`, instant: true, format: "table" },
      ],
      transformations: [
        {
          id: "organize",
          options: { excludeByName: { Time: true }, renameByName: { Value: "month to date" } },
        },
        { id: "sortBy", options: { fields: {}, sort: [{ field: "month to date", desc: true }] } },
      ],
    }),
  ],
};
