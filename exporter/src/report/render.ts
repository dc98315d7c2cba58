/** Human-readable tables for the report commands. */
import {
  formatDuration,
  formatTokens,
  formatUsd,
  shortModelName,
  type Diagnostics,
  type PeriodUsage,
} from "@quotacast/core";
import { renderTable, type Column } from "./table";

// Tables show exact figures (`12,345`, `$1234.56`), as ccusage's do.
import type { BlockRow, SessionReport } from "./usage";
import { totalsOf } from "./ccusage-json";

const TOKEN_COLUMNS: Column[] = [
  { header: "Input", align: "right" },
  { header: "Output", align: "right" },
  { header: "Cache Create", align: "right" },
  { header: "Cache Read", align: "right" },
  { header: "Total Tokens", align: "right" },
  { header: "Cost (USD)", align: "right" },
];

function tokenCells(
  p: {
    inputTokens: number;
    outputTokens: number;
    cacheCreationTokens: number;
    cacheReadTokens: number;
    totalTokens: number;
  },
  cost: string,
): string[] {
  return [
    formatTokens(p.inputTokens, "exact"),
    formatTokens(p.outputTokens, "exact"),
    formatTokens(p.cacheCreationTokens, "exact"),
    formatTokens(p.cacheReadTokens, "exact"),
    formatTokens(p.totalTokens, "exact"),
    cost,
  ];
}

function modelList(p: PeriodUsage): string {
  return p.models.map((m) => `- ${shortModelName(m.model)}`).join("\n");
}

/** Per-model sub-rows under a row (`--breakdown`). */
function breakdownRows(p: PeriodUsage, leading: number): string[][] {
  return p.models.map((m) => [
    ...Array<string>(leading - 1).fill(""),
    `  └ ${shortModelName(m.model)}`,
    ...tokenCells(m, m.costUsd === null ? "unknown" : formatUsd(m.costUsd, "exact")),
  ]);
}

export function renderPeriodTable(
  title: string,
  label: string,
  periods: PeriodUsage[],
  breakdown: boolean,
): string {
  const columns: Column[] = [
    { header: label, align: "left" },
    { header: "Models", align: "left" },
    ...TOKEN_COLUMNS,
  ];
  const rows: string[][] = [];
  for (const p of periods) {
    rows.push([p.period, modelList(p), ...tokenCells(p, formatUsd(p.costUsd, "exact"))]);
    if (breakdown) rows.push(...breakdownRows(p, 2));
  }
  const totals = totalsOf(periods);
  return `${title}\n\n${renderTable(columns, { rows, footer: [["Total", "", ...tokenCells(totals, formatUsd(totals.totalCost, "exact"))]] })}`;
}

export function renderSessionTable(sessions: SessionReport[], timezone: string, breakdown: boolean): string {
  const columns: Column[] = [
    { header: "Session", align: "left" },
    { header: "Project", align: "left" },
    { header: "Last Activity", align: "left" },
    { header: "Models", align: "left" },
    ...TOKEN_COLUMNS,
  ];
  const rows: string[][] = [];
  for (const s of sessions) {
    rows.push([
      s.sessionId.slice(0, 8),
      s.project,
      localTime(s.lastActivityMs, timezone),
      modelList(s.usage),
      ...tokenCells(s.usage, formatUsd(s.usage.costUsd, "exact")),
    ]);
    if (breakdown) rows.push(...breakdownRows(s.usage, 4));
  }
  const totals = totalsOf(sessions.map((s) => s.usage));
  return `Usage by session\n\n${renderTable(columns, {
    rows,
    footer: [["Total", "", "", "", ...tokenCells(totals, formatUsd(totals.totalCost, "exact"))]],
  })}`;
}

export function renderBlocksTable(blocks: BlockRow[], timezone: string, nowMs: number): string {
  const columns: Column[] = [
    { header: "Block Start", align: "left" },
    { header: "Status", align: "left" },
    { header: "Models", align: "left" },
    ...TOKEN_COLUMNS,
  ];
  const blank = (n: number): string[] => Array<string>(n).fill("");
  const rows: string[][] = [];
  for (const b of blocks) {
    if (b.kind === "gap") {
      rows.push([
        localTime(b.startMs, timezone),
        `(no activity until ${localTime(b.endMs, timezone)})`,
        ...blank(TOKEN_COLUMNS.length + 1),
      ]);
      continue;
    }
    const s = b.summary;
    const status = s.isActive
      ? `ACTIVE, ${formatDuration(s.endMs - nowMs)} left`
      : formatDuration(b.lastEventMs - s.startMs);
    rows.push([
      localTime(s.startMs, timezone),
      status,
      s.models.map((m) => `- ${shortModelName(m)}`).join("\n"),
      ...tokenCells(b.tokens, formatUsd(s.costUsd, "exact")),
    ]);
    if (s.isActive) {
      rows.push([
        "",
        `burn ${formatUsd(s.burnUsdPerHour, "exact")}/h, ${formatTokens(s.burnTokensPerMinute, "exact")} tok/min`,
        "projected at block end",
        ...blank(TOKEN_COLUMNS.length - 2),
        formatTokens(s.projectedTokens, "exact"),
        formatUsd(s.projectedCostUsd, "exact"),
      ]);
    }
  }
  return `5-hour blocks\n\n${renderTable(columns, { rows })}`;
}

/** Notes under a table: unknown models and skipped lines, so nothing is dropped silently. */
export function renderNotes(unpricedModels: string[], diagnostics: Diagnostics): string {
  const lines: string[] = [];
  if (unpricedModels.length > 0) {
    lines.push(`Note: no price known for ${unpricedModels.join(", ")}: tokens counted, cost not included.`);
  }
  const skipped = diagnostics.linesSkippedInvalidJson + diagnostics.linesSkippedOther;
  lines.push(
    `Scanned ${diagnostics.filesScanned} transcript files; skipped ${skipped} lines ` +
      `(${diagnostics.linesSkippedInvalidJson} invalid JSON, ${diagnostics.linesSkippedOther} malformed)` +
      " in the bytes read by this run" +
      (diagnostics.filesUnreadable > 0 ? `; ${diagnostics.filesUnreadable} files unreadable.` : "."),
  );
  return lines.join("\n") + "\n";
}

const timeFormatters = new Map<string, Intl.DateTimeFormat>();

/** `2026-11-22 14:05` in the report's zone. */
export function localTime(ms: number, timezone: string): string {
  let fmt = timeFormatters.get(timezone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("sv-SE", {
      timeZone: timezone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    timeFormatters.set(timezone, fmt);
  }
  return fmt.format(ms);
}
