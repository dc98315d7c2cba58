/** The Install / Uninstall Statusline Feed actions and the feed's install state, for the quick look. */
import { Action, Alert, Icon, Toast, confirmAlert, environment, showToast } from "@raycast/api";
import {
  feedEnv,
  feedInstallState,
  installChangeText,
  installFeed,
  planFeedInstall,
  scriptAssetPath,
  uninstallFeed,
  type FeedInstallState,
} from "./statusline-feed";
import { formatAge, formatClock } from "../vendor/core/report/format";
import type { SourceStatus } from "../vendor/core/report";
import { userLocale } from "./format";
import type { QuotacastPreferences } from "./use-summary";

function installerEnv(preferences: QuotacastPreferences) {
  return feedEnv({
    env: process.env,
    statuslineFeedFile: preferences.statuslineFile,
    claudeConfigDir: preferences.claudeConfigDir,
  });
}

export function currentFeedInstallState(preferences: QuotacastPreferences): FeedInstallState {
  return feedInstallState(installerEnv(preferences));
}

/**
 * `installed · receiving`, `installed · stale since 14:02 (3h ago)`, `installed · command no
 * longer runs: /usr/local/bin/node is gone`, `not installed`.
 */
export function feedStateText(
  state: FeedInstallState,
  source: SourceStatus | undefined,
  timezone: string,
  nowMs: number,
): string {
  if (!state.installed) return "not installed";
  if (!state.check.runnable) return `installed · command no longer runs: ${state.check.problem}`;
  if (source?.state === "ok") return "installed · receiving";
  const since = source?.lastSuccessMs;
  if (since === null || since === undefined) return "installed · waiting for Claude Code's first answer";
  return `installed · stale since ${formatClock(since, timezone, nowMs, userLocale())} (${formatAge(nowMs - since)})`;
}

export function InstallFeedAction(props: { preferences: QuotacastPreferences; onDone: () => void }) {
  return (
    <Action
      title="Install Statusline Feed"
      icon={Icon.Download}
      onAction={async () => {
        const env = installerEnv(props.preferences);
        const plan = planFeedInstall(env);
        if (!plan.ok) {
          await showToast({ style: Toast.Style.Failure, title: "Cannot Install", message: plan.message });
          return;
        }
        const confirmed = await confirmAlert({
          title: "Install the Statusline Feed?",
          message: installChangeText(plan),
          primaryAction: { title: "Install" },
        });
        if (!confirmed) return;
        const outcome = installFeed(env, scriptAssetPath(environment.assetsPath));
        await showToast({
          style: outcome.ok ? Toast.Style.Success : Toast.Style.Failure,
          title: outcome.ok ? "Statusline Feed Installed" : "Install Failed",
          message: outcome.message,
        });
        props.onDone();
      }}
    />
  );
}

export function UninstallFeedAction(props: { preferences: QuotacastPreferences; onDone: () => void }) {
  return (
    <Action
      title="Uninstall Statusline Feed"
      icon={Icon.Trash}
      style={Action.Style.Destructive}
      onAction={async () => {
        const env = installerEnv(props.preferences);
        const confirmed = await confirmAlert({
          title: "Uninstall the Statusline Feed?",
          message: "settings.json gets back the statusLine it had before install (byte for byte when unedited since).",
          primaryAction: { title: "Uninstall", style: Alert.ActionStyle.Destructive },
        });
        if (!confirmed) return;
        const outcome = uninstallFeed(env);
        await showToast({
          style: outcome.ok ? Toast.Style.Success : Toast.Style.Failure,
          title: outcome.ok ? "Statusline Feed Uninstalled" : "Uninstall Failed",
          message: outcome.message,
        });
        props.onDone();
      }}
    />
  );
}
