/**
 * A small typed builder for the Grafana dashboard JSON model (schema 39, Grafana 10.4+).
 * Only what quotacast's dashboards use: stat, gauge, time series, bar gauge, bar chart,
 * table and row panels, a `datasource` variable and query variables. Panels are placed by
 * a left-to-right flow layout so their sizes are all a dashboard states.
 */

/** The uid of the datasource provisioned by grafana/provisioning/datasources. */
export const PROVISIONED_DATASOURCE_UID = "quotacast-prometheus";
/** Every panel and query variable reads through the `datasource` template variable. */
export const DATASOURCE_REF = { type: "prometheus", uid: "${datasource}" } as const;
export const GRID_WIDTH = 24;

export interface Target {
  expr: string;
  legendFormat?: string;
  /** An instant query (one value per series) instead of a range query. */
  instant?: boolean;
  /** Minimum step, e.g. "1d" for daily bars. */
  interval?: string;
  format?: "time_series" | "table";
}

export type Json = Record<string, unknown>;

export interface Threshold {
  value: number | null;
  color: string;
}

export interface PanelSpec {
  title: string;
  /** Required: every panel says what it shows (Grafana's (i) tooltip). */
  description: string;
  w: number;
  h: number;
  targets: Target[];
  unit?: string;
  decimals?: number;
  min?: number;
  max?: number;
  thresholds?: Threshold[];
  /** Text shown when a query returns nothing (instead of Grafana's "No data"). */
  noValue?: string;
  mappings?: Json[];
  custom?: Json;
  options?: Json;
  overrides?: Json[];
  transformations?: Json[];
  repeat?: { variable: string; direction: "h" | "v"; maxPerRow?: number };
  /**
   * What decides Grafana's step for this panel: step = max(interval, range / maxDataPoints
   * rounded by Grafana). A panel whose values depend on the step pins both (Grafana's
   * default maxDataPoints is the panel's width in pixels, which no one controls).
   */
  maxDataPoints?: number;
  interval?: string;
}

export interface Panel extends Json {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
}

export interface Variable extends Json {
  name: string;
  type: string;
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  /** File name under grafana/dashboards/. */
  fileName: string;
  timeFrom: string;
  refresh: string;
  variables: Variable[];
  /** Rows and panels in reading order. */
  items: Array<PanelItem | RowItem>;
}

export interface PanelItem {
  kind: "panel";
  type: string;
  spec: PanelSpec;
}

export interface RowItem {
  kind: "row";
  title: string;
  repeat?: string;
}

/** Units of panels that show a rate per hour (Grafana custom units: the suffix is printed as is). */
export const USD_PER_HOUR = "suffix: USD/h";
export const PERCENT_PER_HOUR = "suffix:%/h";

/** Warning levels shared by every utilization panel: 75% yellow, 80% orange, 90% red. */
export const UTILIZATION_THRESHOLDS: Threshold[] = [
  { value: null, color: "green" },
  { value: 0.75, color: "#EAB839" },
  { value: 0.8, color: "orange" },
  { value: 0.9, color: "red" },
];

export const NEUTRAL_THRESHOLDS: Threshold[] = [{ value: null, color: "text" }];

/** Green, amber from `amberFrom`, red from `redFrom`. */
export function trafficLight(amberFrom: number, redFrom: number): Threshold[] {
  return [
    { value: null, color: "green" },
    { value: amberFrom, color: "#EAB839" },
    { value: redFrom, color: "red" },
  ];
}

/** A field property that draws a series dashed. */
export const DASHED_LINE: Json = { id: "custom.lineStyle", value: { fill: "dash", dash: [10, 10] } };

/** A field property that draws a series in one colour. */
export function fixedColor(color: string): Json {
  return { id: "color", value: { mode: "fixed", fixedColor: color } };
}

/** An override: the series named `name` get `properties`. */
export function seriesNamed(name: string, properties: Json[]): Json {
  return { matcher: { id: "byName", options: name }, properties };
}

