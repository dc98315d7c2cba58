/**
 * Pure formatting of the Summary for the menu bar and the quick look: text only, no
 * Raycast import, no computation the Summary already did (only "how long from now").
 */
import { HEADER_FILE_SOURCE } from "../vendor/core/limits/sources/header-file";
import { STATUSLINE_SOURCE } from "../vendor/core/limits/sources/statusline";
import type { ExtraUsage, PlanInfo } from "../vendor/core/limits";
import { MINUTE_MS } from "../vendor/core/time";
import {
  type BlockSummary,
  type PeriodUsage,
  type SessionUsage,
  type SourceStatus,
  type Summary,
  type WindowForecast,
  type WindowSummary,
} from "../vendor/core/report";
import {
  formatAge,
  formatClock,
  formatDuration,
  formatPercent,
  formatReserve,
  formatTokens,
  formatUsd,
  shortModelName,
  windowLabel,
} from "../vendor/core/report/format";

export type Level = "normal" | "warning" | "critical";

export interface Thresholds {
  /** Ratios (0.75 = 75%). */
  warningRatio: number;
  criticalRatio: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { warningRatio: 0.75, criticalRatio: 0.9 };

/** The `menuBarTitle` preference's values. */
export type TitleMode = "highest" | "five_hour" | "seven_day" | "both" | "cost" | "countdown" | "icon";

/** How a window's percent reads in the title (the `titleShows` and `titleCountdown` preferences). */
export interface TitleOptions {
  shows?: "used" | "remaining";
  /** Adds the time to the window's reset: `5h 42% · 2h13m`. */
  countdown?: boolean;
}

/** A reading older than this shows its age (the statusline feed updates only while Claude Code runs). */
const READING_STALE_AFTER_MS = 10 * MINUTE_MS;

/** Thresholds from preference strings in percent; bad input falls back to the defaults. */
export function parseThresholds(warningPercent?: string, criticalPercent?: string): Thresholds {
  const warning = percentPreference(warningPercent) ?? DEFAULT_THRESHOLDS.warningRatio;
  const critical = percentPreference(criticalPercent) ?? DEFAULT_THRESHOLDS.criticalRatio;
  return critical >= warning ? { warningRatio: warning, criticalRatio: critical } : DEFAULT_THRESHOLDS;
}

function percentPreference(text: string | undefined): number | null {
  const value = Number((text ?? "").trim().replace(/%$/, ""));
  return text !== undefined && text.trim() !== "" && Number.isFinite(value) && value > 0 && value <= 1000
    ? value / 100
    : null;
}

export function levelOf(ratio: number, thresholds: Thresholds): Level {
  if (ratio >= thresholds.criticalRatio) return "critical";
  if (ratio >= thresholds.warningRatio) return "warning";
  return "normal";
}

/** The level of the whole summary: the worst window, raised to warning when a forecast says exhaustion is likely. */
export function summaryLevel(summary: Summary, thresholds: Thresholds): Level {
  let level: Level = "normal";
  for (const w of summary.windows) {
    const own = levelOf(w.reading.utilizationRatio, thresholds);
    const forecastSaysExhaustion = w.forecast?.exhaustionAtMs != null;
    level = worse(level, forecastSaysExhaustion ? worse(own, "warning") : own);
  }
  return level;
}

function worse(a: Level, b: Level): Level {
  const rank: Record<Level, number> = { normal: 0, warning: 1, critical: 2 };
  return rank[a] >= rank[b] ? a : b;
}

/** Short label for the menu-bar title: `5h`, `7d`, `7d Opus`. */
function windowShortLabel(w: WindowSummary): string {
  if (w.reading.window === "five_hour") return "5h";
  if (w.reading.window === "seven_day") return "7d";
  return windowLabel(w.reading.window, w.reading.scopeModel).replace(/^7-day/, "7d");
}

function highestWindow(summary: Summary): WindowSummary | null {
  let best: WindowSummary | null = null;
  for (const w of summary.windows) {
    if (!best || w.reading.utilizationRatio > best.reading.utilizationRatio) best = w;
  }
  return best;
}

function findWindow(summary: Summary, name: string): WindowSummary | null {
  return summary.windows.find((w) => w.reading.window === name && !w.reading.scopeModel) ?? null;
}

/** `resets in 2h 05m` or `reset time unknown`. */
export function resetText(w: WindowSummary, nowMs: number): string {
  return w.reading.resetsAtMs === null
    ? "reset time unknown"
    : `resets in ${formatDuration(w.reading.resetsAtMs - nowMs)}`;
}

/** ` · 40m old` when the reading is older than `staleAfterMs`, else empty: old data shows its age. */
export function readingAgeText(w: WindowSummary, nowMs: number, staleAfterMs = READING_STALE_AFTER_MS): string {
  const ageMs = nowMs - w.reading.observedAtMs;
  return ageMs > staleAfterMs ? ` · ${formatDuration(ageMs)} old` : "";
}

/** `at reset ~62% (48–80%)`: the median and the 80% interval. */
export function forecastText(forecast: WindowForecast): string {
  const low = formatPercent(forecast.p10Ratio);
  const high = formatPercent(forecast.p90Ratio);
  const interval = low === high ? low : `${low}–${high}`;
  return `at reset ~${formatPercent(forecast.p50Ratio)} (80%: ${interval})`;
}

/** `limit in ~1h 40m (1h 10m–2h 30m)` when the forecast says exhaustion is likely; null otherwise. */
export function exhaustionText(forecast: WindowForecast | null, nowMs: number): string | null {
  const at = forecast?.exhaustionAtMs;
  if (!at) return null;
  const low = formatDuration(at.p10Ms - nowMs);
  const high = formatDuration(at.p90Ms - nowMs);
  const interval = low === high ? "" : ` (${low}–${high})`;
  return `limit in ~${formatDuration(at.p50Ms - nowMs)}${interval}, ${formatPercent(forecast.exhaustionProbability)} likely`;
}

/** `42%` used, or `58% left` with `shows: "remaining"`; then ` · 2h13m` to the reset with `countdown`. */
function titlePercent(w: WindowSummary, nowMs: number, opts: TitleOptions = {}): string {
  const ratio = w.reading.utilizationRatio;
  let text = opts.shows === "remaining" ? `${formatPercent(Math.max(0, 1 - ratio))} left` : formatPercent(ratio);
  if (opts.countdown && w.reading.resetsAtMs !== null) text += ` · ${formatDuration(w.reading.resetsAtMs - nowMs)}`;
  return text;
}

/** The windows the title shows for a mode (none for cost, countdown and icon). */
function titleWindows(summary: Summary, mode: TitleMode): WindowSummary[] {
  switch (mode) {
    case "five_hour":
    case "seven_day":
      return [findWindow(summary, mode)].filter((w): w is WindowSummary => w !== null);
    case "both":
      return ["five_hour", "seven_day"]
        .map((name) => findWindow(summary, name))
        .filter((w): w is WindowSummary => w !== null);
    case "highest": {
      const highest = highestWindow(summary);
      return highest ? [highest] : [];
    }
    default:
      return [];
  }
}

/** The menu-bar title for the chosen mode; an explicit hint when there is nothing to show. */
export function menuBarTitle(summary: Summary | null, mode: TitleMode, nowMs: number, opts: TitleOptions = {}): string {
  if (mode === "icon") return "";
  if (!summary) return "Quotacast";
  switch (mode) {
    case "cost":
      return formatUsd(summary.today.costUsd);
    case "countdown": {
      const highest = highestWindow(summary);
      if (!highest) return formatUsd(summary.today.costUsd);
      const exhaustionMs = highest.forecast?.exhaustionAtMs?.p50Ms;
      if (exhaustionMs !== undefined) return `⚠ ${formatDuration(exhaustionMs - nowMs)}`;
      return highest.reading.resetsAtMs === null
        ? formatPercent(highest.reading.utilizationRatio)
        : `↻ ${formatDuration(highest.reading.resetsAtMs - nowMs)}`;
    }
    default: {
      const parts = titleWindows(summary, mode).map((w) => `${windowShortLabel(w)} ${titlePercent(w, nowMs, opts)}`);
      return parts.length > 0 ? parts.join(" · ") : formatUsd(summary.today.costUsd);
    }
  }
}

/**
 * How old what the title shows is, when older than `staleAfterMs` (else null): the oldest of the
 * Summary and the readings in the title. A 40-minute-old feed must not read as the current 60%.
 */
export function titleAgeMs(
  summary: Summary,
  mode: TitleMode,
  nowMs: number,
  staleAfterMs = READING_STALE_AFTER_MS,
): number | null {
  const times = [summary.generatedAtMs, ...titleWindows(summary, mode).map((w) => w.reading.observedAtMs)];
  const ageMs = nowMs - Math.min(...times);
  return ageMs > staleAfterMs ? ageMs : null;
}

/**
 * One line of an item's detail panel: a label, or a separator. `tone` asks the UI for a color:
 * `level` the window's level color, `alert` red.
 */
export type DetailRow = { title: string; text: string; tone?: "level" | "alert" } | { separator: true };

/** `2:13 PM (in 2h13m)`, or `unknown`. */
function resetClockText(resetsAtMs: number | null, timezone: string, nowMs: number, locale: string): string {
  return resetsAtMs === null
    ? "unknown"
    : `${formatClock(resetsAtMs, timezone, nowMs, locale)} (in ${formatDuration(resetsAtMs - nowMs)})`;
}

/** A window's detail: percent, reset, forecast and exhaustion. */
export function windowMarkdown(w: WindowSummary, nowMs: number): string {
  const exhaustion = exhaustionText(w.forecast, nowMs);
  return [
    `## ${windowLabel(w.reading.window, w.reading.scopeModel)}: ${formatPercent(w.reading.utilizationRatio)}`,
    resetText(w, nowMs),
    w.forecast ? forecastText(w.forecast) : "No forecast yet.",
    exhaustion ? `**${exhaustion}**` : "",
  ].join("\n\n");
}

function forecastRows(f: WindowForecast, windowLengthMs: number): DetailRow[] {
  const rows: DetailRow[] = [
    { title: "Forecast at Reset", text: formatPercent(f.p50Ratio) },
    { title: "80% Interval", text: `${formatPercent(f.p10Ratio)}–${formatPercent(f.p90Ratio)}` },
    { title: "Chance of Hitting 100%", text: formatPercent(f.exhaustionProbability) },
    {
      title: "Burn Rate",
      text: f.burnRatioPerHour === null ? "not known yet" : `${(f.burnRatioPerHour * 100).toFixed(1)}%/h`,
    },
  ];
  if (f.reserveMs !== null) {
    rows.push({ title: "Reserve (after reset: +, before: −)", text: formatReserve(f.reserveMs, windowLengthMs) });
  }
  if (f.paceRatio !== null) rows.push({ title: "Pace", text: `${f.paceRatio.toFixed(2)}× even pace` });
  return rows;
}

/** A window's detail labels: utilization, reset, the forecast's figures, learned limit, source. */
export function windowDetailRows(w: WindowSummary, nowMs: number, timezone: string, locale: string): DetailRow[] {
  const exhaustion = exhaustionText(w.forecast, nowMs);
  const limit = w.learnedLimit;
  return [
    { title: "Utilization", text: formatPercent(w.reading.utilizationRatio), tone: "level" },
    { title: "Resets", text: resetClockText(w.reading.resetsAtMs, timezone, nowMs, locale) },
    ...(w.forecast ? forecastRows(w.forecast, w.reading.windowLengthMs) : []),
    ...(exhaustion ? [{ title: "Exhaustion", text: exhaustion, tone: "alert" as const }] : []),
    ...(limit
      ? [
          {
            title: "Learned Limit",
            text: `≈ ${formatUsd(limit.limitUsd)} (${formatUsd(limit.limitUsdLow)}–${formatUsd(limit.limitUsdHigh)})`,
          },
        ]
      : []),
    { separator: true },
    { title: "Source", text: `${w.reading.source}, ${formatAge(nowMs - w.reading.observedAtMs)}` },
  ];
}

/** A period's detail: cost and tokens, and the models without a price. */
export function periodMarkdown(title: string, p: PeriodUsage): string {
  const unpriced = p.unpricedModels.length > 0 ? `\n\nNo price for: ${p.unpricedModels.join(", ")}` : "";
  return `## ${title}\n\n${periodText(p)}${unpriced}`;
}

export function periodDetailRows(p: PeriodUsage): DetailRow[] {
  return [
    { title: "API-Equivalent Cost", text: formatUsd(p.costUsd) },
    { title: "Total Tokens", text: formatTokens(p.totalTokens) },
    { title: "Input", text: formatTokens(p.inputTokens) },
    { title: "Output", text: formatTokens(p.outputTokens) },
    { title: "Cache Write", text: formatTokens(p.cacheCreationTokens) },
    { title: "Cache Read", text: formatTokens(p.cacheReadTokens) },
    { title: "Top Model", text: p.topModel ? shortModelName(p.topModel) : "—" },
  ];
}

/** `sonnet-4-5, opus-4-5`: a session's models, short. */
export function sessionModelsText(s: SessionUsage): string {
  return s.models.map(shortModelName).join(", ");
}

export function sessionDetailRows(s: SessionUsage, timezone: string, nowMs: number, locale: string): DetailRow[] {
  return [
    { title: "Project", text: s.project },
    { title: "Models", text: sessionModelsText(s) || "—" },
    { title: "Cost", text: formatUsd(s.costUsd) },
    { title: "Tokens", text: sessionText(s) },
    { title: "Last Activity", text: formatClock(s.lastActivityMs, timezone, nowMs, locale) },
    { title: "Session", text: s.sessionId },
  ];
}

/** The current 5-hour block's detail, or that there is none. */
export function blockMarkdown(summary: Summary, nowMs: number, locale: string): string {
  const block = summary.activeBlock;
  if (!block) return "## Current 5-Hour Block\n\nNo active block.";
  return [
    "## Current 5-Hour Block",
    blockText(block),
    `${formatTokens(block.totalTokens)} tokens · ends in ${formatDuration(block.endMs - nowMs)} (${formatClock(block.endMs, summary.timezone, nowMs, locale)})`,
    block.models.length > 0 ? `Models: ${block.models.map(shortModelName).join(", ")}` : "",
  ].join("\n\n");
}

export function blockText(block: BlockSummary): string {
  return `${formatUsd(block.costUsd)} · ${formatUsd(block.burnUsdPerHour)}/h · projected ${formatUsd(block.projectedCostUsd)}`;
}

export function periodText(period: PeriodUsage): string {
  const model = period.topModel ? ` · ${shortModelName(period.topModel)}` : "";
  return `${formatUsd(period.costUsd)} · ${formatTokens(period.totalTokens)} tokens${model}`;
}

/** Claude Code's encoded cwd (`-Users-me-src-app`) -> its last segment (`app`). */
export function projectName(project: string): string {
  const parts = project.split(/[-/\\]/).filter((p) => p !== "");
  return parts.length > 0 ? parts[parts.length - 1] : project;
}

function sessionText(s: SessionUsage): string {
  return `${formatUsd(s.costUsd)} · ${formatTokens(s.totalTokens)} tokens`;
}

export function sourceTitle(status: SourceStatus): string {
  const names: Record<string, string> = {
    statusline: "Statusline Feed",
    oauth: "OAuth Usage",
    "header-file": "Header File",
    admin: "Admin API",
    transcripts: "Transcripts",
  };
  return names[status.source] ?? status.source;
}

/** `ok · updated 3m ago`, `stale · 40m old`, `missing`. */
export function sourceStateText(status: SourceStatus, nowMs: number): string {
  const age = status.lastSuccessMs === null ? "" : ` · ${formatAge(nowMs - status.lastSuccessMs)}`;
  return `${status.state}${age}`;
}

/** A source whose state asks the user to do something (an optional file that is absent does not). */
export function needsAttention(status: SourceStatus): boolean {
  if (status.state === "missing") return status.source !== HEADER_FILE_SOURCE;
  return status.state === "error" || status.state === "stale" || status.state === "backoff";
}

/** Unicode bar chart of daily cost (oldest first), as a markdown code block. */
export function costBarChart(days: readonly PeriodUsage[], width = 24): string {
  if (days.length === 0) return "_No usage yet._";
  const max = Math.max(...days.map((d) => d.costUsd));
  const eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
  const lines = days.map((d) => {
    const cells = max > 0 ? (d.costUsd / max) * width : 0;
    const full = Math.floor(cells);
    const bar = "█".repeat(full) + eighths[Math.round((cells - full) * 7)];
    return `${d.period.slice(5)} ${bar.padEnd(width + 1)} ${formatUsd(d.costUsd)}`;
  });
  return "```\n" + lines.join("\n") + "\n```";
}

/** Plain-text summary for the clipboard. */
export function summaryText(summary: Summary, nowMs: number): string {
  const lines: string[] = [];
  for (const w of summary.windows) {
    let line = `${windowLabel(w.reading.window, w.reading.scopeModel)}: ${formatPercent(w.reading.utilizationRatio)}, ${resetText(w, nowMs)}`;
    if (w.forecast) line += `, ${forecastText(w.forecast)}`;
    const exhaustion = exhaustionText(w.forecast, nowMs);
    if (exhaustion) line += `, ${exhaustion}`;
    lines.push(line);
  }
  if (summary.activeBlock) lines.push(`Current block: ${blockText(summary.activeBlock)}`);
  lines.push(`Today: ${periodText(summary.today)}`);
  lines.push(`This week: ${periodText(summary.thisWeek)}`);
  lines.push(`As of ${formatAge(nowMs - summary.generatedAtMs)}`);
  return lines.join("\n");
}

/** True when the Summary is older than `staleAfterMs`: the UI then shows its age. */
export function isStale(summary: Summary, nowMs: number, staleAfterMs = 10 * MINUTE_MS): boolean {
  return nowMs - summary.generatedAtMs > staleAfterMs;
}

/** `Max 20x`, `Pro`: the plan as a source reported it; null when none did. */
export function planText(plan: PlanInfo | null): string | null {
  if (!plan?.subscriptionType && !plan?.rateLimitTier) return null;
  const type = (plan.subscriptionType ?? plan.rateLimitTier ?? "").replace(/^(default_)?claude_/, "").split("_")[0];
  const name = type.charAt(0).toUpperCase() + type.slice(1);
  const multiplier = /_(\d+x)$/.exec(plan.rateLimitTier ?? "")?.[1];
  return multiplier ? `${name} ${multiplier}` : name;
}

/** `$12.30 of $50.00 this month (25%)`, `off`; null when no source reported extra usage. */
export function extraUsageText(extra: ExtraUsage | null): string | null {
  if (!extra) return null;
  if (!extra.isEnabled) return "off";
  const money = (amount: number): string =>
    extra.currency.toUpperCase() === "USD" ? formatUsd(amount, "exact") : `${amount.toFixed(2)} ${extra.currency}`;
  const used = extra.used === null ? "unknown" : money(extra.used);
  if (extra.monthlyLimit === null) return `${used} this month, no monthly limit`;
  const share = extra.utilizationRatio === null ? "" : ` (${formatPercent(extra.utilizationRatio)})`;
  return `${used} of ${money(extra.monthlyLimit)} this month${share}`;
}

/** One row per model of a period, costliest first: `opus-4-5`, `$3.20 · 1.2M tokens` (`no price` when unpriced). */
export function modelCostRows(period: PeriodUsage): { model: string; title: string; text: string }[] {
  return [...period.models]
    .sort((a, b) => (b.costUsd ?? -1) - (a.costUsd ?? -1) || b.totalTokens - a.totalTokens)
    .map((m) => ({
      model: m.model,
      title: shortModelName(m.model),
      text: `${m.costUsd === null ? "no price" : formatUsd(m.costUsd)} · ${formatTokens(m.totalTokens)} tokens`,
    }));
}

/**
 * What the statusline feed asks of the user when no window is shown: `install` when there is no
 * feed at all, `stale` when it is installed but its readings are older than their windows (the
 * fix is to use Claude Code, not to install it again), null otherwise.
 */
export function feedSetupNeed(summary: Summary, feedFileExists: boolean | null): "install" | "stale" | null {
  if (summary.windows.length > 0) return null;
  if (feedFileExists !== null) return feedFileExists ? "stale" : "install";
  const feed = summary.sources.find((s) => s.source === STATUSLINE_SOURCE);
  if (!feed) return "install";
  return feed.state === "missing" && feed.lastSuccessMs === null ? "install" : "stale";
}

/** `Statusline feed: no reading since 14:02 (3h10m ago): use Claude Code to refresh it`. */
export function staleFeedText(summary: Summary, nowMs: number, locale?: string): string {
  const feed = summary.sources.find((s) => s.source === STATUSLINE_SOURCE);
  const since = feed?.lastSuccessMs;
  const when =
    since === null || since === undefined
      ? "no rate limits yet"
      : `last reading ${formatClock(since, summary.timezone, nowMs, locale)} (${formatAge(nowMs - since)})`;
  return `Statusline feed installed, ${when}: use Claude Code to refresh it`;
}

/** The user's own locale for clock times (never a fixed one). */
export function userLocale(): string {
  return Intl.DateTimeFormat().resolvedOptions().locale;
}
