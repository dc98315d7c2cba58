import type { ReactNode } from "react";
import { Action, ActionPanel, Color, Icon, Keyboard, List, openExtensionPreferences } from "@raycast/api";
import { getProgressIcon } from "@raycast/utils";
import type { PeriodUsage, SessionUsage, SourceStatus, Summary, WindowSummary } from "../vendor/core/report";
import { formatAge, formatPercent, formatUsd, shortModelName, windowLabel } from "../vendor/core/report/format";
import type { LoadedSummary, ProblemKind } from "./data";
import {
  blockMarkdown,
  costBarChart,
  extraUsageText,
  feedSetupNeed,
  levelOf,
  modelCostRows,
  needsAttention,
  periodDetailRows,
  periodMarkdown,
  planText,
  projectName,
  readingAgeText,
  sessionDetailRows,
  sessionModelsText,
  sourceStateText,
  sourceTitle,
  staleFeedText,
  summaryText,
  userLocale,
  windowDetailRows,
  windowMarkdown,
  type DetailRow,
  type Thresholds,
} from "./format";
import { noClaudeData } from "./menubar";
import { InstallFeedAction, UninstallFeedAction, currentFeedInstallState, feedStateText } from "./feed-actions";
import { CLAUDE_USAGE_URL, STATUSLINE_INSTALL_COMMAND, levelColor } from "./ui";
import { useSummary, type QuotacastPreferences } from "./use-summary";

const PROBLEM_TITLES: Record<ProblemKind, string> = {
  "exporter-unreachable": "Exporter Unreachable",
  "exporter-bad-response": "Exporter Error",
  "local-failed": "Could Not Read Local Usage",
};

export default function UsageCommand() {
  const { loaded, isLoading, revalidate, preferences, thresholds } = useSummary();
  const nowMs = Date.now();
  const summary = loaded?.summary ?? null;
  const actions = (extra?: ReactNode) => (
    <CommonActions summary={summary} preferences={preferences} revalidate={revalidate} extra={extra} />
  );
  const setup = (
    <SetupSection
      loaded={loaded}
      summary={summary}
      nowMs={nowMs}
      actions={actions}
      preferences={preferences}
      revalidate={revalidate}
    />
  );

  return (
    <List isLoading={isLoading} isShowingDetail searchBarPlaceholder="Filter usage">
      {loaded?.problem ? (
        <List.Section title="Problem">
          <List.Item
            title={PROBLEM_TITLES[loaded.problem.kind]}
            icon={{ source: Icon.Warning, tintColor: Color.Orange }}
            detail={
              <List.Item.Detail
                markdown={[
                  `**${loaded.problem.message}**`,
                  summary
                    ? `Showing the data from ${formatAge(nowMs - summary.generatedAtMs)}.`
                    : "No earlier data to show.",
                  loaded.origin === "exporter"
                    ? "Check that `quotacast serve` is running and that the **Exporter URL** preference points at it, or clear the preference to read local data."
                    : "",
                ].join("\n\n")}
              />
            }
            actions={actions()}
          />
        </List.Section>
      ) : null}
      {loaded && noClaudeData(loaded) ? <NoDataSection loaded={loaded} actions={actions} /> : null}
      {summary ? (
        <>
          <List.Section title="Windows">
            {summary.windows.map((w) => (
              <WindowItem
                key={`${w.reading.window}:${w.reading.scopeModel?.id ?? ""}`}
                w={w}
                thresholds={thresholds}
                nowMs={nowMs}
                timezone={summary.timezone}
                actions={actions()}
              />
            ))}
          </List.Section>
          <List.Section title="Usage">
            <PeriodItem title="Today" period={summary.today} actions={actions()} />
            <PeriodItem title="This Week" period={summary.thisWeek} actions={actions()} />
            <List.Item
              title="Current 5-Hour Block"
              icon={Icon.Bolt}
              accessories={[{ text: summary.activeBlock ? formatUsd(summary.activeBlock.costUsd) : "none" }]}
              detail={<List.Item.Detail markdown={blockMarkdown(summary, nowMs, userLocale())} />}
              actions={actions()}
            />
            <List.Item
              title="Last 14 Days"
              icon={Icon.BarChart}
              detail={
                <List.Item.Detail markdown={`## Daily API-Equivalent Cost\n\n${costBarChart(summary.lastDays)}`} />
              }
              actions={actions()}
            />
          </List.Section>
          <ModelSection title="Today by Model" period={summary.today} actions={actions()} />
          <ModelSection title="This Week by Model" period={summary.thisWeek} actions={actions()} />
          <AccountSection summary={summary} actions={actions()} />
          <List.Section title="Sessions Today" subtitle={String(summary.sessionsToday.length)}>
            {summary.sessionsToday.length === 0 ? (
              <List.Item
                title="No Sessions Today"
                icon={Icon.Terminal}
                detail={<List.Item.Detail markdown="No Claude Code activity today yet." />}
                actions={actions()}
              />
            ) : (
              summary.sessionsToday.map((s) => (
                <SessionItem key={s.sessionId} s={s} timezone={summary.timezone} nowMs={nowMs} actions={actions()} />
              ))
            )}
          </List.Section>
          {loaded &&
          (feedSetupNeed(summary, loaded.statuslineFeedExists) !== null || summary.sources.some(needsAttention))
            ? setup
            : null}
          <List.Section title="Sources">
            {summary.sources.map((s) => (
              <SourceItem
                key={s.source}
                s={s}
                nowMs={nowMs}
                actions={
                  s.source === "statusline" && loaded?.origin === "local"
                    ? actions(<FeedActions preferences={preferences} revalidate={revalidate} />)
                    : actions()
                }
                text={
                  s.source === "statusline" && loaded?.origin === "local"
                    ? feedStateText(currentFeedInstallState(preferences), s, summary.timezone, nowMs)
                    : undefined
                }
              />
            ))}
          </List.Section>
        </>
      ) : !isLoading ? (
        setup
      ) : null}
    </List>
  );
}

