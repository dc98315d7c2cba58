/**
 * The pieces every terminal view of a Summary is made of (the live view and `status`): a
 * window as a bar with its forecast, burn against pace and reserve; the block, a period by
 * model, the organization, extra usage, sources and warnings. Pure: a Summary in, lines out.
 */
import { DAY_MS, HOUR_MS, type PeriodUsage, type Summary, type WindowSummary } from "@quotacast/core";
import {
  formatAge,
  formatClock,
  formatDuration,
  formatReserve,
  formatPercent,
  formatTokens,
  formatUsd,
  shortModelName,
  windowLabel,
} from "@quotacast/core/report/format";
import { barCells, barSegments, type BarCell } from "./bar";
import { plainText, type Line, type Paint } from "./line";
import { levelOf, levelPaint, type Thresholds } from "./levels";

export interface ViewOptions {
  nowMs: number;
  columns: number;
  thresholds: Thresholds;
}

/** Labels of the usage lines (`Block`, `Today`, ...) are padded to this width. */
const LABEL_WIDTH = 13;

export function label(text: string): { text: string; paint: Paint } {
  return { text: text.padEnd(LABEL_WIDTH), paint: "bold" };
}

/** The widest window label plus a space (at least the usage labels' width). */
export function windowLabelWidth(windows: readonly WindowSummary[]): number {
  return Math.max(LABEL_WIDTH, ...windows.map((w) => windowLabel(w.reading.window).length + 1));
}

export function noWindowsLine(): Line {
  return [
    {
      text: "No rate-limit data yet: run `quotacast statusline install`, or pass --oauth.",
      paint: "yellow",
    },
  ];
}

export function planLabel(summary: Summary): string | null {
  const plan = summary.plan;
  if (!plan) return null;
  const tier = /max_(\d+x)/.exec(plan.rateLimitTier ?? "")?.[1];
  const type = plan.subscriptionType?.replace(/^claude_/, "");
  if (!type && !tier) return null;
  const name = type ? type.charAt(0).toUpperCase() + type.slice(1) : "";
  return [name, tier].filter(Boolean).join(" ");
}

/** Three lines per window: bar and reset; forecast; burn, pace and reserve. */
export function windowLines(
  w: WindowSummary,
  opts: ViewOptions,
  labelWidth: number,
  suffix: Line = [],
): Line[] {
  const r = w.reading;
  const f = w.forecast;
  const level = levelOf(r.utilizationRatio, opts.thresholds);
  const reset =
    r.resetsAtMs === null
      ? "reset unknown"
      : `resets ${formatDuration(r.resetsAtMs - opts.nowMs)} (${formatClock(r.resetsAtMs, "", opts.nowMs)})`;
  const percent = formatPercent(r.utilizationRatio).padStart(5);
  const tailText = `${percent}  ${reset}${plainText(suffix)}`;
  const barWidth = Math.max(10, Math.min(60, opts.columns - labelWidth - tailText.length - 2));
  const cells = barCells(
    f
      ? { usedRatio: r.utilizationRatio, p10Ratio: f.p10Ratio, p50Ratio: f.p50Ratio, p90Ratio: f.p90Ratio }
      : { usedRatio: r.utilizationRatio },
    barWidth,
  );
  const barPaint: Record<BarCell, Paint> = {
    used: levelPaint(level),
    range: "cyan",
    median: "bold",
    empty: "dim",
  };
  const first: Line = [
    { text: windowLabel(r.window).padEnd(labelWidth), paint: "bold" },
    ...barSegments(cells).map((s) => ({ text: s.text, paint: barPaint[s.cell] })),
    { text: " " },
    { text: percent, paint: levelPaint(level) },
    { text: `  ${reset}` },
    ...suffix,
  ];
  const indent = " ".repeat(labelWidth);
  if (!f)
    return [
      first,
      [
        {
          text: `${indent}no forecast yet (${formatAge(opts.nowMs - r.observedAtMs)} old reading)`,
          paint: "dim",
        },
      ],
    ];
  return [
    first,
    [{ text: indent }, ...forecastSegments(f, opts)],
    [{ text: indent }, ...paceSegments(w, opts.nowMs)],
  ];
}

/**
 * Where the window ends up: its utilization at reset (80% range), or, when running out is more
 * likely than not, when it hits the limit; never a share above 100%, which cannot be used.
 */
function forecastSegments(f: NonNullable<WindowSummary["forecast"]>, opts: ViewOptions): Line {
  const chance = `${formatPercent(f.exhaustionProbability)} chance of running out`;
  const paint: Paint | undefined =
    f.exhaustionProbability >= 0.5 ? "red" : f.exhaustionProbability >= 0.2 ? "yellow" : undefined;
  if (f.exhaustionAtMs) {
    const at = f.exhaustionAtMs.p50Ms;
    return [
      { text: `limit ~${formatClock(at, "", opts.nowMs)} (in ${formatDuration(at - opts.nowMs)}) · ` },
      { text: chance, paint },
    ];
  }
  const capped = (ratio: number) => formatPercent(Math.min(1, ratio));
  const range = `at reset ~${capped(f.p50Ratio)} (${capped(f.p10Ratio)}-${capped(f.p90Ratio)})`;
  return [{ text: `${range} · ` }, { text: chance, paint }];
}

