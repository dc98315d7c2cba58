/**
 * The seam between the exporter's state and core's one Summary builder: the exporter hands
 * over what it holds (recent events, every source's latest snapshot, statuses, forecasts).
 */
import { buildSummary, mergeSnapshots, type Summary } from "@quotacast/core";
import type { ExporterState } from "./state";
import { RECENT_EVENTS_MS } from "./usage-totals";

export function summarize(state: ExporterState, nowMs: number): Summary {
  return buildSummary({
    nowMs,
    timezone: state.timezone,
    events: state.usage.recentEvents(nowMs - RECENT_EVENTS_MS),
    limits: mergeSnapshots(state.snapshots(), nowMs),
    sources: state.statuses(),
    forecasts: state.windowModels,
    orgUsage: state.orgUsage(),
    diagnostics: state.diagnostics,
  });
}

/** Rebuilds the Summary and the pre-serialized API bodies. */
export function refreshSummary(state: ExporterState, nowMs: number): void {
  const summary = summarize(state, nowMs);
  state.summary = summary;
  state.summaryJson = JSON.stringify(summary);
  state.windowsJson = JSON.stringify(summary.windows);
  state.markChanged();
}
