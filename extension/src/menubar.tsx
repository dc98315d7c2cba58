import {
  Clipboard,
  Color,
  Icon,
  Keyboard,
  LaunchType,
  MenuBarExtra,
  launchCommand,
  open,
  openExtensionPreferences,
  showHUD,
} from "@raycast/api";
import type { Summary } from "../vendor/core/report";
import type { LoadedSummary } from "./data";
import { formatAge, formatDuration, formatPercent, windowLabel } from "../vendor/core/report/format";
import {
  blockText,
  exhaustionText,
  extraUsageText,
  feedSetupNeed,
  forecastText,
  isStale,
  levelOf,
  menuBarTitle,
  needsAttention,
  periodText,
  planText,
  readingAgeText,
  resetText,
  sourceStateText,
  sourceTitle,
  staleFeedText,
  summaryLevel,
  summaryText,
  titleAgeMs,
  userLocale,
  type Level,
  type Thresholds,
} from "./format";
import { CLAUDE_USAGE_URL, STATUSLINE_INSTALL_COMMAND, iconTint, levelColor } from "./ui";
import { useSummary } from "./use-summary";

export default function MenuBarCommand() {
  const { loaded, isLoading, revalidate, preferences, thresholds } = useSummary();
  const nowMs = Date.now();
  const summary = loaded?.summary ?? null;
  const noData = loaded ? noClaudeData(loaded) : false;
  const level: Level | null = summary && !noData ? summaryLevel(summary, thresholds) : null;
  const mode = preferences.menuBarTitle ?? "highest";
  let title = menuBarTitle(summary, mode, nowMs, {
    shows: preferences.titleShows,
    countdown: preferences.titleCountdown,
  });
  if (summary && title !== "") {
    const ageMs = loaded?.problem ? nowMs - summary.generatedAtMs : titleAgeMs(summary, mode, nowMs);
    if (ageMs !== null) title += ` (${formatDuration(ageMs)} old)`;
  }

  return (
    <MenuBarExtra
      icon={{ source: Icon.Gauge, tintColor: iconTint(level, preferences.monochromeIcon === true) }}
      title={title}
      tooltip={summary ? `Claude usage, ${formatAge(nowMs - summary.generatedAtMs)}` : "Claude usage"}
      isLoading={isLoading}
    >
      <ProblemSection loaded={loaded} isLoading={isLoading} nowMs={nowMs} />
      {loaded && noData ? <NoDataSection loaded={loaded} /> : null}
      {summary ? <SummarySections summary={summary} thresholds={thresholds} nowMs={nowMs} /> : null}
      {summary && loaded ? <SetupSection loaded={loaded} summary={summary} nowMs={nowMs} /> : null}
      <MenuBarExtra.Section>
        <MenuBarExtra.Item
          title="Open Quick Look"
          icon={Icon.AppWindowList}
          shortcut={Keyboard.Shortcut.Common.Open}
          onAction={openQuickLook}
        />
        <MenuBarExtra.Item title="Open Claude.ai Usage" icon={Icon.Globe} onAction={() => open(CLAUDE_USAGE_URL)} />
        {preferences.grafanaUrl?.trim() ? (
          <MenuBarExtra.Item
            title="Open Grafana Dashboard"
            icon={Icon.LineChart}
            onAction={() => open(preferences.grafanaUrl?.trim() ?? "")}
          />
        ) : null}
        <MenuBarExtra.Item
          title="Refresh"
          icon={Icon.ArrowClockwise}
          shortcut={Keyboard.Shortcut.Common.Refresh}
          onAction={revalidate}
        />
        {summary ? (
          <MenuBarExtra.Item
            title="Copy Summary"
            icon={Icon.Clipboard}
            shortcut={Keyboard.Shortcut.Common.Copy}
            onAction={async () => {
              await Clipboard.copy(summaryText(summary, Date.now()));
              await showHUD("Copied usage summary");
            }}
          />
        ) : null}
        <MenuBarExtra.Item title="Open Preferences" icon={Icon.Gear} onAction={openExtensionPreferences} />
      </MenuBarExtra.Section>
    </MenuBarExtra>
  );
}

