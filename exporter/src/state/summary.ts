/**
 * The seam between the exporter's state and core's Summary pipeline: the exporter's jobs
 * have refreshed the ledger and polled the sources; this hands over what they hold (recent
 * events, every source's latest snapshot, statuses, what the refit learned) and keeps the
 * forecasts for the metrics and the pre-serialized API bodies.
 */
import { mergeSnapshots, summarizeUsage, type LearnedForecasts, type SnapshotHistory } from "@quotacast/core";
import type { ExporterState } from "./state";

export async function refreshSummary(
  state: ExporterState,
  history: SnapshotHistory,
  learned: LearnedForecasts,
  nowMs: number,
): Promise<void> {
  const { summary, forecasts } = await summarizeUsage({
    nowMs,
    timezone: state.timezone,
    usage: state.usage,
    limits: mergeSnapshots(state.snapshots(), nowMs),
    sources: state.statuses(),
    history,
    orgUsage: state.orgUsage(),
    diagnostics: state.diagnostics,
    learned,
  });
  state.windowModels.clear();
  // Windows that never got a forecast (no future reset) are not shown as a model.
  for (const [window, entry] of forecasts) if (entry.forecast) state.windowModels.set(window, entry);
  state.summary = summary;
  state.summaryJson = JSON.stringify(summary);
  state.windowsJson = JSON.stringify(summary.windows);
  state.markChanged();
}
