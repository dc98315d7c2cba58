/** Threshold levels, coloured as the Raycast extension colours them. */
import type { Paint } from "./line";

export type Level = "normal" | "warning" | "critical";

export interface Thresholds {
  warningRatio: number;
  criticalRatio: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { warningRatio: 0.75, criticalRatio: 0.9 };

export function levelOf(ratio: number, thresholds: Thresholds): Level {
  if (ratio >= thresholds.criticalRatio) return "critical";
  if (ratio >= thresholds.warningRatio) return "warning";
  return "normal";
}

export function levelPaint(level: Level): Paint {
  return level === "critical" ? "red" : level === "warning" ? "yellow" : "green";
}
