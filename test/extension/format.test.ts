import type { WindowForecast, WindowSummary } from "@quotacast/core";
import {
  DEFAULT_THRESHOLDS,
  costBarChart,
  exhaustionText,
  forecastText,
  levelOf,
  menuBarTitle,
  parseThresholds,
  projectName,
  summaryLevel,
} from "../../extension/src/format";
import { FIVE_HOURS_MS, HOUR_MS, exporterSummary } from "./fixtures";

const NOW_MS = Date.UTC(2026, 10, 22, 12);

function window(name: string, ratio: number, forecast: WindowForecast | null = null): WindowSummary {
  return {
    reading: {
      window: name,
      utilizationRatio: ratio,
      resetsAtMs: NOW_MS + 90 * 60_000,
      windowLengthMs: FIVE_HOURS_MS,
      status: "allowed",
      source: "statusline",
      observedAtMs: NOW_MS,
    },
    forecast,
    learnedLimit: null,
  };
}

function forecast(over: Partial<WindowForecast>): WindowForecast {
  return {
    window: "five_hour",
    atMs: NOW_MS,
    resetsAtMs: NOW_MS + 90 * 60_000,
    currentUtilizationRatio: 0.5,
    quantiles: [],
    p10Ratio: 0.55,
    p50Ratio: 0.62,
    p90Ratio: 0.8,
    exhaustionProbability: 0.05,
    warningProbability: 0.3,
    warningLevelRatio: 0.75,
    exhaustionAtMs: null,
    burnRatioPerHour: 0.05,
    projectedExhaustionAtMs: null,
    reserveMs: null,
    paceRatio: 1,
    abandonedProbability: 0.1,
    pastWindows: 3,
    method: "test",
    ...over,
  };
}

describe("format", () => {
  it("reads thresholds from preferences, falling back on bad input", () => {
    expect(parseThresholds("80", "95")).toEqual({ warningRatio: 0.8, criticalRatio: 0.95 });
    expect(parseThresholds("80%", " 95 ")).toEqual({ warningRatio: 0.8, criticalRatio: 0.95 });
    expect(parseThresholds("abc", "")).toEqual(DEFAULT_THRESHOLDS);
    expect(parseThresholds("95", "80")).toEqual(DEFAULT_THRESHOLDS);
    expect(levelOf(0.74, DEFAULT_THRESHOLDS)).toBe("normal");
    expect(levelOf(0.75, DEFAULT_THRESHOLDS)).toBe("warning");
    expect(levelOf(1.2, DEFAULT_THRESHOLDS)).toBe("critical");
  });

  it("raises the level to warning when a forecast says exhaustion", () => {
    const exhausting = forecast({
      exhaustionAtMs: { p10Ms: NOW_MS + HOUR_MS, p50Ms: NOW_MS + 70 * 60_000, p90Ms: NOW_MS + 80 * 60_000 },
    });
    expect(
      summaryLevel(exporterSummary(NOW_MS, { windows: [window("five_hour", 0.5)] }), DEFAULT_THRESHOLDS),
    ).toBe("normal");
    expect(
      summaryLevel(
        exporterSummary(NOW_MS, { windows: [window("five_hour", 0.5, exhausting)] }),
        DEFAULT_THRESHOLDS,
      ),
    ).toBe("warning");
  });

  it("says the forecast and the exhaustion time", () => {
    expect(forecastText(forecast({}))).toBe("at reset ~62% (80%: 55%–80%)");
    expect(exhaustionText(forecast({}), NOW_MS)).toBeNull();
    const f = forecast({
      exhaustionProbability: 0.7,
      exhaustionAtMs: { p10Ms: NOW_MS + 40 * 60_000, p50Ms: NOW_MS + HOUR_MS, p90Ms: NOW_MS + 80 * 60_000 },
    });
    expect(exhaustionText(f, NOW_MS)).toBe("limit in ~1h00m (40m–1h20m), 70% likely");
  });

  it("builds each menu-bar title", () => {
    const summary = exporterSummary(NOW_MS, {
      windows: [window("five_hour", 0.42), window("seven_day", 0.61)],
      today: { ...exporterSummary(NOW_MS, {}).today, costUsd: 12.5 },
    });
    expect(menuBarTitle(summary, "highest", NOW_MS)).toBe("7d 61%");
    expect(menuBarTitle(summary, "both", NOW_MS)).toBe("5h 42% · 7d 61%");
    expect(menuBarTitle(summary, "cost", NOW_MS)).toBe("$12.50");
    expect(menuBarTitle(summary, "countdown", NOW_MS)).toBe("↻ 1h30m");
    expect(menuBarTitle(summary, "icon", NOW_MS)).toBe("");
    expect(menuBarTitle(null, "highest", NOW_MS)).toBe("Quotacast");
  });

  it("names projects", () => {
    expect(projectName("-Users-me-src-app")).toBe("app");
  });

  it("draws one bar per day, scaled to the largest", () => {
    const base = exporterSummary(NOW_MS, {}).today;
    const chart = costBarChart(
      [
        { ...base, period: "2026-11-20", costUsd: 10 },
        { ...base, period: "2026-11-21", costUsd: 5 },
        { ...base, period: "2026-11-22", costUsd: 0 },
      ],
      8,
    );
    const lines = chart.split("\n").slice(1, -1);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^11-20 █{8}\s+\$10\.00$/);
    expect(lines[1]).toMatch(/^11-21 █{4}\s+\$5\.00$/);
    expect(lines[2]).toMatch(/^11-22 \s+\$0\.00$/);
  });
});
