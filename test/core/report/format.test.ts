/** The one formatting module every front uses (CLI, watch, tables, statusline, extension). */
import { DAY_MS, HOUR_MS, MINUTE_MS } from "@quotacast/core";
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
} from "@quotacast/core/report/format";

describe("formatDuration", () => {
  it("rounds to the minute first, then shows two units without spaces", () => {
    expect(formatDuration(45 * MINUTE_MS)).toBe("45m");
    expect(formatDuration(45 * MINUTE_MS + 59_000)).toBe("46m");
    expect(formatDuration(2 * HOUR_MS + 5 * MINUTE_MS)).toBe("2h05m");
    expect(formatDuration(HOUR_MS + 59.7 * MINUTE_MS)).toBe("2h00m");
    expect(formatDuration(59.8 * MINUTE_MS)).toBe("1h00m");
    expect(formatDuration(23 * HOUR_MS + 59.8 * MINUTE_MS)).toBe("1d0h");
    expect(formatDuration(3 * DAY_MS + 4 * HOUR_MS + 59 * MINUTE_MS)).toBe("3d4h");
  });

  it("reads negative durations as 0m", () => {
    expect(formatDuration(-5)).toBe("0m");
  });

  it("builds ages and reserves on the same units", () => {
    expect(formatAge(30_000)).toBe("just now");
    expect(formatAge(3 * MINUTE_MS)).toBe("3m ago");
    expect(formatReserve(80 * MINUTE_MS, 5 * HOUR_MS)).toBe("+1h20m");
    expect(formatReserve(-18 * MINUTE_MS, 5 * HOUR_MS)).toBe("-18m");
    expect(formatReserve(5 * HOUR_MS, 5 * HOUR_MS)).toBe("+5h00m+");
    expect(formatReserve(null, 5 * HOUR_MS)).toBe("?");
  });
});

describe("numbers", () => {
  it("compact money and tokens for glances", () => {
    expect(formatUsd(3.456)).toBe("$3.46");
    expect(formatUsd(123.4)).toBe("$123.40");
    expect(formatUsd(1234.5)).toBe("$1,235");
    expect(formatUsd(null)).toBe("n/a");
    expect(formatTokens(950)).toBe("950");
    expect(formatTokens(12_345)).toBe("12.3K");
    expect(formatTokens(1_250_000)).toBe("1.25M");
    expect(formatTokens(1_250_000_000)).toBe("1.3B");
  });

  it("exact money and tokens for report tables (ccusage's)", () => {
    expect(formatUsd(1234.5, "exact")).toBe("$1234.50");
    expect(formatUsd(0.004, "exact")).toBe("$0.00");
    expect(formatTokens(12_345_678, "exact")).toBe("12,345,678");
  });

  it("percentages keep one decimal under 10% so small values are not 0%", () => {
    expect(formatPercent(0.004)).toBe("0.4%");
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(0.426)).toBe("43%");
  });
});

describe("names and clock times", () => {
  it("labels windows, scoped ones with their model", () => {
    expect(windowLabel("five_hour")).toBe("5-hour");
    expect(windowLabel("seven_day_opus")).toBe("7-day Opus");
    expect(windowLabel("seven_day_x", { displayName: "Opus 4.5" })).toBe("7-day Opus 4.5");
    expect(windowLabel("five_hour_overage")).toBe("five hour overage");
  });

  it("shortens Claude model names as ccusage does", () => {
    expect(shortModelName("claude-opus-4-5-20251101")).toBe("opus-4-5");
    expect(shortModelName("claude-sonnet-4-5")).toBe("sonnet-4-5");
    expect(shortModelName("gpt-4o")).toBe("gpt-4o");
  });

  it("shows a clock time in the zone, with the weekday when far from now", () => {
    const atMs = Date.UTC(2026, 10, 21, 14, 5); // a Saturday
    expect(formatClock(atMs, "UTC")).toBe("14:05");
    expect(formatClock(atMs, "Asia/Kolkata")).toBe("19:35");
    expect(formatClock(atMs, "UTC", atMs - 2 * DAY_MS)).toBe("Sat 14:05");
    expect(formatClock(atMs, "Not/AZone")).toBe("14:05");
  });
});
