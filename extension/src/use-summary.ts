/**
 * The one place where the commands meet Raycast's runtime: preferences, the support
 * directory, the Cache, and `useCachedPromise`, which shows the last Summary at once
 * while the data layer refreshes it.
 */
import { Cache, environment, getPreferenceValues } from "@raycast/api";
import { useCachedPromise } from "@raycast/utils";
import { loadSummary, type LoadedSummary } from "./data";
import { parseThresholds, type Thresholds, type TitleMode } from "./format";

/** Mirrors the `preferences` of package.json (raycast-env.d.ts is generated from it). */
export interface QuotacastPreferences {
  exporterUrl?: string;
  grafanaUrl?: string;
  menuBarTitle?: TitleMode;
  warningPercent?: string;
  criticalPercent?: string;
  statuslineFile?: string;
}

export interface SummaryState {
  loaded: LoadedSummary | undefined;
  isLoading: boolean;
  revalidate: () => void;
  preferences: QuotacastPreferences;
  thresholds: Thresholds;
}

const cache = new Cache({ namespace: "quotacast" });

export function useSummary(): SummaryState {
  const preferences = getPreferenceValues<QuotacastPreferences>();
  const thresholds = parseThresholds(preferences.warningPercent, preferences.criticalPercent);
  const { data, isLoading, revalidate } = useCachedPromise(
    (exporterUrl: string, statuslineFile: string, warningLevelRatio: number) =>
      loadSummary({
        exporterUrl,
        statuslineFeedFile: statuslineFile || undefined,
        warningLevelRatio,
        supportPath: environment.supportPath,
        cache,
      }),
    [preferences.exporterUrl?.trim() ?? "", preferences.statuslineFile?.trim() ?? "", thresholds.warningRatio],
    { keepPreviousData: true },
  );
  return { loaded: data, isLoading, revalidate, preferences, thresholds };
}