/** Burn against the pace that just reaches 100% at reset: %/h for 5 h, %/day for weeks. */
function paceSegments(w: WindowSummary, nowMs: number): Line {
  const f = w.forecast!;
  const r = w.reading;
  const perDay = r.windowLengthMs > DAY_MS;
  const unit = perDay ? DAY_MS : HOUR_MS;
  const rate = (ratioPerHour: number) =>
    `${formatPercent((ratioPerHour * unit) / HOUR_MS)}/${perDay ? "day" : "h"}`;
  const hoursLeft = r.resetsAtMs === null ? null : Math.max(1 / 60, (r.resetsAtMs - nowMs) / HOUR_MS);
  const paceRatioPerHour = hoursLeft === null ? null : Math.max(0, 1 - r.utilizationRatio) / hoursLeft;
  const burn = f.burnRatioPerHour;
  const tooFast = paceRatioPerHour !== null && burn !== null && burn > paceRatioPerHour;
  const segments: Line = [
    {
      text: burn === null ? "burn not known yet" : `burn ${rate(burn)}`,
      paint: tooFast ? "yellow" : undefined,
    },
    { text: paceRatioPerHour === null ? "" : ` · pace to reset ${rate(paceRatioPerHour)}` },
  ];
  if (f.reserveMs !== null) {
    segments.push(
      { text: " · reserve " },
      { text: formatReserve(f.reserveMs, r.windowLengthMs), paint: f.reserveMs >= 0 ? "green" : "red" },
    );
  }
  return segments;
}

export function blockLine(summary: Summary, nowMs: number): Line {
  const block = summary.activeBlock;
  if (!block) return [label("Block"), { text: "no active 5-hour block", paint: "dim" }];
  return [
    label("Block"),
    {
      text:
        `${formatUsd(block.costUsd)} · ${formatTokens(block.totalTokens)} tokens · ${formatUsd(block.burnUsdPerHour)}/h` +
        ` · ends ${formatClock(block.endMs, "", nowMs)} (projected ${formatUsd(block.projectedCostUsd)})`,
    },
  ];
}

/**
 * A period's cost and tokens, then each model (core's order: cost, then tokens) with its cost
 * and share of the tokens, so a model without a price is seen by its weight, not hidden
 * behind $0.00.
 */
export function periodLine(name: string, period: PeriodUsage): Line {
  const share = (tokens: number) =>
    period.totalTokens > 0 ? formatPercent(tokens / period.totalTokens) : "0%";
  const models = period.models.map(
    (m) =>
      `${shortModelName(m.model)} ${m.costUsd === null ? "no price" : formatUsd(m.costUsd)} (${share(m.totalTokens)})`,
  );
  return [
    label(name),
    {
      text: [`${formatUsd(period.costUsd)}`, `${formatTokens(period.totalTokens)} tokens`, ...models].join(
        " · ",
      ),
    },
  ];
}

/** Extra usage (credits past the plan's limits), when a source reports it. */
export function extraUsageLines(summary: Summary): Line[] {
  const extra = summary.extraUsage;
  if (!extra) return [];
  if (!extra.isEnabled) return [[label("Extra usage"), { text: "off", paint: "dim" }]];
  const money = (amount: number | null) => (amount === null ? "?" : `${amount.toFixed(2)} ${extra.currency}`);
  const share = extra.utilizationRatio === null ? "" : ` (${formatPercent(extra.utilizationRatio)})`;
  return [
    [
      label("Extra usage"),
      { text: `${money(extra.used)} of ${money(extra.monthlyLimit)} this month${share}` },
    ],
  ];
}

export function organizationLines(summary: Summary): Line[] {
  const org = summary.organization;
  if (!org) return [];
  const projected =
    org.projectedMonthUsd === null ? "" : ` · projected ${formatUsd(org.projectedMonthUsd)} by month end`;
  return [[label("Organization"), { text: `${formatUsd(org.monthToDateUsd)} this month${projected}` }]];
}

export function sourcesLine(summary: Summary, nowMs: number): Line {
  const line: Line = [label("Sources")];
  summary.sources.forEach((s, i) => {
    const age = s.lastSuccessMs === null ? "" : ` ${formatAge(nowMs - s.lastSuccessMs)}`;
    const paint: Paint | undefined = s.state === "ok" ? "green" : s.state === "disabled" ? "dim" : "yellow";
    line.push(
      { text: `${i > 0 ? " · " : ""}${s.source} ` },
      { text: s.state, paint },
      { text: age, paint: "dim" },
    );
  });
  return line;
}

/** One line per window that crossed a threshold or is forecast to run out. */
export function warningLines(summary: Summary, opts: ViewOptions): Line[] {
  const lines: Line[] = [];
  for (const w of summary.windows) {
    const label = windowLabel(w.reading.window);
    const level = levelOf(w.reading.utilizationRatio, opts.thresholds);
    const f = w.forecast;
    if (level !== "normal") {
      lines.push([
        { text: `! ${label} at ${formatPercent(w.reading.utilizationRatio)}`, paint: levelPaint(level) },
      ]);
    } else if (f && f.exhaustionAtMs && f.exhaustionProbability >= 0.5) {
      lines.push([
        {
          text: `! ${label} likely runs out in ${formatDuration(f.exhaustionAtMs.p50Ms - opts.nowMs)}, before its reset`,
          paint: "yellow",
        },
      ]);
    }
  }
  return lines;
}