/** Informational rows open the quick look (a row without an action is shown disabled). */
function openQuickLook(): Promise<void> {
  return launchCommand({ name: "usage", type: LaunchType.UserInitiated });
}

function ProblemSection(props: { loaded: LoadedSummary | undefined; isLoading: boolean; nowMs: number }) {
  const { loaded, isLoading, nowMs } = props;
  if (!loaded) {
    return isLoading ? null : (
      <MenuBarExtra.Section title="Status">
        <MenuBarExtra.Item title="No data yet" icon={Icon.Clock} />
      </MenuBarExtra.Section>
    );
  }
  const summary = loaded.summary;
  const items: { title: string; tooltip?: string }[] = [];
  if (loaded.problem) {
    items.push({ title: problemTitle(loaded), tooltip: loaded.problem.message });
    items.push({
      title: summary ? `Showing data from ${formatAge(nowMs - summary.generatedAtMs)}` : "No earlier data",
    });
  } else if (summary && isStale(summary, nowMs)) {
    items.push({ title: `Data is ${formatAge(nowMs - summary.generatedAtMs)}` });
  }
  if (items.length === 0) return null;
  return (
    <MenuBarExtra.Section title="Status">
      {items.map((item) => (
        <MenuBarExtra.Item
          key={item.title}
          title={item.title}
          tooltip={item.tooltip}
          icon={{ source: Icon.Warning, tintColor: Color.Orange }}
          onAction={loaded.problem ? openExtensionPreferences : undefined}
        />
      ))}
    </MenuBarExtra.Section>
  );
}

function problemTitle(loaded: LoadedSummary): string {
  switch (loaded.problem?.kind) {
    case "exporter-unreachable":
      return "Exporter unreachable: check the Exporter URL";
    case "exporter-bad-response":
      return "Exporter answered with an error";
    default:
      return "Could not read local usage";
  }
}

function SummarySections(props: { summary: Summary; thresholds: Thresholds; nowMs: number }) {
  const { summary, thresholds, nowMs } = props;
  return (
    <>
      {summary.windows.map((w) => {
        const exhaustion = exhaustionText(w.forecast, nowMs);
        const level = levelOf(w.reading.utilizationRatio, thresholds);
        return (
          <MenuBarExtra.Section
            key={`${w.reading.window}:${w.reading.scopeModel?.id ?? ""}`}
            title={windowLabel(w.reading.window, w.reading.scopeModel)}
          >
            <MenuBarExtra.Item
              title={`${formatPercent(w.reading.utilizationRatio)} used`}
              subtitle={resetText(w, nowMs) + readingAgeText(w, nowMs)}
              onAction={openQuickLook}
              icon={{ source: Icon.CircleProgress, tintColor: levelColor(level) }}
            />
            {w.forecast ? (
              <MenuBarExtra.Item title={forecastText(w.forecast)} icon={Icon.LineChart} onAction={openQuickLook} />
            ) : null}
            {exhaustion ? (
              <MenuBarExtra.Item
                title={exhaustion}
                icon={{ source: Icon.Warning, tintColor: Color.Red }}
                onAction={openQuickLook}
              />
            ) : null}
          </MenuBarExtra.Section>
        );
      })}
      <MenuBarExtra.Section title="Current 5-Hour Block">
        {summary.activeBlock ? (
          <MenuBarExtra.Item title={blockText(summary.activeBlock)} icon={Icon.Bolt} onAction={openQuickLook} />
        ) : (
          <MenuBarExtra.Item title="No active block" icon={Icon.Bolt} onAction={openQuickLook} />
        )}
      </MenuBarExtra.Section>
      <MenuBarExtra.Section title="Usage">
        <MenuBarExtra.Item
          title={`Today: ${periodText(summary.today)}`}
          icon={Icon.Calendar}
          onAction={openQuickLook}
        />
        <MenuBarExtra.Item
          title={`This Week: ${periodText(summary.thisWeek)}`}
          icon={Icon.Calendar}
          onAction={openQuickLook}
        />
        {extraUsageText(summary.extraUsage) ? (
          <MenuBarExtra.Item
            title={`Extra Usage: ${extraUsageText(summary.extraUsage)}`}
            icon={Icon.CreditCard}
            onAction={() => open(CLAUDE_USAGE_URL)}
          />
        ) : null}
        {planText(summary.plan) ? (
          <MenuBarExtra.Item title={`Plan: ${planText(summary.plan)}`} icon={Icon.Person} onAction={openQuickLook} />
        ) : null}
      </MenuBarExtra.Section>
      <MenuBarExtra.Section title="Sources">
        {summary.sources.map((s) => (
          <MenuBarExtra.Item
            key={s.source}
            title={sourceTitle(s)}
            subtitle={sourceStateText(s, nowMs)}
            onAction={openQuickLook}
            tooltip={s.message}
            icon={{ source: Icon.Dot, tintColor: needsAttention(s) ? Color.Orange : Color.Green }}
          />
        ))}
      </MenuBarExtra.Section>
    </>
  );
}

