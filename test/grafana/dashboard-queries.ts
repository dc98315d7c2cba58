/**
 * Reads the dashboards as Grafana loads them (grafana/dashboards/*.json) and lists their
 * queries with Grafana's template variables replaced, the way Grafana would send them to
 * Prometheus with "All" selected.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../prometheus/promql";

export const DASHBOARD_DIR = path.join(REPO_ROOT, "grafana", "dashboards");

export type JsonObject = Record<string, unknown>;

export interface LoadedDashboard {
  fileName: string;
  json: JsonObject;
}

export interface PanelQuery {
  dashboard: string;
  panel: string;
  refId: string;
  expr: string;
  instant: boolean;
  /** Minimum step in seconds, from the target's `interval`. */
  minStepSeconds: number | null;
}

/** Grafana's built-in variables (those the dashboards may use without defining them). */
export const BUILTIN_VARIABLES = new Set([
  "__interval",
  "__interval_ms",
  "__rate_interval",
  "__range",
  "__range_s",
  "__range_ms",
  "__from",
  "__to",
  "__all",
  "__dashboard",
]);

export function loadDashboards(): LoadedDashboard[] {
  return fs
    .readdirSync(DASHBOARD_DIR)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((fileName) => ({
      fileName,
      json: JSON.parse(fs.readFileSync(path.join(DASHBOARD_DIR, fileName), "utf8")) as JsonObject,
    }));
}

/** Every panel, rows' nested panels included. */
export function allPanels(dashboard: JsonObject): JsonObject[] {
  const top = (dashboard.panels as JsonObject[] | undefined) ?? [];
  return top.flatMap((panel) => [panel, ...((panel.panels as JsonObject[] | undefined) ?? [])]);
}

export function variables(dashboard: JsonObject): JsonObject[] {
  return ((dashboard.templating as JsonObject | undefined)?.list as JsonObject[] | undefined) ?? [];
}

/** `$name`, `${name}`, `${name:format}` and `[[name]]` references in a string. */
export function variableReferences(text: string): string[] {
  const names = [...text.matchAll(/\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]/g)].map(
    (m) => m[1] ?? m[2] ?? m[3],
  );
  return [...new Set(names)];
}

const DURATION_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** Grafana's `now-8w` style range start as seconds before now. */
export function relativeRangeSeconds(from: string): number {
  const match = /^now-(\d+)([smhdwy])$/.exec(from);
  if (!match) throw new Error(`unsupported time range start '${from}'`);
  return Number(match[1]) * DURATION_SECONDS[match[2]];
}

export function durationSeconds(text: string): number {
  const match = /^(\d+)([smhdwy])$/.exec(text);
  if (!match) throw new Error(`unsupported duration '${text}'`);
  return Number(match[1]) * DURATION_SECONDS[match[2]];
}

export interface Substitution {
  rangeSeconds: number;
  intervalSeconds: number;
  /** Prometheus's scrape interval, for $__rate_interval. */
  scrapeIntervalSeconds: number;
}

/**
 * Replaces the dashboard's own variables by `.*` (Grafana's "All" value here) and the
 * built-in ones by their values. Throws on a variable it does not know.
 */
export function substituteVariables(
  expr: string,
  dashboardVariables: readonly string[],
  sub: Substitution,
): string {
  const rateInterval = Math.max(
    sub.intervalSeconds + sub.scrapeIntervalSeconds,
    4 * sub.scrapeIntervalSeconds,
  );
  const builtins: Record<string, string> = {
    __interval: `${sub.intervalSeconds}s`,
    __interval_ms: String(sub.intervalSeconds * 1000),
    __rate_interval: `${rateInterval}s`,
    __range: `${sub.rangeSeconds}s`,
    __range_s: String(sub.rangeSeconds),
    __range_ms: String(sub.rangeSeconds * 1000),
  };
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]/g, (whole, a, b, c) => {
    const name = (a ?? b ?? c) as string;
    if (name in builtins) return builtins[name];
    if (dashboardVariables.includes(name)) return ".*";
    throw new Error(`unknown variable ${whole} in ${expr}`);
  });
}

/** Every query of every panel (rows excluded), as written in the dashboard. */
export function panelQueries(dashboard: LoadedDashboard): PanelQuery[] {
  return allPanels(dashboard.json).flatMap((panel) =>
    ((panel.targets as JsonObject[] | undefined) ?? []).map((target) => ({
      dashboard: dashboard.fileName,
      panel: String(panel.title),
      refId: String(target.refId),
      expr: String(target.expr ?? ""),
      instant: target.instant === true,
      minStepSeconds: typeof target.interval === "string" ? durationSeconds(target.interval) : null,
    })),
  );
}