/** An override: the series whose name matches `regexp` get `properties`. */
export function seriesMatching(regexp: string, properties: Json[]): Json {
  return { matcher: { id: "byRegexp", options: regexp }, properties };
}

export function row(title: string, repeat?: string): RowItem {
  return { kind: "row", title, repeat };
}

export const stat = (spec: PanelSpec): PanelItem => ({ kind: "panel", type: "stat", spec });
export const gauge = (spec: PanelSpec): PanelItem => ({ kind: "panel", type: "gauge", spec });
export const timeseries = (spec: PanelSpec): PanelItem => ({ kind: "panel", type: "timeseries", spec });
export const bargauge = (spec: PanelSpec): PanelItem => ({ kind: "panel", type: "bargauge", spec });
export const barchart = (spec: PanelSpec): PanelItem => ({ kind: "panel", type: "barchart", spec });
export const table = (spec: PanelSpec): PanelItem => ({ kind: "panel", type: "table", spec });

/** Time-series field options that draw daily (or weekly) stacked bars. */
export const STACKED_BARS: Json = {
  drawStyle: "bars",
  fillOpacity: 80,
  lineWidth: 1,
  stacking: { mode: "normal", group: "A" },
  barAlignment: 0,
  showPoints: "never",
};

export const LINES: Json = {
  drawStyle: "line",
  lineWidth: 2,
  fillOpacity: 0,
  showPoints: "never",
  spanNulls: false,
};

export function datasourceVariable(): Variable {
  return {
    name: "datasource",
    label: "Data source",
    type: "datasource",
    query: "prometheus",
    // The provisioned datasource by default; any Prometheus datasource when imported by hand.
    current: { selected: true, text: "Prometheus (quotacast)", value: PROVISIONED_DATASOURCE_UID },
    hide: 0,
    includeAll: false,
    multi: false,
    options: [],
    refresh: 1,
    regex: "",
    skipUrlSync: false,
  };
}

/** The variables of a dashboard over all instances: the datasource and the instance. */
export function instanceVariables(): Variable[] {
  return [datasourceVariable(), labelVariable("instance", "Instance", "quotacast_build_info")];
}

/** A multi-value query variable over a label, with "All" matching everything (`.*`). */
export function labelVariable(name: string, label: string, metricSelector: string): Variable {
  const definition = `label_values(${metricSelector}, ${name})`;
  return {
    name,
    label,
    type: "query",
    datasource: DATASOURCE_REF,
    definition,
    // The plain-string form: every Grafana version since 7 reads it (the newer object form
    // rebuilds the string from separate metric and label fields).
    query: definition,
    multi: true,
    includeAll: true,
    allValue: ".*",
    current: { selected: true, text: ["All"], value: ["$__all"] },
    hide: 0,
    options: [],
    refresh: 2,
    regex: "",
    sort: 1,
    skipUrlSync: false,
  };
}

function fieldConfig(spec: PanelSpec): Json {
  const defaults: Json = {
    unit: spec.unit ?? "none",
    color: { mode: spec.thresholds ? "thresholds" : "palette-classic" },
    thresholds: { mode: "absolute", steps: spec.thresholds ?? NEUTRAL_THRESHOLDS },
    mappings: spec.mappings ?? [],
  };
  if (spec.decimals !== undefined) defaults.decimals = spec.decimals;
  if (spec.min !== undefined) defaults.min = spec.min;
  if (spec.max !== undefined) defaults.max = spec.max;
  if (spec.noValue !== undefined) defaults.noValue = spec.noValue;
  if (spec.custom) defaults.custom = spec.custom;
  return { defaults, overrides: spec.overrides ?? [] };
}

