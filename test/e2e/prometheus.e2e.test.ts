/**
 * End to end: the real exporter on a generated history with its backfill loaded, scraped
 * by a real Prometheus with the repository's rules; then every query of every dashboard
 * panel must return data, and every rule must evaluate without error.
 *
 * Needs `prometheus` and `promtool` (Debian's prometheus package) and a built exporter
 * (`npm run build`, which `npm test` runs first).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import {
  type LoadedDashboard,
  loadDashboards,
  panelQueries,
  relativeRangeSeconds,
  substituteVariables,
  variables,
} from "../grafana/dashboard-queries";
import { findBinary, nameUnlessMissing } from "../prometheus/binaries";
import { loadRules } from "../prometheus/rule-files";
import {
  EXPORTER_CLI,
  type Environment,
  SCRAPE_INTERVAL_SECONDS,
  startEnvironment,
  waitFor,
} from "./environment";

const prometheusBin = findBinary("prometheus");
const promtoolBin = findBinary("promtool");
const describeWithPrometheus = prometheusBin && promtoolBin ? describe : describe.skip;
/** Grafana asks for about this many points per panel; the step follows from it. */
const MAX_POINTS = 300;

interface Sample {
  metric: Record<string, string>;
  value?: [number, string];
  values?: Array<[number, string]>;
}

interface ApiResponse {
  status: "success" | "error";
  error?: string;
  data: { resultType: string; result: Sample[] };
}

let env: Environment;

