/**
 * The exporter's metrics, exactly as docs/metrics.md names them, on a registry of its own.
 * Every metric is filled by a `collect()` callback that reads the in-memory state: a
 * scrape never touches the database or the network. The text is rendered once per state
 * change (`exposition.ts`); the registry says until when a rendering stays true.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics, type Metric } from "prom-client";
import { isCurrentReading, type ExtraUsage, type WindowForecast, type WindowReading } from "@quotacast/core";
import { parseLabelKey, type CounterValues } from "../db/kv";
import { isUp, type ExporterState } from "../state/state";
import { usd } from "../state/usage-totals";
import { VERSION } from "../version";

export interface MetricsOptions {
  /** Export `quotacast_project_cost_usd_total` for the top N projects by cost (0 = off). */
  projects: number;
  /** Node.js process metrics, prefixed `quotacast_`. Off by default to keep scrapes small. */
  processMetrics: boolean;
  nowMs?: () => number;
}

const FORECAST_QUANTILES = [0.1, 0.25, 0.5, 0.75, 0.9];
const ACTIVE_SESSION_MS = 5 * 60_000;
/** Label values of `type` on quotacast_tokens_total, with the event field each counts. */
export const TOKEN_TYPES = [
  ["input", "inputTokens"],
  ["output", "outputTokens"],
  ["cache_creation", "cacheCreationTokens"],
  ["cache_read", "cacheReadTokens"],
] as const;

/** prom-client's default gauges whose names end in _total. */
const NODE_GAUGES_NAMED_TOTAL = [
  "quotacast_nodejs_active_handles_total",
  "quotacast_nodejs_active_requests_total",
  "quotacast_nodejs_active_resources_total",
];

/**
 * What collect callbacks write to. A value that is not a finite number (from a bug or from
 * input that slipped past the parser's bounds) is dropped here, never handed to
 * prom-client, whose throw would turn every scrape into a 500.
 */
interface GaugeWriter {
  set(value: number): void;
  set(labels: Record<string, string>, value: number): void;
}
interface CounterWriter {
  inc(labels: Record<string, string>, value: number): void;
}

function finiteGauge(g: Gauge): GaugeWriter {
  return {
    set(labelsOrValue: Record<string, string> | number, value?: number): void {
      if (typeof labelsOrValue === "number") {
        if (Number.isFinite(labelsOrValue)) g.set(labelsOrValue);
      } else if (value !== undefined && Number.isFinite(value)) g.set(labelsOrValue, value);
    },
  };
}

function finiteCounter(c: Counter): CounterWriter {
  return {
    inc(labels: Record<string, string>, value: number): void {
      if (Number.isFinite(value) && value >= 0) c.inc(labels, value);
    },
  };
}

/** A family whose series `collect` writes afresh at every collection. */
type MetricDef<Writer> = {
  name: string;
  help: string;
  labelNames?: string[];
  collect: (writer: Writer) => void;
};
type Sample = { labels: Record<string, string>; value: number };

/**
 * A family written from samples the callback returns, possibly none: prom-client's own
 * label-less gauges always print a value (0), which would fake "absent" series.
 */
function family(
  registry: Registry,
  name: string,
  help: string,
  type: "gauge" | "summary",
  collect: () => Sample[],
): void {
  const metric = {
    name,
    help,
    reset() {},
    async get() {
      const values = collect().filter((sample) => Number.isFinite(sample.value));
      return { name, help, type, aggregator: "first", values };
    },
  };
  registry.registerMetric(metric as unknown as Metric);
}

/**
 * A family whose series carry a `quantile` label: typed `summary` (without _sum/_count),
 * the one type for which Prometheus (and `promtool check metrics`) allows that label.
 * The names and labels are docs/metrics.md's; only the TYPE line differs from a gauge.
 */
function quantileFamily(registry: Registry, name: string, help: string, collect: () => Sample[]): void {
  family(registry, name, help, "summary", collect);
}

/** A label-less gauge that is absent while `value` returns null. */
function optionalGauge(registry: Registry, name: string, help: string, value: () => number | null): void {
  family(registry, name, help, "gauge", () => {
    const v = value();
    return v === null ? [] : [{ labels: {}, value: v }];
  });
}

