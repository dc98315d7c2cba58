/**
 * The step Grafana (10.x) sends to Prometheus for a panel's range query, and the range it
 * aligns to that step, so tests query exactly what a dashboard shows instead of a step of
 * their own.
 *
 * - The panel's interval: the time range divided by `maxDataPoints`, rounded by
 *   `roundInterval` (grafana-data rangeutil), raised to the panel's `interval` (min interval).
 * - The query's step: the highest of that, the target's own `interval` (min step), and
 *   range / 11000 (Prometheus refuses more points).
 * - Start and end are floored to multiples of the step (in the browser's UTC offset; UTC here).
 * - `$__interval` is that step.
 */
import { type JsonObject, durationSeconds } from "./dashboard-queries";

/** Grafana's `roundInterval` (milliseconds in, milliseconds out). */
function roundIntervalMs(ms: number): number {
  const table: Array<[number, number]> = [
    [15, 10],
    [35, 20],
    [75, 50],
    [150, 100],
    [350, 200],
    [750, 500],
    [1500, 1000],
    [3500, 2000],
    [7500, 5000],
    [12500, 10000],
    [17500, 15000],
    [25000, 20000],
    [45000, 30000],
    [90000, 60000],
    [210000, 120000],
    [450000, 300000],
    [750000, 600000],
    [1050000, 900000],
    [1500000, 1200000],
    [2700000, 1800000],
    [5400000, 3600000],
    [9000000, 7200000],
    [16200000, 10800000],
    [32400000, 21600000],
    [86400000, 43200000],
    [604800000, 86400000],
    [1814400000, 604800000],
    [3628800000, 2592000000],
  ];
  for (const [below, rounded] of table) if (ms < below) return rounded;
  return 31536000000;
}

/**
 * Widths Grafana may use as `maxDataPoints` when a panel does not pin it (the panel's width
 * in pixels): a narrow panel on a laptop to a wide one on a large screen.
 */
const UNPINNED_MAX_DATA_POINTS = [200, 500, 1000, 2000];

/** Grafana's step in seconds for one target of a panel over a range. */
export function grafanaStepSeconds(
  rangeSeconds: number,
  maxDataPoints: number,
  panelMinInterval: string | undefined,
  targetMinStep: string | undefined,
): number {
  const fromPointsMs = roundIntervalMs((rangeSeconds * 1000) / maxDataPoints);
  const panelMs = Math.max(fromPointsMs, panelMinInterval ? durationSeconds(panelMinInterval) * 1000 : 1);
  const safeSeconds = rangeSeconds / 11000 > 1 ? Math.ceil(rangeSeconds / 11000) : rangeSeconds / 11000;
  const targetSeconds = targetMinStep ? durationSeconds(targetMinStep) : 0;
  return Math.max(panelMs / 1000, targetSeconds, safeSeconds);
}

/** Every step Grafana can choose for `target` of `panel` over the range (one when the panel pins maxDataPoints). */
export function grafanaSteps(panel: JsonObject, target: JsonObject, rangeSeconds: number): number[] {
  const pinned = typeof panel.maxDataPoints === "number" ? [panel.maxDataPoints] : UNPINNED_MAX_DATA_POINTS;
  const steps = pinned.map((points) =>
    grafanaStepSeconds(
      rangeSeconds,
      points,
      typeof panel.interval === "string" ? panel.interval : undefined,
      typeof target.interval === "string" ? target.interval : undefined,
    ),
  );
  return [...new Set(steps)].sort((a, b) => a - b);
}

/** The range Grafana asks for: start and end floored to the step (UTC). */
export function alignedRange(
  nowSeconds: number,
  rangeSeconds: number,
  stepSeconds: number,
): {
  start: number;
  end: number;
} {
  return {
    start: Math.floor((nowSeconds - rangeSeconds) / stepSeconds) * stepSeconds,
    end: Math.floor(nowSeconds / stepSeconds) * stepSeconds,
  };
}
