/**
 * End to end: the real exporter on a generated history with its backfill loaded, scraped
 * by a real Prometheus with the repository's rules; then every query of every dashboard
 * panel must return data at every step Grafana can choose for it, the panels' values must
 * equal what the generated history and the fake APIs say they are, and every rule must
 * evaluate without error.
 *
 * Needs `prometheus` and `promtool` (Debian's prometheus package) and a built exporter
 * (`npm run build`, which `npm test` runs first).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import {
  type JsonObject,
  type LoadedDashboard,
  allPanels,
  loadDashboards,
  relativeRangeSeconds,
  substituteVariables,
  variables,
} from "../grafana/dashboard-queries";
import { alignedRange, grafanaSteps } from "../grafana/grafana-step";
import { findBinary, nameUnlessMissing } from "../prometheus/binaries";
import { loadRules } from "../prometheus/rule-files";
import {
  EXPORTER_CLI,
  type Environment,
  type TruthMessage,
  SCRAPE_INTERVAL_SECONDS,
  startEnvironment,
  waitFor,
} from "./environment";

const prometheusBin = findBinary("prometheus");
const promtoolBin = findBinary("promtool");
const describeWithPrometheus = prometheusBin && promtoolBin ? describe : describe.skip;

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
const dashboards = loadDashboards();
const HOUR_S = 3600;
const DAY_S = 86400;
const WEEK_S = 7 * DAY_S;

/** One range query of a panel as Grafana sends it: its step, aligned range and substituted expression. */
interface PanelRangeQuery {
  step: number;
  start: number;
  end: number;
  expr: string;
}

function dashboardNamed(fileName: string): LoadedDashboard {
  const found = dashboards.find((d) => d.fileName === fileName);
  if (!found) throw new Error(`no dashboard ${fileName}`);
  return found;
}

function panelNamed(fileName: string, title: string): JsonObject {
  const found = allPanels(dashboardNamed(fileName).json).find((p) => p.title === title);
  if (!found) throw new Error(`no panel '${title}' in ${fileName}`);
  return found;
}

function rangeOf(dashboard: LoadedDashboard): number {
  return relativeRangeSeconds(String((dashboard.json.time as { from: string }).from));
}

/** Every query Grafana can send for `target` of `panel`: one per step it can choose. */
function rangeQueries(
  dashboard: LoadedDashboard,
  panel: JsonObject,
  target: JsonObject,
  nowSeconds: number,
): PanelRangeQuery[] {
  const rangeSeconds = rangeOf(dashboard);
  const names = variables(dashboard.json).map((v) => String(v.name));
  return grafanaSteps(panel, target, rangeSeconds).map((step) => ({
    step,
    ...alignedRange(nowSeconds, rangeSeconds, step),
    expr: substituteVariables(String(target.expr), names, {
      rangeSeconds,
      intervalSeconds: step,
      scrapeIntervalSeconds: SCRAPE_INTERVAL_SECONDS,
    }),
  }));
}

async function range(q: PanelRangeQuery): Promise<Sample[]> {
  const result = await query("/api/v1/query_range", {
    query: q.expr,
    start: String(q.start),
    end: String(q.end),
    step: String(q.step),
  });
  if (result.status !== "success") throw new Error(`${q.expr}: ${result.error}`);
  return result.data.result;
}

/** The instant value of a panel's first query, per legend label (`""` for a single series). */
async function panelInstant(fileName: string, title: string, label?: string): Promise<Map<string, number>> {
  const dashboard = dashboardNamed(fileName);
  const target = (panelNamed(fileName, title).targets as JsonObject[])[0];
  const names = variables(dashboard.json).map((v) => String(v.name));
  const expr = substituteVariables(String(target.expr), names, {
    rangeSeconds: rangeOf(dashboard),
    intervalSeconds: 60,
    scrapeIntervalSeconds: SCRAPE_INTERVAL_SECONDS,
  });
  const samples = await instant(expr);
  return new Map(samples.map((s) => [label ? s.metric[label] : "", Number(s.value?.[1])]));
}

/** Sums a range query's points by a key of their timestamp, as Grafana's groupBy transformation does. */
function sumByTime(samples: Sample[], keyOf: (timeSeconds: number) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of samples)
    for (const [t, v] of s.values ?? []) out.set(keyOf(t), (out.get(keyOf(t)) ?? 0) + Number(v));
  return out;
}

function countBy<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  amount: (item: T) => number,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of items) out.set(keyOf(item), (out.get(keyOf(item)) ?? 0) + amount(item));
  return out;
}