/** A prom-client Gauge or Counter emptied before each collection and written by `def.collect` through `writer`. */
function rewrittenMetric<M extends Gauge | Counter, Writer>(
  Kind: new (config: {
    name: string;
    help: string;
    labelNames: string[];
    registers: Registry[];
    collect: (this: M) => void;
  }) => M,
  writer: (metric: M) => Writer,
  registry: Registry,
  def: MetricDef<Writer>,
): void {
  new Kind({
    name: def.name,
    help: def.help,
    labelNames: def.labelNames ?? [],
    registers: [registry],
    collect() {
      this.reset();
      def.collect(writer(this));
    },
  });
}

/**
 * The exporter's registry. Its series depend on the state and on the clock only through
 * times the collection notes (a window's reset, a session leaving the last 5 minutes), so
 * its text can be kept until the state changes or `validUntilMs` passes. The Node.js process
 * metrics, which change by themselves, live in `live`, rendered on every scrape.
 */
export class MetricsRegistry extends Registry {
  /** Earliest time the last collection's output changes by the clock alone (Infinity: never). */
  validUntilMs = Infinity;
  /** `--metrics.process`: prom-client's default metrics; null when off. */
  live: Registry | null = null;

  /** Called by collect callbacks: a series computed from the clock changes at `timeMs`. */
  changesAt(timeMs: number): void {
    if (timeMs < this.validUntilMs) this.validUntilMs = timeMs;
  }

  /** The exporter's own series only (`live` excluded); resets `validUntilMs` first. */
  override async metrics(): Promise<string> {
    this.validUntilMs = Infinity;
    return super.metrics();
  }
}