/**
 * Local Claude Code data was expected and none was found: say where it was looked for (Raycast
 * does not see a CLAUDE_CONFIG_DIR set in the shell) and how to point the extension at it.
 */
export function noClaudeData(loaded: LoadedSummary): boolean {
  const summary = loaded.summary;
  return (
    loaded.origin === "local" &&
    loaded.configDirsFound.length === 0 &&
    (summary === null || summary.windows.length === 0)
  );
}

function NoDataSection(props: { loaded: LoadedSummary }) {
  const dirs = props.loaded.configDirsLookedAt;
  return (
    <MenuBarExtra.Section title="No Claude Code Data">
      <MenuBarExtra.Item
        title={`Looked in ${dirs.length > 0 ? dirs.join(", ") : "no directory"}`}
        icon={{ source: Icon.MagnifyingGlass, tintColor: Color.Orange }}
        onAction={openExtensionPreferences}
      />
      <MenuBarExtra.Item
        title="Set the Claude Config Directory in Preferences"
        icon={Icon.Folder}
        onAction={openExtensionPreferences}
      />
    </MenuBarExtra.Section>
  );
}

function SetupSection(props: { loaded: LoadedSummary; summary: Summary; nowMs: number }) {
  const need = feedSetupNeed(props.summary, props.loaded.statuslineFeedExists);
  if (need === null) return null;
  const exporter = props.loaded.origin === "exporter";
  return (
    <MenuBarExtra.Section title="No Rate-Limit Source">
      {exporter ? (
        <MenuBarExtra.Item
          title="The exporter has no rate limits yet: enable a source on it"
          icon={{ source: Icon.Info, tintColor: Color.Orange }}
        />
      ) : need === "stale" ? (
        <MenuBarExtra.Item
          title={staleFeedText(props.summary, props.nowMs, userLocale())}
          icon={{ source: Icon.Clock, tintColor: Color.Orange }}
          onAction={openQuickLook}
        />
      ) : (
        <MenuBarExtra.Item
          title={`Enable the Statusline Feed: ${STATUSLINE_INSTALL_COMMAND}`}
          tooltip="Copies the command; run it once in a terminal, then use Claude Code"
          icon={{ source: Icon.Info, tintColor: Color.Orange }}
          onAction={async () => {
            await Clipboard.copy(STATUSLINE_INSTALL_COMMAND);
            await showHUD("Copied: run it in a terminal");
          }}
        />
      )}
      <MenuBarExtra.Item
        title="Connect an Exporter in Preferences"
        icon={Icon.Link}
        onAction={openExtensionPreferences}
      />
    </MenuBarExtra.Section>
  );
}
