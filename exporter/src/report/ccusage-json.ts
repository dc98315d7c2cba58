/**
 * ccusage 20's JSON shapes (`ccusage claude daily|weekly|monthly|session|blocks --json`),
 * so scripts written for ccusage keep working. Field names are ccusage's; quotacast only
 * adds fields (`unpricedModels`, `unpriced`, `diagnostics`), never renames. See docs/cli.md.
 */
import type { Diagnostics } from "@quotacast/core/ingest";
import { addTokenTotals, zeroTokenTotals, type PeriodUsage } from "@quotacast/core/usage";
import type { BlockRow, SessionReport } from "./usage";

export interface CcusageTokenTotals {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  totalCost: number;
}

export interface CcusageModelBreakdown {
  modelName: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  /** 0 when the model has no known price (then `unpriced` is true). */
  cost: number;
  unpriced?: true;
}

export interface CcusageUsageRow extends CcusageTokenTotals {
  modelsUsed: string[];
  modelBreakdowns: CcusageModelBreakdown[];
  /** quotacast: models in this row without a price (their cost is not in `totalCost`). */
  unpricedModels: string[];
}

export type PeriodKind = "daily" | "weekly" | "monthly";
const PERIOD_FIELD = { daily: "date", weekly: "week", monthly: "month" } as const;

export type CcusagePeriodReport = Record<string, unknown> & { totals: CcusageTokenTotals };

/** `{ daily: [{ date, ... }], totals }`, `{ weekly: [{ week, ... }] ... }`, `{ monthly: [{ month, ... }] ... }`. */
export function periodReportJson(
  kind: PeriodKind,
  periods: readonly PeriodUsage[],
  diagnostics?: Diagnostics,
): CcusagePeriodReport {
  const rows = periods.map((p) => ({ [PERIOD_FIELD[kind]]: p.period, ...usageRow(p) }));
  return withDiagnostics({ [kind]: rows, totals: totalsOf(periods) }, diagnostics);
}

export interface CcusageSessionRow extends CcusageUsageRow {
  sessionId: string;
  /** The project directory name under `projects/` (Claude Code's encoded cwd), as ccusage. */
  projectPath: string;
  firstActivity: string;
  lastActivity: string;
}

export function sessionReportJson(
  sessions: readonly SessionReport[],
  diagnostics?: Diagnostics,
): { sessions: CcusageSessionRow[]; totals: CcusageTokenTotals } {
  const rows = sessions.map((s) => ({
    sessionId: s.sessionId,
    projectPath: s.project,
    firstActivity: new Date(s.firstActivityMs).toISOString(),
    lastActivity: new Date(s.lastActivityMs).toISOString(),
    ...usageRow(s.usage),
  }));
  return withDiagnostics({ sessions: rows, totals: totalsOf(sessions.map((s) => s.usage)) }, diagnostics);
}

export interface CcusageBlock {
  id: string;
  startTime: string;
  endTime: string;
  actualEndTime: string | null;
  isActive: boolean;
  isGap: boolean;
  entries: number;
  tokenCounts: {
    inputTokens: number;
    outputTokens: number;
    cacheCreationInputTokens: number;
    cacheReadInputTokens: number;
  };
  totalTokens: number;
  costUSD: number;
  models: string[];
  burnRate: { costPerHour: number; tokensPerMinute: number; tokensPerMinuteForIndicator: number } | null;
  projection: { totalTokens: number; totalCost: number; remainingMinutes: number } | null;
}

/** `{ blocks: [...] }` with ccusage's gap entries; burn rate and projection only on the active block. */
export function blocksReportJson(
  rows: readonly BlockRow[],
  nowMs: number,
  diagnostics?: Diagnostics,
): { blocks: CcusageBlock[] } {
  return withDiagnostics({ blocks: rows.map((row) => blockJson(row, nowMs)) }, diagnostics);
}

function blockJson(row: BlockRow, nowMs: number): CcusageBlock {
  if (row.kind === "gap") {
    const start = new Date(row.startMs).toISOString();
    return {
      id: `gap-${start}`,
      startTime: start,
      endTime: new Date(row.endMs).toISOString(),
      actualEndTime: null,
      isActive: false,
      isGap: true,
      entries: 0,
      tokenCounts: { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 },
      totalTokens: 0,
      costUSD: 0,
      models: [],
      burnRate: null,
      projection: null,
    };
  }
  const { summary, tokens } = row;
  const start = new Date(summary.startMs).toISOString();
  const activeMinutes = (row.lastEventMs - row.firstEventMs) / 60_000;
  const burning = summary.isActive && activeMinutes > 0;
  return {
    id: start,
    startTime: start,
    endTime: new Date(summary.endMs).toISOString(),
    actualEndTime: new Date(row.lastEventMs).toISOString(),
    isActive: summary.isActive,
    isGap: false,
    entries: row.entries,
    tokenCounts: {
      inputTokens: tokens.inputTokens,
      outputTokens: tokens.outputTokens,
      cacheCreationInputTokens: tokens.cacheCreationTokens,
      cacheReadInputTokens: tokens.cacheReadTokens,
    },
    totalTokens: tokens.totalTokens,
    costUSD: summary.costUsd,
    models: summary.models,
    burnRate: burning
      ? {
          costPerHour: summary.burnUsdPerHour,
          tokensPerMinute: summary.burnTokensPerMinute,
          tokensPerMinuteForIndicator: (tokens.inputTokens + tokens.outputTokens) / activeMinutes,
        }
      : null,
    projection: burning
      ? {
          totalTokens: Math.round(summary.projectedTokens),
          totalCost: Math.round(summary.projectedCostUsd * 100) / 100,
          remainingMinutes: Math.max(0, Math.round((summary.endMs - nowMs) / 60_000)),
        }
      : null,
  };
}

function usageRow(p: PeriodUsage): CcusageUsageRow {
  return {
    inputTokens: p.inputTokens,
    outputTokens: p.outputTokens,
    cacheCreationTokens: p.cacheCreationTokens,
    cacheReadTokens: p.cacheReadTokens,
    totalTokens: p.totalTokens,
    totalCost: p.costUsd,
    modelsUsed: p.models.map((m) => m.model),
    modelBreakdowns: p.models.map((m) => ({
      modelName: m.model,
      inputTokens: m.inputTokens,
      outputTokens: m.outputTokens,
      cacheCreationTokens: m.cacheCreationTokens,
      cacheReadTokens: m.cacheReadTokens,
      cost: m.costUsd ?? 0,
      ...(m.costUsd === null ? { unpriced: true as const } : {}),
    })),
    unpricedModels: p.unpricedModels,
  };
}

/** Sum of rows; ccusage's `totals` object. */
export function totalsOf(rows: readonly PeriodUsage[]): CcusageTokenTotals {
  const totals: CcusageTokenTotals = { ...zeroTokenTotals(), totalCost: 0 };
  for (const r of rows) {
    addTokenTotals(totals, r);
    totals.totalCost += r.costUsd;
  }
  return totals;
}

function withDiagnostics<T extends object>(report: T, diagnostics: Diagnostics | undefined): T {
  return diagnostics ? { ...report, diagnostics } : report;
}