function defaultOptions(type: string): Json {
  const reduce = { reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false } };
  switch (type) {
    case "stat":
      return { ...reduce, colorMode: "value", graphMode: "none", justifyMode: "auto", textMode: "auto" };
    case "gauge":
      return { ...reduce, showThresholdLabels: false, showThresholdMarkers: true };
    case "bargauge":
      return { ...reduce, displayMode: "gradient", orientation: "horizontal", showUnfilled: true };
    case "timeseries":
      return {
        legend: { displayMode: "list", placement: "bottom", showLegend: true },
        tooltip: { mode: "multi", sort: "desc" },
      };
    case "barchart":
      return {
        orientation: "vertical",
        showValue: "never",
        legend: { displayMode: "list", placement: "bottom", showLegend: false },
        tooltip: { mode: "single", sort: "none" },
      };
    case "table":
      return { showHeader: true, cellHeight: "sm" };
    default:
      return {};
  }
}

function targetJson(target: Target, index: number): Json {
  const json: Json = {
    refId: String.fromCharCode(65 + index),
    datasource: DATASOURCE_REF,
    expr: target.expr,
    legendFormat: target.legendFormat ?? "__auto",
    range: !target.instant,
    instant: Boolean(target.instant),
    format: target.format ?? "time_series",
    editorMode: "code",
  };
  if (target.interval) json.interval = target.interval;
  return json;
}

/** Places items left to right, wrapping at the grid width; a row takes a full line. */
class FlowLayout {
  private x = 0;
  private y = 0;
  private lineHeight = 0;

  place(w: number, h: number): Panel["gridPos"] {
    if (this.x + w > GRID_WIDTH) this.newLine();
    const pos = { x: this.x, y: this.y, w, h };
    this.x += w;
    this.lineHeight = Math.max(this.lineHeight, h);
    return pos;
  }

  newLine(): void {
    this.y += this.lineHeight;
    this.x = 0;
    this.lineHeight = 0;
  }
}

function buildPanels(items: DashboardSpec["items"]): Panel[] {
  const layout = new FlowLayout();
  const panels: Panel[] = [];
  let id = 1;
  for (const item of items) {
    if (item.kind === "row") {
      layout.newLine();
      const rowPanel: Panel = {
        id: id++,
        type: "row",
        title: item.title,
        collapsed: false,
        gridPos: layout.place(GRID_WIDTH, 1),
        panels: [],
      };
      if (item.repeat) rowPanel.repeat = item.repeat;
      panels.push(rowPanel);
      layout.newLine();
      continue;
    }
    const { spec, type } = item;
    const panel: Panel = {
      id: id++,
      type,
      title: spec.title,
      description: spec.description,
      datasource: DATASOURCE_REF,
      gridPos: layout.place(spec.w, spec.h),
      targets: spec.targets.map(targetJson),
      fieldConfig: fieldConfig(spec),
      options: { ...defaultOptions(type), ...(spec.options ?? {}) },
    };
    if (spec.maxDataPoints !== undefined) panel.maxDataPoints = spec.maxDataPoints;
    if (spec.interval !== undefined) panel.interval = spec.interval;
    if (spec.transformations) panel.transformations = spec.transformations;
    if (spec.repeat) {
      panel.repeat = spec.repeat.variable;
      panel.repeatDirection = spec.repeat.direction;
      if (spec.repeat.maxPerRow) panel.maxPerRow = spec.repeat.maxPerRow;
    }
    panels.push(panel);
  }
  return panels;
}

export function buildDashboard(spec: DashboardSpec): Json {
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ["quotacast"],
    timezone: "browser",
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: spec.refresh,
    time: { from: spec.timeFrom, to: "now" },
    timepicker: {},
    fiscalYearStartMonth: 0,
    liveNow: false,
    weekStart: "",
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: { type: "grafana", uid: "-- Grafana --" },
          enable: true,
          hide: true,
          iconColor: "rgba(0, 211, 255, 1)",
          name: "Annotations & Alerts",
          type: "dashboard",
        },
      ],
    },
    // The other quotacast dashboards, keeping the chosen time range and variables.
    links: [
      {
        type: "dashboards",
        tags: ["quotacast"],
        asDropdown: false,
        includeVars: true,
        keepTime: true,
        title: "quotacast",
        icon: "external link",
        targetBlank: false,
        tooltip: "",
        url: "",
      },
    ],
    templating: { list: spec.variables },
    panels: buildPanels(spec.items),
  };
}