export function createMetricsRegistry(state: ExporterState, opts: MetricsOptions): MetricsRegistry {
  const registry = new MetricsRegistry();
  const now = opts.nowMs ?? Date.now;
  const gauge = (def: MetricDef<GaugeWriter>): void => rewrittenMetric(Gauge, finiteGauge, registry, def);
  const counter = (def: MetricDef<CounterWriter>): void =>
    rewrittenMetric(Counter, finiteCounter, registry, def);
  const windows = () => state.summary?.windows ?? [];
  /** Every source's readings of windows not reset yet; each drops out at its reset. */
  const currentReadings = (): WindowReading[] => {
    const nowMs = now();
    const out: WindowReading[] = [];
    for (const snapshot of state.snapshots()) {
      for (const r of snapshot.windows) {
        if (!isCurrentReading(r, nowMs)) continue;
        out.push(r);
        registry.changesAt(r.resetsAtMs ?? r.observedAtMs + r.windowLengthMs);
      }
    }
    return out;
  };
  const forecasts = (): Array<[string, WindowForecast]> =>
    windows().flatMap((w) =>
      w.forecast ? [[w.reading.window, w.forecast] as [string, WindowForecast]] : [],
    );

  // --- rate-limit windows
  gauge({
    name: "quotacast_window_utilization_ratio",
    help: "Latest utilization of the window, 0-1 (may exceed 1), per source.",
    labelNames: ["window", "source"],
    collect: (g) => {
      for (const r of currentReadings()) g.set({ window: r.window, source: r.source }, r.utilizationRatio);
    },
  });
  gauge({
    name: "quotacast_window_observed_timestamp_seconds",
    help: "When the utilization was observed.",
    labelNames: ["window", "source"],
    collect: (g) => {
      for (const r of currentReadings()) g.set({ window: r.window, source: r.source }, r.observedAtMs / 1000);
    },
  });
  gauge({
    name: "quotacast_window_resets_at_timestamp_seconds",
    help: "When the window resets.",
    labelNames: ["window"],
    collect: (g) => {
      for (const w of windows())
        if (w.reading.resetsAtMs !== null) g.set({ window: w.reading.window }, w.reading.resetsAtMs / 1000);
    },
  });
  gauge({
    name: "quotacast_window_length_seconds",
    help: "Nominal length of the window.",
    labelNames: ["window"],
    collect: (g) => {
      for (const w of windows()) g.set({ window: w.reading.window }, w.reading.windowLengthMs / 1000);
    },
  });
  quantileFamily(
    registry,
    "quotacast_window_forecast_utilization_ratio",
    "Forecast utilization at reset, per quantile.",
    () =>
      forecasts().flatMap(([window, f]) =>
        FORECAST_QUANTILES.flatMap((q) => {
          const found = f.quantiles.find((x) => Math.abs(x.q - q) < 1e-9);
          return found ? [{ labels: { window, quantile: String(q) }, value: found.utilizationRatio }] : [];
        }),
      ),
  );
  gauge({
    name: "quotacast_window_exhaustion_probability_ratio",
    help: "Probability of reaching 100% before the reset.",
    labelNames: ["window"],
    collect: (g) => forecasts().forEach(([window, f]) => g.set({ window }, f.exhaustionProbability)),
  });
  gauge({
    name: "quotacast_window_warning_probability_ratio",
    help: "Probability of reaching the warning level before the reset.",
    labelNames: ["window"],
    collect: (g) => forecasts().forEach(([window, f]) => g.set({ window }, f.warningProbability)),
  });
  quantileFamily(
    registry,
    "quotacast_window_exhaustion_timestamp_seconds",
    "When 100% is reached, per quantile; absent when not likely.",
    () =>
      forecasts().flatMap(([window, f]) => {
        const at = f.exhaustionAtMs;
        if (!at) return [];
        return [
          { labels: { window, quantile: "0.1" }, value: at.p10Ms / 1000 },
          { labels: { window, quantile: "0.5" }, value: at.p50Ms / 1000 },
          { labels: { window, quantile: "0.9" }, value: at.p90Ms / 1000 },
        ];
      }),
  );
  gauge({
    name: "quotacast_window_burn_rate_ratio_per_second",
    help: "Recent burn rate (x 3600 x 100 = %/hour); absent while not known yet.",
    labelNames: ["window"],
    collect: (g) =>
      forecasts().forEach(
        ([window, f]) => f.burnRatioPerHour !== null && g.set({ window }, f.burnRatioPerHour / 3600),
      ),
  });
  gauge({
    name: "quotacast_window_pace_ratio",
    help: "Utilization / elapsed fraction of the window (1 = on pace).",
    labelNames: ["window"],
    collect: (g) =>
      forecasts().forEach(([window, f]) => f.paceRatio !== null && g.set({ window }, f.paceRatio)),
  });
  gauge({
    name: "quotacast_window_reserve_seconds",
    help:
      "Expected exhaustion at the current burn minus the reset: positive = the window outlasts its reset by that much, " +
      "negative = runs out that long before it; capped at the window length; absent while the burn is not known.",
    labelNames: ["window"],
    collect: (g) =>
      forecasts().forEach(([window, f]) => f.reserveMs !== null && g.set({ window }, f.reserveMs / 1000)),
  });
  gauge({
    name: "quotacast_window_abandoned_probability_ratio",
    help: "Probability the user has stopped for this window.",
    labelNames: ["window"],
    collect: (g) => forecasts().forEach(([window, f]) => g.set({ window }, f.abandonedProbability)),
  });
  gauge({
    name: "quotacast_window_final_utilization_ratio",
    help: "Final utilization of the window's last completed occurrence (its highest reading before it reset).",
    labelNames: ["window"],
    collect: (g) => {
      for (const [window, w] of state.lastCompletedWindows) g.set({ window }, w.finalUtilizationRatio);
    },
  });
  gauge({
    name: "quotacast_window_final_reset_timestamp_seconds",
    help: "When the window's last completed occurrence reset (the time of quotacast_window_final_utilization_ratio).",
    labelNames: ["window"],
    collect: (g) => {
      for (const [window, w] of state.lastCompletedWindows) g.set({ window }, w.resetsAtMs / 1000);
    },
  });
  gauge({
    name: "quotacast_window_learned_limit_usd",
    help: "API-equivalent USD per 100% of the window.",
    labelNames: ["window", "bound"],
    collect: (g) => {
      for (const w of windows()) {
        const l = w.learnedLimit;
        if (!l) continue;
        g.set({ window: w.reading.window, bound: "estimate" }, l.limitUsd);
        g.set({ window: w.reading.window, bound: "low" }, l.limitUsdLow);
        g.set({ window: w.reading.window, bound: "high" }, l.limitUsdHigh);
      }
    },
  });

  // --- transcripts: cumulative totals of everything in the ledger
  counter({
    name: "quotacast_tokens_total",
    help: "Deduplicated tokens from transcripts.",
    labelNames: ["model", "type"],
    collect: (c) => {
      for (const [model, t] of state.usage.byModel) {
        if (t.messages <= 0) continue;
        for (const [type, field] of TOKEN_TYPES) c.inc({ model, type }, Math.max(0, t[field]));
      }
    },
  });
  counter({
    name: "quotacast_cost_usd_total",
    help: "API-equivalent cost in USD (priced models only).",
    labelNames: ["model"],
    collect: (c) => {
      for (const [model, t] of state.usage.byModel) {
        if (t.messages > t.unpricedMessages) c.inc({ model }, Math.max(0, usd(t.costNanoUsd)));
      }
    },
  });
  counter({
    name: "quotacast_messages_total",
    help: "Deduplicated API responses.",
    labelNames: ["model"],
    collect: (c) => {
      for (const [model, t] of state.usage.byModel) if (t.messages > 0) c.inc({ model }, t.messages);
    },
  });
  if (opts.projects > 0) {
    counter({
      name: "quotacast_project_cost_usd_total",
      help: `API-equivalent cost per project (top ${opts.projects} by cost, the rest as other).`,
      labelNames: ["project"],
      collect: (c) => {
        for (const [project, cost] of cappedProjects(state.usage.projectCostNanoUsd, opts.projects)) {
          c.inc({ project }, Math.max(0, usd(cost)));
        }
      },
    });
  }

  // --- today and the active block (from the Summary)
  gauge({
    name: "quotacast_today_cost_usd",
    help: "Today's API-equivalent cost (user's time zone).",
    collect: (g) => g.set(state.summary?.today.costUsd ?? 0),
  });
  const block = () => state.summary?.activeBlock ?? null;
  gauge({
    name: "quotacast_block_cost_usd",
    help: "Current 5-hour block cost (0 when no active block).",
    collect: (g) => g.set(block()?.costUsd ?? 0),
  });
  gauge({
    name: "quotacast_block_tokens",
    help: "Current 5-hour block tokens.",
    collect: (g) => g.set(block()?.totalTokens ?? 0),
  });
  gauge({
    name: "quotacast_block_projected_cost_usd",
    help: "Block cost at block end at the current burn rate.",
    collect: (g) => g.set(block()?.projectedCostUsd ?? 0),
  });
  gauge({
    name: "quotacast_block_burn_rate_usd_per_second",
    help: "Current block burn rate.",
    collect: (g) => g.set((block()?.burnUsdPerHour ?? 0) / 3600),
  });
  optionalGauge(
    registry,
    "quotacast_block_end_timestamp_seconds",
    "End of the active block; absent when none.",
    () => {
      const b = block();
      return b ? b.endMs / 1000 : null;
    },
  );
  gauge({
    name: "quotacast_active_sessions",
    help: "Sessions with activity in the last 5 minutes.",
    collect: (g) => {
      const sessions = new Set<string>();
      for (const e of state.usage.recentEvents(now() - ACTIVE_SESSION_MS)) {
        sessions.add(`${e.project}\u0000${e.sessionId}`);
        // The count may drop once this event is older than the 5 minutes.
        registry.changesAt(e.timestampMs + ACTIVE_SESSION_MS);
      }
      g.set(sessions.size);
    },
  });

  // --- extra usage, organization, account
  const extra = () => state.summary?.extraUsage ?? null;
  optionalGauge(registry, "quotacast_extra_usage_enabled", "1 when extra usage is enabled.", () => {
    const e = extra();
    return e ? (e.isEnabled ? 1 : 0) : null;
  });
  /** An amount of the extra usage, labelled with its currency; absent while unknown. */
  const extraAmount = (name: string, help: string, amount: (e: ExtraUsage) => number | null): void =>
    gauge({
      name,
      help,
      labelNames: ["currency"],
      collect: (g) => {
        const e = extra();
        const value = e ? amount(e) : null;
        if (e && value !== null) g.set({ currency: e.currency }, value);
      },
    });
  extraAmount(
    "quotacast_extra_usage_limit",
    "Monthly extra-usage limit, currency units.",
    (e) => e.monthlyLimit,
  );
  extraAmount("quotacast_extra_usage_used", "Extra-usage credits used, currency units.", (e) => e.used);
  // Two families, each summable on its own: one series per user, one per model.
  gauge({
    name: "quotacast_org_user_cost_usd",
    help: "Organization month-to-date Claude Code cost per user (Admin API); sum() = the organization's total.",
    labelNames: ["user"],
    collect: (g) => state.orgUsage()?.perUser.forEach((u) => g.set({ user: u.actor }, u.costUsd)),
  });
  gauge({
    name: "quotacast_org_model_cost_usd",
    help: "Organization month-to-date Claude Code cost per model (Admin API); sum() = the organization's total.",
    labelNames: ["model"],
    collect: (g) => state.orgUsage()?.perModel.forEach((m) => g.set({ model: m.model }, m.costUsd)),
  });
  optionalGauge(
    registry,
    "quotacast_org_projected_cost_usd",
    "Organization end-of-month projection (Admin API).",
    () => state.orgUsage()?.projectedMonthUsd ?? null,
  );
  gauge({
    name: "quotacast_account_info",
    help: "Plan of the account, always 1.",
    labelNames: ["subscription_type", "rate_limit_tier"],
    collect: (g) => {
      const plan = state.summary?.plan ?? null;
      if (plan && (plan.subscriptionType || plan.rateLimitTier)) {
        g.set(
          { subscription_type: plan.subscriptionType ?? "", rate_limit_tier: plan.rateLimitTier ?? "" },
          1,
        );
      }
    },
  });

  // --- sources and the exporter itself
  gauge({
    name: "quotacast_source_up",
    help: "1 when the last poll of the source succeeded.",
    labelNames: ["source"],
    collect: (g) => state.statuses().forEach((s) => g.set({ source: s.source }, isUp(s) ? 1 : 0)),
  });
  gauge({
    name: "quotacast_source_last_success_timestamp_seconds",
    help: "When the source last succeeded.",
    labelNames: ["source"],
    collect: (g) =>
      state
        .statuses()
        .forEach((s) => s.lastSuccessMs !== null && g.set({ source: s.source }, s.lastSuccessMs / 1000)),
  });
  gauge({
    name: "quotacast_source_poll_interval_seconds",
    help: "Longest time between two scheduled polls of the source (its schedule and interval): what staleness is measured against.",
    labelNames: ["source"],
    collect: (g) => {
      for (const [source, ms] of state.pollIntervalsMs) g.set({ source }, ms / 1000);
    },
  });
  gauge({
    name: "quotacast_source_last_error_info",
    help: "1 for the source's current error reason (none when healthy).",
    labelNames: ["source", "reason"],
    collect: (g) =>
      state
        .statuses()
        .forEach((s) => g.set({ source: s.source, reason: isUp(s) ? "none" : s.lastErrorReason }, 1)),
  });
  counter({
    name: "quotacast_source_polls_total",
    help: "Polls of the source.",
    labelNames: ["source"],
    collect: (c) => incAll(c, state.counters.source_polls_total),
  });
  counter({
    name: "quotacast_source_failures_total",
    help: "Failed polls of the source, by reason.",
    labelNames: ["source", "reason"],
    collect: (c) => incAll(c, state.counters.source_failures_total),
  });
  counter({
    name: "quotacast_ingest_lines_skipped_total",
    help: "Malformed transcript lines skipped, by reason.",
    labelNames: ["reason"],
    collect: (c) => incAll(c, state.counters.ingest_lines_skipped_total),
  });
  gauge({
    name: "quotacast_scrape_duration_seconds",
    help: "Time the last rendering of the metrics took (the text is rendered once per state change).",
    collect: (g) => g.set(state.lastScrapeDurationSeconds),
  });
  const buildInfo = new Gauge({
    name: "quotacast_build_info",
    help: "Version of quotacast and Node.js, always 1.",
    labelNames: ["version", "nodejs_version"],
    registers: [registry],
  });
  buildInfo.set({ version: VERSION, nodejs_version: process.version }, 1);

  if (opts.processMetrics) {
    const live = new Registry();
    collectDefaultMetrics({ register: live, prefix: "quotacast_" });
    // Gauges named *_total break the naming rules (promtool check metrics): left out.
    for (const name of NODE_GAUGES_NAMED_TOTAL) live.removeSingleMetric(name);
    registry.live = live;
  }
  return registry;
}

function incAll(c: CounterWriter, values: CounterValues): void {
  for (const [labels, value] of values) c.inc(parseLabelKey(labels), value);
}

/** The top `n` projects by cost; the rest summed as `other`. */
function cappedProjects(costs: ReadonlyMap<string, number>, n: number): Array<[string, number]> {
  const sorted = [...costs].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const top = sorted.slice(0, n);
  const rest = sorted.slice(n);
  if (rest.length > 0) top.push(["other", rest.reduce((sum, [, cost]) => sum + cost, 0)]);
  return top;
}
