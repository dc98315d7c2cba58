/** Human-readable tables for the report commands. */
import type { Diagnostics } from "@quotacast/core/ingest";
import { formatDuration, formatTokens, formatUsd, shortModelName } from "@quotacast/core/report/format";
import { zonedFormatter } from "@quotacast/core/time";
import type { PeriodUsage } from "@quotacast/core/usage";
import { renderTable, type Column, type TablePaint } from "./table";

// Tables show exact figures (`12,345`, `$1234.56`), as ccusage's do.
import type { BlockRow, SessionReport } from "./usage";
import { totalsOf } from "./ccusage-json";

/**
 * How a table is laid out: `compact` (ccusage's --compact) shows rounded figures and leaves the
 * cache columns out; `maxWidth` is the terminal's width (columns are dropped to fit it).
 */
export interface TableLayout {
  compact: boolean;
  maxWidth: number;
  /** Header and totals colour on a terminal. */
  paint?: TablePaint;
}

export const FULL_WIDTH: TableLayout = { compact: false, maxWidth: Infinity };

/** The token columns; in order of what goes first when the table is too wide: the cache, input, output. */
function tokenColumns(layout: TableLayout): Column[] {
  const cache: Column[] = [
    { header: "Cache Create", align: "right", drop: 6 },
    { header: "Cache Read", align: "right", drop: 5 },
  ];
  return [
    { header: "Input", align: "right", drop: 3 },
    { header: "Output", align: "right", drop: 2 },
    ...(layout.compact ? [] : cache),
    { header: layout.compact ? "Total" : "Total Tokens", align: "right" },
    { header: layout.compact ? "Cost" : "Cost (USD)", align: "right" },
  ];
}

function tokenCells(
  p: {
    inputTokens: number;
    outputTokens: number;
    cacheCreationTokens: number;
    cacheReadTokens: number;
    totalTokens: number;
  },
  costUsd: number | null,
  layout: TableLayout,
): string[] {
  const tokens = (n: number) => formatTokens(n, layout.compact ? "compact" : "exact");
  const cost = costUsd === null ? "unknown" : formatUsd(costUsd, layout.compact ? "compact" : "exact");
  const cache = layout.compact ? [] : [tokens(p.cacheCreationTokens), tokens(p.cacheReadTokens)];
  return [tokens(p.inputTokens), tokens(p.outputTokens), ...cache, tokens(p.totalTokens), cost];
}

function modelList(p: PeriodUsage, layout: TableLayout): string {
  const names = p.models.map((m) => shortModelName(m.model));
  return layout.compact ? names.join(", ") : names.map((name) => `- ${name}`).join("\n");
}

const MODELS_COLUMN: Column = { header: "Models", align: "left", drop: 4, shrink: true };

/** Per-model sub-rows under a row (`--breakdown`). */
function breakdownRows(p: PeriodUsage, leading: number, layout: TableLayout): string[][] {
  return p.models.map((m) => [
    ...Array<string>(leading - 1).fill(""),
    `  └ ${shortModelName(m.model)}`,
    ...tokenCells(m, m.costUsd, layout),
  ]);
}

export function renderPeriodTable(
  title: string,
  label: string,
  periods: PeriodUsage[],
  breakdown: boolean,
  layout: TableLayout = FULL_WIDTH,
): string {
  const columns: Column[] = [{ header: label, align: "left" }, MODELS_COLUMN, ...tokenColumns(layout)];
  const rows: string[][] = [];
  for (const p of periods) {
    rows.push([p.period, modelList(p, layout), ...tokenCells(p, p.costUsd, layout)]);
    if (breakdown) rows.push(...breakdownRows(p, 2, layout));
  }
  const totals = totalsOf(periods);
  const footer = [["Total", "", ...tokenCells(totals, totals.totalCost, layout)]];
  return `${title}\n\n${renderTable(columns, { rows, footer }, layout.maxWidth, layout.paint)}`;
}

export function renderSessionTable(
  sessions: SessionReport[],
  timezone: string,
  breakdown: boolean,
  layout: TableLayout = FULL_WIDTH,
): string {
  const columns: Column[] = [
    { header: "Session", align: "left", drop: 1 },
    { header: "Project", align: "left", shrink: "keep-end" },
    { header: "Last Activity", align: "left", drop: 7 },
    MODELS_COLUMN,
    ...tokenColumns(layout),
  ];
  const rows: string[][] = [];
  for (const s of sessions) {
    rows.push([
      s.sessionId.slice(0, 8),
      s.project,
      localTime(s.lastActivityMs, timezone),
      modelList(s.usage, layout),
      ...tokenCells(s.usage, s.usage.costUsd, layout),
    ]);
    if (breakdown) rows.push(...breakdownRows(s.usage, 4, layout));
  }
  const totals = totalsOf(sessions.map((s) => s.usage));
  const footer = [["Total", "", "", "", ...tokenCells(totals, totals.totalCost, layout)]];
  return `Usage by session\n\n${renderTable(columns, { rows, footer }, layout.maxWidth, layout.paint)}`;
}

export function renderBlocksTable(
  blocks: BlockRow[],
  timezone: string,
  nowMs: number,
  layout: TableLayout = FULL_WIDTH,
): string {
  const tokenCols = tokenColumns(layout);
  const columns: Column[] = [
    { header: "Block Start", align: "left" },
    { header: "Status", align: "left", shrink: true },
    { ...MODELS_COLUMN },
    ...tokenCols,
  ];
  const blank = (n: number): string[] => Array<string>(n).fill("");
  const tokens = (n: number) => formatTokens(n, layout.compact ? "compact" : "exact");
  const usd = (n: number) => formatUsd(n, layout.compact ? "compact" : "exact");
  const rows: string[][] = [];
  for (const b of blocks) {
    if (b.kind === "gap") {
      rows.push([
        localTime(b.startMs, timezone),
        `(no activity until ${localTime(b.endMs, timezone)})`,
        ...blank(tokenCols.length + 1),
      ]);
      continue;
    }
    const s = b.summary;
    const status = s.isActive
      ? `ACTIVE, ${formatDuration(s.endMs - nowMs)} left`
      : formatDuration(b.lastEventMs - s.startMs);
    const models = s.models.map((m) => shortModelName(m));
    rows.push([
      localTime(s.startMs, timezone),
      status,
      layout.compact ? models.join(", ") : models.map((m) => `- ${m}`).join("\n"),
      ...tokenCells(b.tokens, s.costUsd, layout),
    ]);
    if (s.isActive) {
      // The projection at block end, in the Total and Cost columns; the burn says why.
      rows.push([
        "",
        `projected at block end (burn ${usd(s.burnUsdPerHour)}/h, ${tokens(s.burnTokensPerMinute)} tok/min)`,
        "",
        ...blank(tokenCols.length - 2),
        tokens(s.projectedTokens),
        usd(s.projectedCostUsd),
      ]);
    }
  }
  return `5-hour blocks\n\n${renderTable(columns, { rows }, layout.maxWidth, layout.paint)}`;
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

/** sv-SE writes `2026-11-22 14:05`. */
const DATE_AND_TIME: Intl.DateTimeFormatOptions = {
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
};

/** `2026-11-22 14:05` in the report's zone. */
function localTime(ms: number, timezone: string): string {
  return zonedFormatter("sv-SE", timezone, DATE_AND_TIME).format(ms);
}
