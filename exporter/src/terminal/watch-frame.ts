/**
 * The live view's screen, as lines: pure (a Summary and the screen's size in, lines out), so
 * the layout is tested without a terminal. `screen.ts` draws it; `commands/watch.ts` feeds it.
 */
import type { Summary } from "@quotacast/core";
import { formatAge, formatClock } from "@quotacast/core/report/format";
import { fitLine, type Line } from "./line";
import type { Thresholds } from "./levels";
import {
  blockLine,
  noWindowsLine,
  organizationLines,
  periodLine,
  planLabel,
  sourcesLine,
  warningLines,
  windowLabelWidth,
  windowLines,
} from "./summary-lines";

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
  const labelWidth = windowLabelWidth(windows);
  const windowBlocks = windows.map((w) => windowLines(w, opts, labelWidth));
  const body = [
    blockLine(summary, opts.nowMs),
    ...(opts.focus === "block" ? [] : [periodLine("Today", summary.today)]),
    ...organizationLines(summary),
    sourcesLine(summary, opts.nowMs),
  ];
  const tail = [...warningLines(summary, opts), footerLine(opts)];
  const noWindows: Line[] = windows.length === 0 ? [noWindowsLine()] : [];

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

function footerLine(opts: FrameOptions): Line {
  return [
    { text: opts.focus === "block" ? "q quit · live 5-hour block" : "q quit · r refresh", paint: "dim" },
  ];
}
