/**
 * The Grafana dashboards and their provisioning: the JSON in the repo is exactly what
 * scripts/dashboards generates, every dashboard is structurally sound and works imported
 * by hand, and every query parses and reads only metrics of docs/metrics.md.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { PROVISIONED_DATASOURCE_UID } from "../../scripts/dashboards/grafana";
import { DASHBOARD_SPECS, renderDashboards } from "../../scripts/dashboards/generate";
import { REPO_ROOT, contractMetricNames, metricNames, promqlSyntaxErrors } from "../prometheus/promql";
import { loadRules } from "../prometheus/rule-files";
import { dashboardProblems } from "./dashboard-checks";
import { grafanaStepSeconds, grafanaSteps } from "./grafana-step";
import {
  DASHBOARD_DIR,
  type JsonObject,
  allPanels,
  durationSeconds,
  loadDashboards,
  panelQueries,
  relativeRangeSeconds,
  substituteVariables,
  variables,
} from "./dashboard-queries";

const dashboards = loadDashboards();
const SUBSTITUTION = { rangeSeconds: 86400, intervalSeconds: 60, scrapeIntervalSeconds: 30 };

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

describe("generated dashboards", () => {
  it("the JSON in grafana/dashboards is what scripts/dashboards/generate.ts writes (run it after editing)", () => {
    const rendered = renderDashboards();
    expect(dashboards.map((d) => d.fileName).sort()).toEqual([...rendered.keys()].sort());
    for (const [fileName, text] of rendered) {
      expect({ fileName, text: fs.readFileSync(path.join(DASHBOARD_DIR, fileName), "utf8") }).toEqual({
        fileName,
        text,
      });
    }
  });

  it("has the three dashboards of the issue", () => {
    expect(dashboards.map((d) => d.json.title)).toEqual(
      expect.arrayContaining(["quotacast / Now", "quotacast / Weekly trends", "quotacast / Organization"]),
    );
    expect(DASHBOARD_SPECS).toHaveLength(3);
  });

  it("uids are unique across dashboards", () => {
    const uids = dashboards.map((d) => d.json.uid);
    expect(new Set(uids).size).toBe(uids.length);
  });
});

describe.each(dashboards.map((d) => [d.fileName, d]))("%s", (_fileName, loaded) => {
  const dashboard = loaded.json;
  const variableNames = variables(dashboard).map((v) => String(v.name));

  it("passes the structural checks", () => {
    expect(dashboardProblems(dashboard, PROVISIONED_DATASOURCE_UID)).toEqual([]);
  });

  it("every query parses as PromQL once the variables are substituted", () => {
    const failures = panelQueries(loaded)
      .map((q) => ({
        panel: q.panel,
        expr: q.expr,
        errors: promqlSyntaxErrors(substituteVariables(q.expr, variableNames, SUBSTITUTION)),
      }))
      .filter((f) => f.errors.length > 0);
    expect(failures).toEqual([]);
  });

  it("variable queries select valid series", () => {
    for (const variable of variables(dashboard).filter((v) => v.type === "query")) {
      const definition = String(variable.definition);
      const match = /^label_values\((.+), (\w+)\)$/.exec(definition);
      expect(match).not.toBeNull();
      const selector = substituteVariables((match as RegExpExecArray)[1], variableNames, SUBSTITUTION);
      expect(promqlSyntaxErrors(selector)).toEqual([]);
    }
  });

  it("reads only metrics of docs/metrics.md and recording rules that exist", () => {
    const known = new Set([
      ...contractMetricNames(),
      ...loadRules().flatMap((r) => (r.record ? [r.record] : [])),
    ]);
    const exprs = [
      ...panelQueries(loaded).map((q) => q.expr),
      ...variables(dashboard).map((v) => String(v.definition ?? "")),
    ];
    const unknown = exprs.flatMap((expr) => metricNames(expr).filter((name) => !known.has(name)));
    expect(unknown).toEqual([]);
  });

  it("filters every selector of an exporter metric by the instance variable", () => {
    const unfiltered = panelQueries(loaded).flatMap((q) =>
      [...q.expr.matchAll(/\b(quotacast[_:][a-z0-9_:]+)(\{[^}]*\})?/g)]
        .filter((m) => !m[1].endsWith("_budget_usd") && !(m[2] ?? "").includes('instance=~"$instance"'))
        .map((m) => `${q.panel}: ${m[0]}`),
    );
    expect(unfiltered).toEqual([]);
  });

  it("no range query reads a fixed range shorter than a step Grafana can choose for it", () => {
    const rangeSeconds = relativeRangeSeconds(String((dashboard.time as JsonObject).from));
    const gaps: string[] = [];
    for (const panel of allPanels(dashboard).filter((p) => p.type !== "row")) {
      for (const target of (panel.targets as JsonObject[] | undefined) ?? []) {
        if (target.instant === true) continue;
        // Fixed ranges (`[1h]`, `[1d] offset 1w`); `$__interval` ranges follow the step.
        const ranges = [...String(target.expr).matchAll(/\[(\d+[smhdwy])\]/g)].map((m) =>
          durationSeconds(m[1]),
        );
        for (const step of grafanaSteps(panel, target, rangeSeconds)) {
          for (const range of ranges.filter((r) => r < step)) {
            gaps.push(
              `${String(panel.title)}: [${range}s] at a ${step}s step skips ${step - range}s of every step`,
            );
          }
        }
      }
    }
    expect(gaps).toEqual([]);
  });

  it("has a time range the end-to-end test understands", () => {
    expect(relativeRangeSeconds(String((dashboard.time as JsonObject).from))).toBeGreaterThan(0);
  });
});

describe("Grafana's step", () => {
  const eightWeeks = 8 * 604800;

  it("is 2 h for an hourly query in a third-width panel over 8 weeks (what Grafana chose)", () => {
    expect(grafanaStepSeconds(eightWeeks, 600, undefined, "1h")).toBe(7200);
  });

  it("stays at the pinned 1 h when maxDataPoints covers every hour of the range", () => {
    expect(grafanaStepSeconds(eightWeeks, 9000, "1h", "1h")).toBe(3600);
  });

  it("rises to range / 11000 whatever the settings", () => {
    expect(grafanaStepSeconds(2 * 365 * 86400, 100000, "1h", "1h")).toBe(5734);
  });

  it("the activity panels allow only a 1 h step over the trends dashboard's range", () => {
    const trends = dashboards.find((d) => d.fileName === "quotacast-trends.json") as { json: JsonObject };
    const activity = allPanels(trends.json).filter((p) => String(p.title).startsWith("Activity by"));
    expect(activity).toHaveLength(2);
    for (const panel of activity) {
      const target = (panel.targets as JsonObject[])[0];
      expect(grafanaSteps(panel, target, eightWeeks)).toEqual([3600]);
    }
  });
});

describe("the structural checks find what they look for", () => {
  const base = dashboards[0].json;

  it("a duplicated panel id", () => {
    const broken = clone(base);
    const panels = broken.panels as JsonObject[];
    panels[2].id = panels[1].id;
    expect(dashboardProblems(broken, PROVISIONED_DATASOURCE_UID)).toEqual([
      `panel id ${String(panels[1].id)} is used twice`,
    ]);
  });

  it("a hard-coded datasource uid", () => {
    const broken = clone(base);
    const panel = allPanels(broken).find((p) => p.type !== "row") as JsonObject;
    panel.datasource = { type: "prometheus", uid: "P1809F7CD0C75ACF3" };
    expect(dashboardProblems(broken, PROVISIONED_DATASOURCE_UID)).toEqual([
      expect.stringContaining("datasource is 'P1809F7CD0C75ACF3'"),
    ]);
  });

  it("an undefined variable and a panel without a query", () => {
    const broken = clone(base);
    const panel = allPanels(broken).find((p) => p.type !== "row") as JsonObject;
    (panel.targets as JsonObject[])[0].expr = 'quotacast_build_info{host=~"$host"}';
    const other = allPanels(broken).filter((p) => p.type !== "row")[1];
    other.targets = [];
    const problems = dashboardProblems(broken, PROVISIONED_DATASOURCE_UID);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining("undefined variable $host"),
        `panel '${String(other.title)}' has no query`,
      ]),
    );
  });

  it("a panel without a description, a per-hour rate without /h, a legend without the instance", () => {
    const broken = clone(base);
    const [first, second, third] = allPanels(broken).filter((p) => p.type !== "row");
    first.description = "";
    (second.targets as JsonObject[])[0].expr = "quotacast_block_burn_rate_usd_per_second * 3600";
    (second.fieldConfig as { defaults: JsonObject }).defaults.unit = "currencyUSD";
    third.fieldConfig = {
      defaults: {},
      overrides: [{ matcher: { id: "byName", options: "q0.5" }, properties: [] }],
    };
    (third.targets as JsonObject[])[0].legendFormat = "q{{quantile}}";
    expect(dashboardProblems(broken, PROVISIONED_DATASOURCE_UID)).toEqual([
      `panel '${String(first.title)}' has no description`,
      `panel '${String(second.title)}' shows a rate per hour with unit 'currencyUSD', not a "/h" unit`,
      `panel '${String(third.title)}' matches series by name but a legend lacks {{instance}}`,
    ]);
  });

  it("a dashboard without the instance variable", () => {
    const broken = clone(base);
    const templating = broken.templating as { list: JsonObject[] };
    templating.list = templating.list.filter((v) => v.name !== "instance");
    expect(dashboardProblems(broken, PROVISIONED_DATASOURCE_UID)).toEqual(
      expect.arrayContaining(["no `instance` variable with multi-value and All"]),
    );
  });
});

describe("provisioning", () => {
  const provisioning = path.join(REPO_ROOT, "grafana", "provisioning");

  it("provisions the Prometheus of docker-compose.yml with the uid the dashboards default to", () => {
    const file = parseYaml(
      fs.readFileSync(path.join(provisioning, "datasources", "quotacast.yml"), "utf8"),
    ) as {
      datasources: JsonObject[];
    };
    expect(file.datasources).toEqual([
      expect.objectContaining({
        uid: PROVISIONED_DATASOURCE_UID,
        type: "prometheus",
        url: "http://prometheus:9090",
      }),
    ]);
  });

  it("loads the dashboards folder with a file provider", () => {
    const file = parseYaml(
      fs.readFileSync(path.join(provisioning, "dashboards", "quotacast.yml"), "utf8"),
    ) as {
      providers: Array<{ type: string; options: { path: string } }>;
    };
    expect(file.providers).toHaveLength(1);
    expect(file.providers[0].type).toBe("file");
    expect(file.providers[0].options.path).toBe("/etc/grafana/dashboards/quotacast");
  });
});
