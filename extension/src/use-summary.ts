/**
 * The one place where the commands meet Raycast's runtime: preferences, the support
 * directory, the Cache, and `useCachedPromise`, which shows the last Summary at once
 * while the data layer refreshes it.
 */
import * as os from "node:os";
import { Cache, environment, getPreferenceValues } from "@raycast/api";
import { useCachedPromise } from "@raycast/utils";
import { candidateConfigDirs } from "../vendor/core/ingest";
import { loadSummary, type LoadedSummary } from "./data";
import { parseThresholds, type Thresholds, type TitleMode } from "./format";

/** Mirrors the `preferences` of package.json (raycast-env.d.ts is generated from it). */
export interface QuotacastPreferences {
  exporterUrl?: string;
  claudeConfigDir?: string;
  grafanaUrl?: string;
  menuBarTitle?: TitleMode;
  titleShows?: "used" | "remaining";
  titleCountdown?: boolean;
  monochromeIcon?: boolean;
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

/**
 * The Claude Config Directory preference as directories (comma list, `~` expanded, as
 * CLAUDE_CONFIG_DIR reads); undefined when empty: discovery then decides. Raycast does not
 * load the shell's environment, so a CLAUDE_CONFIG_DIR set there is never seen.
 */
export function configDirsPreference(text: string | undefined, homeDir = os.homedir()): string[] | undefined {
  const trimmed = text?.trim() ?? "";
  return trimmed === "" ? undefined : candidateConfigDirs({ CLAUDE_CONFIG_DIR: trimmed }, homeDir);
}

export function useSummary(): SummaryState {
  const preferences = getPreferenceValues<QuotacastPreferences>();
  const thresholds = parseThresholds(preferences.warningPercent, preferences.criticalPercent);
  const { data, isLoading, revalidate } = useCachedPromise(
    (exporterUrl: string, statuslineFile: string, warningLevelRatio: number, claudeConfigDir: string) =>
      loadSummary({
        exporterUrl,
        statuslineFeedFile: statuslineFile || undefined,
        warningLevelRatio,
        configDirs: configDirsPreference(claudeConfigDir),
        supportPath: environment.supportPath,
        cache,
      }),
    [
      preferences.exporterUrl?.trim() ?? "",
      preferences.statuslineFile?.trim() ?? "",
      thresholds.warningRatio,
      preferences.claudeConfigDir?.trim() ?? "",
    ],
    { keepPreviousData: true },
  );
  return { loaded: data, isLoading, revalidate, preferences, thresholds };
}
