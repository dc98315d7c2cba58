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
import {
  DASHBOARD_DIR,
  type JsonObject,
  allPanels,
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

  it("has a time range the end-to-end test understands", () => {
    expect(relativeRangeSeconds(String((dashboard.time as JsonObject).from))).toBeGreaterThan(0);
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