/** Pairs of [key, actual, expected] that differ by more than the tolerance. */
function differences(
  actual: Map<string, number>,
  expected: Map<string, number>,
  tolerance: (expected: number) => number,
): Array<[string, number, number]> {
  const keys = [...new Set([...actual.keys(), ...expected.keys()])].sort();
  return keys
    .map((k): [string, number, number] => [k, actual.get(k) ?? 0, expected.get(k) ?? 0])
    .filter(([, a, e]) => Math.abs(a - e) > tolerance(e));
}

const utcHour = (seconds: number): string => new Date(seconds * 1000).toISOString().slice(11, 13);
const utcWeekday = (seconds: number): string => String(new Date(seconds * 1000).getUTCDay());

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
      // The backfill writes a counter only around its changes and at midnights: the last
      // value within two days is its value then.
      const past = await instant(
        `sum(last_over_time(quotacast_messages_total{job="quotacast",instance="${env.instance}"}[2d]))`,
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
      "every query of %s returns data at every step Grafana can choose",
      async (_name, loaded) => {
        const dashboard = loaded as LoadedDashboard;
        const nowSeconds = Math.floor(Date.now() / 1000);
        const names = variables(dashboard.json).map((v) => String(v.name));
        const empty: string[] = [];
        for (const panel of allPanels(dashboard.json).filter((p) => p.type !== "row")) {
          for (const target of (panel.targets as JsonObject[] | undefined) ?? []) {
            const queries =
              target.instant === true
                ? [
                    {
                      step: 0,
                      start: nowSeconds,
                      end: nowSeconds,
                      expr: substituteVariables(String(target.expr), names, {
                        rangeSeconds: rangeOf(dashboard),
                        intervalSeconds: 60,
                        scrapeIntervalSeconds: SCRAPE_INTERVAL_SECONDS,
                      }),
                    },
                  ]
                : // Ending now rather than at Grafana's aligned end: the live series are
                  // seconds old here, and only whether each step returns data is checked.
                  rangeQueries(dashboard, panel, target, nowSeconds).map((q) => ({
                    ...q,
                    start: q.start + (nowSeconds - q.end),
                    end: nowSeconds,
                  }));
            for (const q of queries) {
              const response =
                q.step === 0
                  ? await query("/api/v1/query", { query: q.expr, time: String(nowSeconds) })
                  : await query("/api/v1/query_range", {
                      query: q.expr,
                      start: String(q.start),
                      end: String(q.end),
                      step: String(q.step),
                    });
              const points =
                response.status === "success"
                  ? response.data.result.reduce((n, s) => n + (s.values?.length ?? 1), 0)
                  : 0;
              if (points === 0)
                empty.push(
                  `${String(panel.title)} [${String(target.refId)}] step ${q.step}: ${q.expr} -> ${response.status} ${response.error ?? "no data"}`,
                );
            }
          }
        }
        if (empty.length > 0) throw new Error(`queries without data:\n${empty.join("\n")}\n\n${env.logs()}`);
      },
    );

    describe("panel values equal the truth", () => {
      const TRENDS = "quotacast-trends.json";
      /** The queries Grafana can send now for the first target of a Weekly trends panel. */
      const trendsQueries = (title: string): PanelRangeQuery[] => {
        const panel = panelNamed(TRENDS, title);
        const target = (panel.targets as JsonObject[])[0];
        return rangeQueries(dashboardNamed(TRENDS), panel, target, Math.floor(Date.now() / 1000));
      };
      const ORG = "quotacast-organization.json";

      it("Organization: month to date, by user and by model, each adding up to what the Admin API answered", async () => {
        const truth = env.truth.orgCostUsd();
        const total = [...truth.byUser.values()].reduce((a, b) => a + b, 0);
        expect(total).toBeGreaterThan(0);
        const monthToDate = await waitFor(
          "the organization cost to be scraped",
          async () => {
            const found = await panelInstant(ORG, "Month to date");
            return found.size > 0 ? found : undefined;
          },
          30_000,
        );
        expect(monthToDate.get("")).toBeCloseTo(total, 6);
        const byUser = await panelInstant(ORG, "Month to date by user", "user");
        expect(differences(byUser, truth.byUser, () => 1e-6)).toEqual([]);
        const byModel = await panelInstant(ORG, "Month to date by model", "model");
        expect(differences(byModel, truth.byModel, () => 1e-6)).toEqual([]);
      });

      it.each([
        ["Activity by hour of day", utcHour],
        ["Activity by day of week", utcWeekday],
      ] as const)("Weekly trends, %s: the responses of each bucket", async (title, keyOf) => {
        const queries = trendsQueries(title);
        expect(queries.map((q) => q.step)).toEqual([HOUR_S]);
        for (const q of queries) {
          const shown = sumByTime(await range(q), keyOf);
          // Each point counts the step that starts at it, the last one up to now.
          const inRange = env.truth.messages.filter((m) => m.timestampMs / 1000 >= q.start);
          const expected = countBy(
            inRange,
            (m) => keyOf(m.timestampMs / 1000),
            () => 1,
          );
          expect(inRange.length).toBeGreaterThan(100);
          // Exact on the backfilled history; the live scrapes add a rounding of Prometheus's extrapolation.
          expect(differences(shown, expected, () => 0.05)).toEqual([]);
        }
      });

      it.each([
        ["Daily tokens by model", (m: TruthMessage) => m.totalTokens],
        ["Daily API-equivalent cost by model", (m: TruthMessage) => m.costUsd ?? 0],
      ] as const)("Weekly trends, %s: each day's amount of each model", async (title, amount) => {
        const queries = trendsQueries(title);
        expect(queries.map((q) => q.step)).toEqual([DAY_S]);
        for (const q of queries) {
          const shown = new Map<string, number>();
          for (const s of await range(q))
            for (const [t, v] of s.values ?? []) {
              if (Number(v) !== 0)
                shown.set(`${new Date(t * 1000).toISOString().slice(0, 10)} ${s.metric.model}`, Number(v));
            }
          const inRange = env.truth.messages.filter((m) => m.timestampMs / 1000 >= q.start);
          const expected = countBy(
            inRange.filter((m) => amount(m) !== 0),
            (m) => `${new Date(m.timestampMs).toISOString().slice(0, 10)} ${m.model}`,
            amount,
          );
          expect(expected.size).toBeGreaterThan(10);
          expect(differences(shown, expected, (e) => 1e-6 + 1e-9 * e)).toEqual([]);
        }
      });

      it("Weekly trends, final utilization of each weekly window: one bar per window that reset, its final value", async () => {
        const queries = trendsQueries("Final utilization of each weekly window");
        expect(queries.map((q) => q.step)).toEqual([WEEK_S]);
        for (const q of queries) {
          const shown = (await range(q)).flatMap((s) =>
            (s.values ?? []).map(([t, v]) => [s.metric.window, t, Number(Number(v).toFixed(9))]),
          );
          const expected = env.truth.weeklyFinals
            .map((w) => Math.round(w.resetsAtMs / 60_000) * 60)
            .map((resetSeconds, i) => [
              "seven_day",
              Math.floor(resetSeconds / WEEK_S) * WEEK_S,
              Number(env.truth.weeklyFinals[i].utilizationRatio.toFixed(9)),
            ])
            .filter(([, t]) => (t as number) >= q.start);
          expect(shown.sort()).toEqual(expected.sort());
        }
      });

      it("Weekly trends, last 7 days and the 7 days before: the cost of each week", async () => {
        // The backfill's counters change on a 5-minute grid: a week starts at the grid point at or before it.
        const nowMs = Date.now();
        const gridMs = 5 * 60_000;
        const weekStartMs = Math.floor((nowMs - WEEK_S * 1000) / gridMs) * gridMs;
        const weekBeforeStartMs = weekStartMs - WEEK_S * 1000;
        const costBetween = (fromMs: number, toMs: number) =>
          env.truth.messages
            .filter((m) => m.timestampMs >= fromMs && m.timestampMs < toMs)
            .reduce((sum, m) => sum + (m.costUsd ?? 0), 0);
        const last7 = await panelInstant(TRENDS, "Last 7 days");
        const before7 = await panelInstant(TRENDS, "The 7 days before");
        expect(costBetween(weekBeforeStartMs, weekStartMs)).toBeGreaterThan(0);
        expect(last7.get("")).toBeCloseTo(costBetween(weekStartMs, nowMs + 1), 6);
        expect(before7.get("")).toBeCloseTo(costBetween(weekBeforeStartMs, weekStartMs), 6);
      });

      it("Now, window utilization: the reading of the OAuth API", async () => {
        const shown = await panelInstant("quotacast-now.json", "Window utilization", "window");
        expect(shown.get("five_hour")).toBeCloseTo(env.truth.fiveHourUtilizationRatio, 9);
      });
    });
  },
);
