/**
 * `quotacast status` as lines: every window with its bar, forecast, burn against pace and
 * reserve; the plan, the block, today and this week by model, the organization's month,
 * extra usage, each source with its state, age and message, and what needs attention. The
 * same pieces as the live view, laid out for a one-shot print at the terminal's width.
 */
import type { Summary, WindowSummary } from "@quotacast/core";
import { formatAge } from "@quotacast/core/report/format";
import { fitLine, type Line, type Paint } from "./line";
import {
  blockLine,
  extraUsageLines,
  label,
  noWindowsLine,
  organizationLines,
  periodLine,
  planLabel,
  warningLines,
  windowLabelWidth,
  windowLines,
  type ViewOptions,
} from "./summary-lines";

export function statusView(summary: Summary, opts: ViewOptions): Line[] {
  const labelWidth = windowLabelWidth(summary.windows);
  const plan = planLabel(summary);
  const lines: Line[] = [
    [{ text: "Rate limits", paint: "bold" }, ...(plan ? [{ text: ` · ${plan} plan` }] : [])],
    ...(summary.windows.length === 0 ? [noWindowsLine()] : []),
    ...summary.windows.flatMap((w) => windowLines(w, opts, labelWidth, sourceOf(w, opts.nowMs))),
    [],
    blockLine(summary, opts.nowMs),
    periodLine("Today", summary.today),
    periodLine("This week", summary.thisWeek),
    ...organizationLines(summary),
    ...extraUsageLines(summary),
    [],
    ...sourceLines(summary, opts.nowMs),
    ...notesLines(summary),
  ];
  const warnings = warningLines(summary, opts);
  if (warnings.length > 0) lines.push([], ...warnings);
  return lines.map((line) => fitLine(line, opts.columns));
}

/** Where a window's reading came from and how old it is, after its reset. */
function sourceOf(w: WindowSummary, nowMs: number): Line {
  return [{ text: `  [${w.reading.source}, ${formatAge(nowMs - w.reading.observedAtMs)}]`, paint: "dim" }];
}

function sourceLines(summary: Summary, nowMs: number): Line[] {
  return summary.sources.map((s, i) => {
    const paint: Paint | undefined = s.state === "ok" ? "green" : s.state === "disabled" ? "dim" : "yellow";
    const age = s.lastSuccessMs === null ? "" : ` (${formatAge(nowMs - s.lastSuccessMs)})`;
    const message = s.message && s.message !== s.state ? `: ${s.message}` : "";
    return [
      i === 0 ? label("Sources") : label(""),
      { text: `${s.source} ` },
      { text: s.state, paint },
      { text: `${age}${message}` },
    ];
  });
}

/** Skipped lines, unreadable files and models without a price: on every run, not just the first. */
function notesLines(summary: Summary): Line[] {
  const d = summary.diagnostics;
  const skipped = d.linesSkippedInvalidJson + d.linesSkippedOther;
  if (skipped === 0 && d.filesUnreadable === 0 && d.unknownModels.length === 0) return [];
  const price = d.unknownModels.length
    ? `; no price for ${d.unknownModels.join(", ")} (cost counted as unknown)`
    : "";
  return [
    [
      label("Notes"),
      {
        text: `${skipped} transcript lines skipped, ${d.filesUnreadable} files unreadable${price}`,
        paint: "yellow",
      },
    ],
  ];
}
