// Generated from core/src/report/format.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * Plain-text formatting shared by every front (CLI, watch, report tables, statusline,
 * extension, exporter): the one definition of each. Pure, and no import, so the statusline
 * script can load this file alone.
 */

/** `compact` for glances (`12.3K`, `$1,234`); `exact` for report tables (`12,345`, `$1234.56`, as ccusage). */
export type NumberStyle = "compact" | "exact";

/** `2h13m`, `3d4h`, `45m`, `0m`; negative durations are formatted as 0. */
export function formatDuration(ms: number): string {
  const totalMinutes = Math.max(0, Math.round(ms / 60_000));
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  if (days > 0) return `${days}d${hours}h`;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, "0")}m`;
  return `${minutes}m`;
}

/**
 * A window's reserve (WindowForecast.reserveMs): `+1h20m` when the window outlasts its reset
 * by that much, `-18m` when it runs out that long before; `+5h00m+` at the cap (no
 * exhaustion expected within a window length after the reset); `?` while not known.
 */
export function formatReserve(reserveMs: number | null, windowLengthMs: number): string {
  if (reserveMs === null) return "?";
  const sign = reserveMs < 0 ? "-" : "+";
  return `${sign}${formatDuration(Math.abs(reserveMs))}${reserveMs >= windowLengthMs ? "+" : ""}`;
}

/**
 * The one way a model is named to users (tables, status, statusline, live view, extension):
 * `claude-opus-4-5-20251101` -> `opus-4-5` (ccusage's short form); other names unchanged.
 */
export function shortModelName(model: string): string {
  const match = /^claude-(.+?)(?:-\d{8})?$/.exec(model);
  return match ? match[1] : model;
}

/** `42%` from a ratio; one decimal under 10% so small values are not shown as 0%. */
export function formatPercent(ratio: number): string {
  const pct = ratio * 100;
  return pct > 0 && pct < 10 ? `${pct.toFixed(1)}%` : `${Math.round(pct)}%`;
}

/** `$12.40`, `$1,234` (exact: `$1234.56`); null (unknown price) as `n/a`. */
export function formatUsd(usd: number | null, style: NumberStyle = "compact"): string {
  if (usd === null) return "n/a";
  if (style === "compact" && Math.abs(usd) >= 1000) return `$${Math.round(usd).toLocaleString("en-US")}`;
  return `$${usd.toFixed(2)}`;
}

// Made on first use: creating an Intl formatter loads ICU data (~25 ms), which commands that
// print no table (`daily --json`, the statusline) should not pay at start-up.
let integer: Intl.NumberFormat | null = null;

/** `950`, `12.3K`, `4.56M`, `1.2B` (exact: `12,345,678`). */
export function formatTokens(tokens: number, style: NumberStyle = "compact"): string {
  if (style === "exact") {
    integer ??= new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
    return integer.format(tokens);
  }
  const abs = Math.abs(tokens);
  if (abs >= 1e9) return `${(tokens / 1e9).toFixed(1)}B`;
  if (abs >= 1e6) return `${(tokens / 1e6).toFixed(2)}M`;
  if (abs >= 1e3) return `${(tokens / 1e3).toFixed(1)}K`;
  return String(Math.round(tokens));
}

/** `3m ago`, `just now`. */
export function formatAge(ageMs: number): string {
  return ageMs < 60_000 ? "just now" : `${formatDuration(ageMs)} ago`;
}

const WINDOW_LABELS: Record<string, string> = {
  five_hour: "5-hour",
  seven_day: "7-day",
  seven_day_opus: "7-day Opus",
  seven_day_sonnet: "7-day Sonnet",
  seven_day_oauth_apps: "7-day OAuth apps",
  seven_day_cowork: "7-day Cowork",
};

/**
 * A human label for a window name (`7-day Opus`); a window scoped to a model says which
 * (`7-day Opus 4.5`); unknown buckets keep a tidied version of their name.
 */
export function windowLabel(window: string, scopeModel?: { displayName: string } | null): string {
  if (scopeModel) return `7-day ${scopeModel.displayName}`;
  return WINDOW_LABELS[window] ?? window.replace(/_/g, " ");
}

const clockFormatters = new Map<string, { time: Intl.DateTimeFormat; day: Intl.DateTimeFormat }>();

/**
 * `16:45` within 20 hours of `nowMs`, `Sat 09:00` further away; in `timezone` (empty: this machine's).
 * Without `locale` a 24-hour clock (stable report output); with one (a GUI passes the user's, e.g.
 * `Intl.DateTimeFormat().resolvedOptions().locale`) that locale's own clock (`4:45 PM` in en-US).
 */
export function formatClock(ms: number, timezone: string, nowMs = ms, locale?: string): string {
  const key = `${timezone}|${locale ?? ""}`;
  let formatters = clockFormatters.get(key);
  if (!formatters) {
    if (!isTimeZone(timezone)) return new Date(ms).toISOString().slice(11, 16); // unknown zone: UTC
    const zone = timezone || undefined;
    const clock: Intl.DateTimeFormatOptions =
      locale === undefined
        ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }
        : { timeStyle: "short" };
    formatters = {
      time: new Intl.DateTimeFormat(locale ?? "en-US", { timeZone: zone, ...clock }),
      day: new Intl.DateTimeFormat(locale ?? "en-US", { timeZone: zone, weekday: "short" }),
    };
    clockFormatters.set(key, formatters);
  }
  const time = formatters.time.format(ms);
  return Math.abs(ms - nowMs) < 20 * 3_600_000 ? time : `${formatters.day.format(ms)} ${time}`;
}

function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone || undefined });
    return true;
  } catch {
    return false;
  }
}