function CommonActions(props: {
  summary: Summary | null;
  preferences: QuotacastPreferences;
  revalidate: () => void;
  extra?: ReactNode;
}) {
  const grafanaUrl = props.preferences.grafanaUrl?.trim();
  const summary = props.summary;
  return (
    <ActionPanel>
      {props.extra}
      <Action
        title="Refresh"
        icon={Icon.ArrowClockwise}
        shortcut={Keyboard.Shortcut.Common.Refresh}
        onAction={props.revalidate}
      />
      {summary ? (
        <Action.CopyToClipboard
          title="Copy Summary"
          content={summaryText(summary, Date.now())}
          shortcut={Keyboard.Shortcut.Common.Copy}
        />
      ) : null}
      <Action.OpenInBrowser title="Open Claude.ai Usage" url={CLAUDE_USAGE_URL} />
      {grafanaUrl ? <Action.OpenInBrowser title="Open Grafana Dashboard" url={grafanaUrl} /> : null}
      <Action title="Open Preferences" icon={Icon.Gear} onAction={openExtensionPreferences} />
    </ActionPanel>
  );
}

/** An item's detail labels, built by format.ts (`tone: "level"` takes `levelTint`). */
function detailLabels(rows: DetailRow[], levelTint?: Color): ReactNode[] {
  return rows.map((row, i) =>
    "separator" in row ? (
      <List.Item.Detail.Metadata.Separator key={i} />
    ) : (
      <List.Item.Detail.Metadata.Label
        key={i}
        title={row.title}
        text={
          row.tone === undefined ? row.text : { value: row.text, color: row.tone === "alert" ? Color.Red : levelTint }
        }
      />
    ),
  );
}

function WindowItem(props: {
  w: WindowSummary;
  thresholds: Thresholds;
  nowMs: number;
  timezone: string;
  actions: ReactNode;
}) {
  const { w, thresholds, nowMs, timezone } = props;
  const ratio = w.reading.utilizationRatio;
  const color = levelColor(levelOf(ratio, thresholds));
  const age = readingAgeText(w, nowMs);
  return (
    <List.Item
      title={windowLabel(w.reading.window, w.reading.scopeModel)}
      icon={getProgressIcon(Math.min(1, ratio), color)}
      accessories={[
        ...(age ? [{ icon: Icon.Clock, text: age.replace(/^ · /, "") }] : []),
        { tag: { value: formatPercent(ratio), color } },
      ]}
      detail={
        <List.Item.Detail
          markdown={windowMarkdown(w, nowMs)}
          metadata={
            <List.Item.Detail.Metadata>
              {detailLabels(windowDetailRows(w, nowMs, timezone, userLocale()), color)}
            </List.Item.Detail.Metadata>
          }
        />
      }
      actions={props.actions}
    />
  );
}