async function query(path: string, params: Record<string, string>): Promise<ApiResponse> {
  const response = await fetch(`${env.prometheusUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params).toString(),
  });
  return (await response.json()) as ApiResponse;
}

async function instant(expr: string, timeSeconds = Date.now() / 1000): Promise<Sample[]> {
  const result = await query("/api/v1/query", { query: expr, time: String(timeSeconds) });
  if (result.status !== "success") throw new Error(`${expr}: ${result.error}`);
  return result.data.result;
}

describeWithPrometheus(
  nameUnlessMissing(
    "dashboards and rules against a real Prometheus",
    prometheusBin && promtoolBin,
    "prometheus/promtool",
  ),
  () => {
    beforeAll(async () => {
      if (!fs.existsSync(EXPORTER_CLI))
        throw new Error(`${EXPORTER_CLI} is missing: run 'npm run build' first`);
      env = await startEnvironment({ prometheus: prometheusBin as string, promtool: promtoolBin as string });
      // Data is there once Prometheus has scraped a few times and evaluated the rules on it.
      await waitFor(
        "scrapes of the exporter and a first rule evaluation",
        async () => {
          const scrapes = await instant(
            `count_over_time(up{job="quotacast",instance="${env.instance}"}[1m]) >= 5`,
          );
          const rules = await instant("instance_window:quotacast_window_utilization_ratio:max");
          return scrapes.length > 0 && rules.length > 0 ? true : undefined;
        },
        60_000,
      );
    }, 240_000);

    afterAll(async () => {
      if (env) await env.stop();
    });

    it("scrapes the exporter as job quotacast", async () => {
      const up = await instant('up{job="quotacast"}');
      expect(up.map((s) => [s.metric.instance, s.value?.[1]])).toEqual([[env.instance, "1"]]);
    });

    it("the exporter's /metrics passes promtool check metrics", async () => {
      const text = await (await fetch(`${env.exporterUrl}/metrics`)).text();
      const lint = spawnSync(promtoolBin as string, ["check", "metrics"], { input: text, encoding: "utf8" });
      expect({ status: lint.status, problems: `${lint.stdout}${lint.stderr}` }).toEqual({
        status: 0,
        problems: "",
      });
    });

    it("has the backfilled history under the scraped series' labels", async () => {
      const tenDaysAgo = Date.now() / 1000 - 10 * 86400;
      const past = await instant(
        `sum(quotacast_messages_total{job="quotacast",instance="${env.instance}"})`,
        tenDaysAgo,
      );
      const now = await instant(`sum(quotacast_messages_total{job="quotacast",instance="${env.instance}"})`);
      expect(Number(past[0]?.value?.[1])).toBeGreaterThan(0);
      // Counters continue across the join of backfill and live scrapes: never lower later.
      expect(Number(now[0]?.value?.[1])).toBeGreaterThanOrEqual(Number(past[0]?.value?.[1]));
      const resets = await instant(`resets(quotacast_messages_total{instance="${env.instance}"}[30d])`);
      expect(resets.every((s) => s.value?.[1] === "0")).toBe(true);
    });

    it("evaluates every recording and alerting rule without error", async () => {
      const response = (await (await fetch(`${env.prometheusUrl}/api/v1/rules`)).json()) as {
        data: {
          groups: Array<{ name: string; rules: Array<{ name: string; health: string; lastError?: string }> }>;
        };
      };
      const rules = response.data.groups.flatMap((g) => g.rules);
      expect(rules.map((r) => r.name).sort()).toEqual(
        loadRules()
          .map((r) => r.alert ?? r.record)
          .sort(),
      );
      await waitFor(
        "every rule to have been evaluated",
        async () => {
          const latest = (await (await fetch(`${env.prometheusUrl}/api/v1/rules`)).json()) as typeof response;
          const all = latest.data.groups.flatMap((g) => g.rules);
          return all.every((r) => r.health !== "unknown") ? all : undefined;
        },
        30_000,
      ).then((all) =>
        expect(all.filter((r) => r.health !== "ok").map((r) => `${r.name}: ${r.lastError}`)).toEqual([]),
      );
    });

    it("raises the window alert for a window past 90%", async () => {
      const critical = await instant("instance_window:quotacast_window_utilization_ratio:max >= 0.9");
      expect(critical.map((c) => c.metric.window)).toContain("five_hour");
      const alerts = await waitFor(
        "QuotacastWindowCritical to be pending or firing",
        async () => {
          const found = await instant('ALERTS{alertname="QuotacastWindowCritical"}');
          return found.length > 0 ? found : undefined;
        },
        30_000,
      );
      expect(alerts.map((a) => a.metric.window).sort()).toEqual(critical.map((c) => c.metric.window).sort());
    });

    const dashboards = loadDashboards();
    it.each(dashboards.map((d) => [d.fileName, d]))(
      "every variable of %s has values",
      async (_name, loaded) => {
        const dashboard = (loaded as LoadedDashboard).json;
        const names = variables(dashboard).map((v) => String(v.name));
        for (const variable of variables(dashboard).filter((v) => v.type === "query")) {
          // label_values(selector, label), as Grafana asks Prometheus for it.
          const [, selector, label] = /^label_values\((.+), (\w+)\)$/.exec(
            String(variable.query),
          ) as RegExpExecArray;
          const sub = {
            rangeSeconds: 86400,
            intervalSeconds: 60,
            scrapeIntervalSeconds: SCRAPE_INTERVAL_SECONDS,
          };
          const values = await instant(`count by (${label}) (${substituteVariables(selector, names, sub)})`);
          expect({
            variable: variable.name,
            values: values.map((v) => v.metric[label]).filter(Boolean).length > 0,
          }).toEqual({
            variable: variable.name,
            values: true,
          });
        }
      },
    );

    it.each(dashboards.map((d) => [d.fileName, d]))(
      "every query of %s returns data",
      async (_name, loaded) => {
        const dashboard = (loaded as LoadedDashboard).json;
        const rangeSeconds = relativeRangeSeconds(String((dashboard.time as { from: string }).from));
        const nowSeconds = Math.floor(Date.now() / 1000);
        const names = variables(dashboard).map((v) => String(v.name));
        const empty: string[] = [];
        for (const q of panelQueries(loaded as LoadedDashboard)) {
          const step = Math.max(q.minStepSeconds ?? 0, Math.ceil(rangeSeconds / MAX_POINTS));
          const expr = substituteVariables(q.expr, names, {
            rangeSeconds,
            intervalSeconds: step,
            scrapeIntervalSeconds: SCRAPE_INTERVAL_SECONDS,
          });
          const response = q.instant
            ? await query("/api/v1/query", { query: expr, time: String(nowSeconds) })
            : await query("/api/v1/query_range", {
                query: expr,
                start: String(nowSeconds - rangeSeconds),
                end: String(nowSeconds),
                step: String(step),
              });
          const points =
            response.status === "success"
              ? response.data.result.reduce((n, s) => n + (s.values?.length ?? 1), 0)
              : 0;
          if (points === 0)
            empty.push(
              `${q.panel} [${q.refId}]: ${expr} -> ${response.status} ${response.error ?? "no data"}`,
            );
        }
        if (empty.length > 0) throw new Error(`queries without data:\n${empty.join("\n")}\n\n${env.logs()}`);
      },
    );
  },
);
