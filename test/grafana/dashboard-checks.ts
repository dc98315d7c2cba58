/** Structural checks of one Grafana dashboard; each problem is one readable line. */
import {
  BUILTIN_VARIABLES,
  type JsonObject,
  allPanels,
  variableReferences,
  variables,
} from "./dashboard-queries";

const VARIABLE_DATASOURCE = "${datasource}";
const GRAFANA_BUILTIN_DATASOURCE = "-- Grafana --";

/** Calls `visit` on every string and object in a JSON value, with its path. */
function walk(value: unknown, at: string, visit: (value: unknown, at: string) => void): void {
  visit(value, at);
  if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${at}[${i}]`, visit));
  else if (value && typeof value === "object") {
    for (const [key, child] of Object.entries(value)) walk(child, `${at}.${key}`, visit);
  }
}

export function dashboardProblems(dashboard: JsonObject, provisionedUid: string): string[] {
  const problems: string[] = [];
  if (typeof dashboard.uid !== "string" || dashboard.uid === "") problems.push("no uid");

  const panels = allPanels(dashboard);
  const seenIds = new Set<unknown>();
  for (const panel of panels) {
    if (seenIds.has(panel.id)) problems.push(`panel id ${String(panel.id)} is used twice`);
    seenIds.add(panel.id);
    if (panel.type === "row") continue;
    const exprs = ((panel.targets as JsonObject[] | undefined) ?? []).map((t) => String(t.expr ?? "").trim());
    if (exprs.length === 0 || exprs.some((e) => e === ""))
      problems.push(`panel '${String(panel.title)}' has no query`);
    const gridPos = panel.gridPos as { x: number; w: number } | undefined;
    if (!gridPos || gridPos.x + gridPos.w > 24)
      problems.push(`panel '${String(panel.title)}' is outside the grid`);
    problems.push(...panelTextProblems(panel, exprs));
  }

  const vars = variables(dashboard);
  const names = vars.map((v) => String(v.name));
  if (new Set(names).size !== names.length) problems.push("a variable name is defined twice");
  const datasourceVar = vars.find((v) => v.name === "datasource");
  if (datasourceVar?.type !== "datasource" || datasourceVar.query !== "prometheus") {
    problems.push("no `datasource` variable of type datasource (prometheus)");
  }
  const instanceVar = vars.find((v) => v.name === "instance");
  if (!instanceVar || instanceVar.multi !== true || instanceVar.includeAll !== true) {
    problems.push("no `instance` variable with multi-value and All");
  }

  walk(dashboard, "$", (value, at) => {
    if (typeof value === "string") {
      for (const name of variableReferences(value)) {
        if (!names.includes(name) && !BUILTIN_VARIABLES.has(name))
          problems.push(`${at} uses undefined variable $${name}`);
      }
      return;
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) return;
    const object = value as JsonObject;
    if (typeof object.repeat === "string" && !names.includes(object.repeat)) {
      problems.push(`${at} repeats over undefined variable ${object.repeat}`);
    }
    if (!("datasource" in object)) return;
    const ref = object.datasource;
    const uid = typeof ref === "string" ? ref : ((ref as JsonObject | null)?.uid as string | undefined);
    if (uid !== VARIABLE_DATASOURCE && uid !== GRAFANA_BUILTIN_DATASOURCE) {
      problems.push(`${at}.datasource is '${String(uid)}', not the $datasource variable`);
    }
  });

  // The one literal uid allowed: the provisioned datasource as the variable's default.
  const current = (datasourceVar?.current as JsonObject | undefined)?.value;
  if (current !== undefined && current !== provisionedUid) {
    problems.push(
      `the datasource variable defaults to '${String(current)}', not the provisioned '${provisionedUid}'`,
    );
  }
  return problems;
}

/** Descriptions, per-hour units and legends that stay apart where overrides match by name. */
function panelTextProblems(panel: JsonObject, exprs: string[]): string[] {
  const problems: string[] = [];
  const title = String(panel.title);
  if (typeof panel.description !== "string" || panel.description.trim() === "")
    problems.push(`panel '${title}' has no description`);
  const defaults = ((panel.fieldConfig as JsonObject | undefined)?.defaults ?? {}) as JsonObject;
  const unit = String(defaults.unit ?? "");
  // `* 3600` turns a per-second value into a per-hour one.
  if (exprs.some((e) => /\*\s*3600\b/.test(e)) && !unit.endsWith("/h"))
    problems.push(`panel '${title}' shows a rate per hour with unit '${unit}', not a "/h" unit`);
  const overrides = ((panel.fieldConfig as JsonObject | undefined)?.overrides ?? []) as JsonObject[];
  const byName = overrides.some((o) => (o.matcher as JsonObject | undefined)?.id === "byName");
  const legends = ((panel.targets as JsonObject[] | undefined) ?? []).map((t) =>
    String(t.legendFormat ?? ""),
  );
  // A templated legend without the instance gives two exporters' series one name.
  if (byName && legends.some((l) => l.includes("{{") && !l.includes("{{instance}}")))
    problems.push(`panel '${title}' matches series by name but a legend lacks {{instance}}`);
  return problems;
}