function PeriodItem(props: { title: string; period: PeriodUsage; actions: ReactNode }) {
  const p = props.period;
  return (
    <List.Item
      title={props.title}
      icon={Icon.Calendar}
      accessories={[{ text: formatUsd(p.costUsd) }]}
      detail={
        <List.Item.Detail
          markdown={periodMarkdown(props.title, p)}
          metadata={
            <List.Item.Detail.Metadata>
              {detailLabels(periodDetailRows(p))}
              {p.models.length > 0 ? (
                <List.Item.Detail.Metadata.TagList title="Models">
                  {p.models.map((m) => (
                    <List.Item.Detail.Metadata.TagList.Item key={m.model} text={shortModelName(m.model)} />
                  ))}
                </List.Item.Detail.Metadata.TagList>
              ) : null}
            </List.Item.Detail.Metadata>
          }
        />
      }
      actions={props.actions}
    />
  );
}

function SessionItem(props: { s: SessionUsage; timezone: string; nowMs: number; actions: ReactNode }) {
  const { s } = props;
  return (
    <List.Item
      title={projectName(s.project)}
      subtitle={sessionModelsText(s)}
      icon={Icon.Terminal}
      accessories={[{ text: formatUsd(s.costUsd) }]}
      detail={
        <List.Item.Detail
          metadata={
            <List.Item.Detail.Metadata>
              {detailLabels(sessionDetailRows(s, props.timezone, props.nowMs, userLocale()))}
            </List.Item.Detail.Metadata>
          }
        />
      }
      actions={props.actions}
    />
  );
}

function FeedActions(props: { preferences: QuotacastPreferences; revalidate: () => void }) {
  return currentFeedInstallState(props.preferences).installed ? (
    <>
      <UninstallFeedAction preferences={props.preferences} onDone={props.revalidate} />
      <InstallFeedAction preferences={props.preferences} onDone={props.revalidate} />
    </>
  ) : (
    <InstallFeedAction preferences={props.preferences} onDone={props.revalidate} />
  );
}

function SourceItem(props: { s: SourceStatus; nowMs: number; actions: ReactNode; text?: string }) {
  const { s, nowMs } = props;
  return (
    <List.Item
      title={sourceTitle(s)}
      icon={{ source: Icon.Dot, tintColor: needsAttention(s) ? Color.Orange : Color.Green }}
      accessories={[{ text: props.text ?? sourceStateText(s, nowMs) }]}
      detail={
        <List.Item.Detail
          markdown={`## ${sourceTitle(s)}: ${s.state}\n\n${props.text ? `${props.text}\n\n` : ""}${s.message}`}
        />
      }
      actions={props.actions}
    />
  );
}

function ModelSection(props: { title: string; period: PeriodUsage; actions: ReactNode }) {
  const rows = modelCostRows(props.period);
  if (rows.length === 0) return null;
  return (
    <List.Section title={props.title}>
      {rows.map((row) => (
        <List.Item
          key={row.model}
          title={row.title}
          icon={Icon.Stars}
          accessories={[{ text: row.text }]}
          detail={<List.Item.Detail markdown={`## ${row.title}\n\n${props.title}: ${row.text}\n\n\`${row.model}\``} />}
          actions={props.actions}
        />
      ))}
    </List.Section>
  );
}

/** The plan and extra-usage credits, when a source reported them (OAuth through an exporter, the header file). */
function AccountSection(props: { summary: Summary; actions: ReactNode }) {
  const plan = planText(props.summary.plan);
  const extra = extraUsageText(props.summary.extraUsage);
  if (!plan && !extra) return null;
  return (
    <List.Section title="Account">
      {plan ? (
        <List.Item
          title="Plan"
          icon={Icon.Person}
          accessories={[{ text: plan }]}
          detail={<List.Item.Detail markdown={`## Plan\n\n${plan}`} />}
          actions={props.actions}
        />
      ) : null}
      {extra ? (
        <List.Item
          title="Extra Usage"
          icon={Icon.CreditCard}
          accessories={[{ text: extra }]}
          detail={<List.Item.Detail markdown={`## Extra Usage\n\n${extra}`} />}
          actions={props.actions}
        />
      ) : null}
    </List.Section>
  );
}

