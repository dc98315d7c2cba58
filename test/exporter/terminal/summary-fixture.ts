/** A Summary with every part a terminal view shows: windows with forecasts, plan, organization, sources. */
import { type Summary, type WindowSummary } from "@quotacast/core";
import { exporterSummary } from "../../extension/fixtures";

export const NOW_MS = Date.UTC(2026, 11, 2, 12, 0);

export function windowSummary(
  window: string,
  ratio: number,
  lengthMs: number,
  withForecast = true,
): WindowSummary {
  const resetsAtMs = NOW_MS + lengthMs / 2;
  return {
    reading: {
      window,
      utilizationRatio: ratio,
      resetsAtMs,
      windowLengthMs: lengthMs,
      status: "allowed",
      source: "statusline",
      observedAtMs: NOW_MS - 30_000,
    },
    learnedLimit: null,
    forecast: withForecast
      ? {
          window,
          atMs: NOW_MS,
          resetsAtMs,
          currentUtilizationRatio: ratio,
          quantiles: [],
          p10Ratio: ratio + 0.1,
          p50Ratio: ratio + 0.2,
          p90Ratio: ratio + 0.3,
          exhaustionProbability: 0.6,
          warningProbability: 0.8,
          warningLevelRatio: 0.8,
          exhaustionAtMs: { p10Ms: NOW_MS + 3_600_000, p50Ms: NOW_MS + 5_400_000, p90Ms: NOW_MS + 7_200_000 },
          burnRatioPerHour: 0.2,
          projectedExhaustionAtMs: null,
          reserveMs: -1_800_000,
          paceRatio: 1.2,
          abandonedProbability: 0.1,
          pastWindows: 3,
          method: "test",
        }
      : null,
  };
}

export function summaryWith(windows: WindowSummary[]): Summary {
  return exporterSummary(NOW_MS, {
    windows,
    plan: { subscriptionType: "max", rateLimitTier: "default_claude_max_20x" },
    organization: { monthToDateUsd: 1234.4, projectedMonthUsd: 3000 },
    sources: [
      {
        source: "statusline",
        state: "ok",
        message: "",
        lastSuccessMs: NOW_MS - 5_000,
        lastErrorReason: "none",
      },
    ],
  });
}

/** Every source a user can turn on, each in a different state. */
export const ALL_SOURCES: Summary["sources"] = [
  {
    source: "transcripts",
    state: "ok",
    message: "12 transcript files",
    lastSuccessMs: NOW_MS - 60_000,
    lastErrorReason: "none",
  },
  { source: "statusline", state: "ok", message: "", lastSuccessMs: NOW_MS - 5_000, lastErrorReason: "none" },
  {
    source: "oauth",
    state: "backoff",
    message: "rate limited; next try in 4m",
    lastSuccessMs: NOW_MS - 600_000,
    lastErrorReason: "rate_limited",
  },
  {
    source: "header-file",
    state: "missing",
    message: "no interceptor file",
    lastSuccessMs: null,
    lastErrorReason: "none",
  },
  { source: "admin", state: "ok", message: "", lastSuccessMs: NOW_MS - 3_600_000, lastErrorReason: "none" },
];
