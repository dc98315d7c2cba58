/**
 * The live view's screen, as lines: pure (a Summary and the screen's size in, lines out), so
 * the layout is tested without a terminal. `screen.ts` draws it; `commands/watch.ts` feeds it.
 */
import {
  DAY_MS,
  HOUR_MS,
  formatAge,
  formatClock,
  formatDuration,
  formatReserve,
  formatPercent,
  formatTokens,
  formatUsd,
  shortModelName,
  windowLabel,
  type Summary,
  type WindowSummary,
} from "@quotacast/core";
import { barCells, barSegments, type BarCell } from "./bar";
import { fitLine, type Line, type Paint } from "./line";
import { levelOf, levelPaint, type Thresholds } from "./levels";

export interface FrameOptions {
  nowMs: number;
  columns: number;
  rows: number;
  thresholds: Thresholds;
  /** `block`: the active 5-hour block first and alone with the 5-hour window (`blocks --live`). */
  focus: "all" | "block";
  /** When the Summary was last rebuilt (the header says how fresh the screen is). */
  updatedAtMs: number;
}

/** The whole screen: at most `rows` lines, none wider than `columns`. */
export function watchFrame(summary: Summary, opts: FrameOptions): Line[] {
  const windows =
    opts.focus === "block"
      ? summary.windows.filter((w) => w.reading.window === "five_hour")
      : summary.windows;
  const head = [headerLine(summary, opts), []];
  const labelWidth = Math.max(9, ...windows.map((w) => windowLabel(w.reading.window).length + 1));
  const windowBlocks = windows.map((w) => windowLines(w, opts, labelWidth));
  const body = [
    ...usageLines(summary, opts),
    ...organizationLines(summary),
    sourcesLine(summary, opts.nowMs),
  ];
  const tail = [...warningLines(summary, opts), footerLine(opts)];
  const noWindows: Line[] =
    windows.length === 0
      ? [
          [
            {
              text: "No rate-limit data yet: run `quotacast statusline install`, or pass --oauth.",
              paint: "yellow",
            },
          ],
        ]
      : [];

  // Drop detail before anything else when the screen is short: the third line of each window
  // (burn, pace, reserve), then the second (forecast), then the blank separators.
  for (const keep of [3, 2, 1]) {
    const lines = [
      ...head,
      ...noWindows,
      ...windowBlocks.flatMap((block) => block.slice(0, keep)),
      [],
      ...body,
      [],
      ...tail,
    ];
    if (lines.length <= opts.rows || keep === 1) {
      return lines.slice(0, Math.max(1, opts.rows)).map((line) => fitLine(line, opts.columns));
    }
  }
  return [];
}

function headerLine(summary: Summary, opts: FrameOptions): Line {
  const plan = planLabel(summary);
  const left = `quotacast${plan ? ` · ${plan}` : ""} · ${formatClock(opts.nowMs, summary.timezone)} ${summary.timezone}`;
  const right = `updated ${formatAge(Math.max(0, opts.nowMs - opts.updatedAtMs))}`;
  const gap = Math.max(1, opts.columns - left.length - right.length);
  return [{ text: left, paint: "bold" }, { text: " ".repeat(gap) }, { text: right, paint: "dim" }];
}

function planLabel(summary: Summary): string | null {
  const plan = summary.plan;
  if (!plan) return null;
  const tier = /max_(\d+x)/.exec(plan.rateLimitTier ?? "")?.[1];
  const type = plan.subscriptionType?.replace(/^claude_/, "");
  if (!type && !tier) return null;
  const name = type ? type.charAt(0).toUpperCase() + type.slice(1) : "";
  return [name, tier].filter(Boolean).join(" ");
}

/** Three lines per window: bar and reset; forecast; burn, pace and reserve. */
function windowLines(w: WindowSummary, opts: FrameOptions, labelWidth: number): Line[] {
  const r = w.reading;
  const f = w.forecast;
  const level = levelOf(r.utilizationRatio, opts.thresholds);
  const reset =
    r.resetsAtMs === null
      ? "reset unknown"
      : `resets ${formatDuration(r.resetsAtMs - opts.nowMs)} (${formatClock(r.resetsAtMs, "", opts.nowMs)})`;
  const percent = formatPercent(r.utilizationRatio).padStart(5);
  const tailText = `${percent}  ${reset}`;
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
function forecastSegments(f: NonNullable<WindowSummary["forecast"]>, opts: FrameOptions): Line {
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

function usageLines(summary: Summary, opts: FrameOptions): Line[] {
  const block = summary.activeBlock;
  const blockLine: Line = block
    ? [
        { text: "Block    ", paint: "bold" },
        {
          text:
            `${formatUsd(block.costUsd)} · ${formatTokens(block.totalTokens)} tokens · ${formatUsd(block.burnUsdPerHour)}/h` +
            ` · ends ${formatClock(block.endMs, "", opts.nowMs)} (projected ${formatUsd(block.projectedCostUsd)})`,
        },
      ]
    : [
        { text: "Block    ", paint: "bold" },
        { text: "no active 5-hour block", paint: "dim" },
      ];
  const models = summary.today.models
    .map((m) => `${shortModelName(m.model)} ${m.costUsd === null ? "cost unknown" : formatUsd(m.costUsd)}`)
    .join(" · ");
  const todayLine: Line = [
    { text: "Today    ", paint: "bold" },
    { text: `${formatUsd(summary.today.costUsd)}${models ? ` · ${models}` : ""}` },
  ];
  return opts.focus === "block" ? [blockLine] : [blockLine, todayLine];
}

function organizationLines(summary: Summary): Line[] {
  const org = summary.organization;
  if (!org) return [];
  const projected =
    org.projectedMonthUsd === null ? "" : ` · projected ${formatUsd(org.projectedMonthUsd)} by month end`;
  return [
    [
      { text: "Org      ", paint: "bold" },
      { text: `${formatUsd(org.monthToDateUsd)} this month${projected}` },
    ],
  ];
}

function sourcesLine(summary: Summary, nowMs: number): Line {
  const line: Line = [{ text: "Sources  ", paint: "bold" }];
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
function warningLines(summary: Summary, opts: FrameOptions): Line[] {
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

function footerLine(opts: FrameOptions): Line {
  return [
    { text: opts.focus === "block" ? "q quit · live 5-hour block" : "q quit · r refresh", paint: "dim" },
  ];
}