function NoDataSection(props: { loaded: LoadedSummary; actions: (extra?: ReactNode) => ReactNode }) {
  const dirs = props.loaded.configDirsLookedAt;
  const markdown = [
    "## No Claude Code Data Found",
    "Claude Code's transcripts were looked for in:",
    dirs.length > 0 ? dirs.map((d) => `- \`${d}/projects\``).join("\n") : "_no directory_",
    "If Claude Code keeps its data elsewhere (a `CLAUDE_CONFIG_DIR` set in your shell: Raycast does not read the shell's environment), set **Claude Config Directory** in the preferences.",
  ].join("\n\n");
  return (
    <List.Section title="No Claude Code Data">
      <List.Item
        title="No Claude Code Data Found"
        icon={{ source: Icon.MagnifyingGlass, tintColor: Color.Orange }}
        detail={<List.Item.Detail markdown={markdown} />}
        actions={props.actions(
          <Action title="Set Claude Config Directory" icon={Icon.Gear} onAction={openExtensionPreferences} />,
        )}
      />
    </List.Section>
  );
}

function SetupSection(props: {
  loaded: LoadedSummary | undefined;
  summary: Summary | null;
  nowMs: number;
  actions: (extra?: ReactNode) => ReactNode;
  preferences: QuotacastPreferences;
  revalidate: () => void;
}) {
  const feedFile = props.loaded?.statuslineFeedFile ?? "~/.local/share/quotacast/statusline.json";
  const need = props.summary ? feedSetupNeed(props.summary, props.loaded?.statuslineFeedExists ?? null) : "install";
  const statusline = [
    "## Enable the Statusline Feed",
    "Claude Code sends your 5-hour and weekly utilization to its status line. Quotacast saves it, with no credentials. Press ⏎ (**Install Statusline Feed**: it shows the change to `settings.json` first, and needs a `node` on your PATH, `/opt/homebrew/bin` or `/usr/local/bin`), or, with the `quotacast` command installed (`npm install -g quotacast`), run:",
    "```\n" + STATUSLINE_INSTALL_COMMAND + "\n```",
    `Run it once in a terminal, then use Claude Code: the feed appears at \`${feedFile}\` after the first answer (Pro and Max plans).`,
  ].join("\n\n");
  const exporter = [
    "## Connect an Exporter",
    "A running quotacast exporter (`quotacast serve`) can also read the OAuth usage endpoint and keeps long history.",
    "Set the **Exporter URL** preference (for example `http://127.0.0.1:9847`): the extension then shows what the exporter serves at `/api/v1/summary`.",
  ].join("\n\n");
  return (
    <List.Section title="Setup">
      {need === "stale" && props.summary ? (
        <List.Item
          title="Statusline Feed Is Stale"
          icon={{ source: Icon.Clock, tintColor: Color.Orange }}
          detail={
            <List.Item.Detail
              markdown={`## Statusline Feed Is Stale\n\n${staleFeedText(props.summary, props.nowMs, userLocale())}.\n\nThe feed at \`${feedFile}\` is written while Claude Code runs; its last windows have reset since.`}
            />
          }
          actions={props.actions()}
        />
      ) : (
        <List.Item
          title="Enable the Statusline Feed"
          icon={{ source: Icon.Info, tintColor: Color.Orange }}
          detail={<List.Item.Detail markdown={statusline} />}
          actions={props.actions(
            <>
              {props.loaded?.origin === "local" ? (
                <InstallFeedAction preferences={props.preferences} onDone={props.revalidate} />
              ) : null}
              <Action.CopyToClipboard title="Copy Install Command" content={STATUSLINE_INSTALL_COMMAND} />
            </>,
          )}
        />
      )}
      <List.Item
        title="Connect an Exporter"
        icon={Icon.Link}
        detail={<List.Item.Detail markdown={exporter} />}
        actions={props.actions(
          <Action title="Set Exporter URL" icon={Icon.Gear} onAction={openExtensionPreferences} />,
        )}
      />
    </List.Section>
  );
}
