/**
 * `quotacast status`: today, this week, the active 5-hour block with its burn rate, and
 * every rate-limit window from whichever sources are configured, each with its source
 * and age.
 */
import {
  claudeConfigDirs,
  collectSummary,
  formatAge,
  formatDuration,
  formatPercent,
  formatReserve,
  shortModelName,
  formatTokens,
  formatUsd,
  pollConfiguredSources,
  systemClock,
  windowLabel,
  type LimitsConfig,
  type PollAllResult,
  type Summary,
  type WindowSummary,
} from "@quotacast/core";
import { parseCommandArgs, withUsage } from "../args";
import { createPollContext } from "../poll-context";
import { limitsConfigFromFlags, sourceFlagOptions, sourceFlagsHelp } from "../source-flags";
import { openCliState, type CliState } from "../cli-state";
import { transcriptProgress } from "../terminal/progress";

const help = (): string => `usage: quotacast status [options]

Today, this week, the active 5-hour block with its burn rate, and every rate-limit window
with its source and age.

options:
  -j, --json             print the Summary as JSON (the shape of GET /api/v1/summary)
  -z, --timezone ZONE    IANA time zone for days (default: this machine's)
      --config-dir DIR   Claude config dir (repeatable; default: CLAUDE_CONFIG_DIR,
                         ~/.config/claude, ~/.claude)
${sourceFlagsHelp("      ", 16)}  -h, --help             this help
`;

export function run(argv: string[]): Promise<number> {
  return withUsage("status", help, () => runParsed(argv));
}

async function runParsed(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: {
      json: { type: "boolean", short: "j", default: false },
      timezone: { type: "string", short: "z" },
      "config-dir": { type: "string", multiple: true },
      ...sourceFlagOptions(),
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(help());
    return 0;
  }
  const timezone = values.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const configDirs = values["config-dir"] ?? claudeConfigDirs();
  const limitsConfig = limitsConfigFromFlags(values);
  const summary = await summarizeStatus(configDirs, timezone, limitsConfig);
  process.stdout.write(values.json ? `${JSON.stringify(summary, null, 2)}\n` : renderStatus(summary));
  return 0;
}

async function summarizeStatus(
  configDirs: string[],
  timezone: string,
  limits: LimitsConfig,
): Promise<Summary> {
  const progress = transcriptProgress();
  const state = openCliState(configDirs, { onProgress: progress.update });
  try {
    return await cliSummary(state, {
      configDirs,
      poll: () => pollConfiguredSources(createPollContext(limits)),
      timezone,
      onIngested: progress.done,
    });
  } finally {
    state.close();
  }
}

/** The Summary from the CLI's state through core's pipeline (also the live view's, with its own poller). */
export async function cliSummary(
  state: CliState,
  opts: {
    configDirs: readonly string[];
    poll: () => Promise<PollAllResult>;
    timezone: string;
    /** Called when the transcripts have been read (the progress line goes). */
    onIngested?: () => void;
  },
): Promise<Summary> {
  const { summary } = await collectSummary({
    ledger: {
      refresh: () => state.ledger.refresh().finally(() => opts.onIngested?.()),
      diagnostics: () => state.ledger.diagnostics(),
    },
    configDirs: opts.configDirs,
    poll: opts.poll,
    clock: systemClock,
    history: state.history,
    usage: { recentEvents: (sinceMs) => state.store.eventsSince(sinceMs) },
    timezone: opts.timezone,
  });
  return summary;
}

export function renderStatus(summary: Summary): string {
  const now = summary.generatedAtMs;
  const lines: string[] = [];
  lines.push("Rate limits");
  if (summary.windows.length === 0) {
    lines.push("  no rate-limit data yet: run `quotacast statusline install` (or pass --oauth)");
  }
  for (const w of summary.windows) lines.push(`  ${renderWindow(w, now)}`);
  lines.push("");
  lines.push(`Today       ${renderPeriod(summary.today)}`);
  lines.push(`This week   ${renderPeriod(summary.thisWeek)}`);
  const block = summary.activeBlock;
  lines.push(
    block
      ? `Block       ${formatUsd(block.costUsd)} ${formatTokens(block.totalTokens)} tokens, burn ${formatUsd(block.burnUsdPerHour)}/h, ` +
          `projected ${formatUsd(block.projectedCostUsd)} at block end (in ${formatDuration(block.endMs - now)})`
      : "Block       no active 5-hour block",
  );
  lines.push("");
  lines.push("Sources");
  for (const s of summary.sources) {
    const age = s.lastSuccessMs === null ? "" : ` (${formatAge(now - s.lastSuccessMs)})`;
    const message = s.message && s.message !== s.state ? `: ${s.message}` : "";
    lines.push(`  ${s.source.padEnd(12)} ${s.state}${age}${message}`);
  }
  const d = summary.diagnostics;
  const skipped = d.linesSkippedInvalidJson + d.linesSkippedOther;
  if (skipped > 0 || d.filesUnreadable > 0 || d.unknownModels.length > 0) {
    lines.push("");
    lines.push(
      `Notes       ${skipped} transcript lines skipped, ${d.filesUnreadable} files unreadable` +
        (d.unknownModels.length ? `; no price for ${d.unknownModels.join(", ")}` : ""),
    );
  }
  return `${lines.join("\n")}\n`;
}

function renderWindow(w: WindowSummary, nowMs: number): string {
  const r = w.reading;
  const reset = r.resetsAtMs === null ? "reset unknown" : `resets in ${formatDuration(r.resetsAtMs - nowMs)}`;
  let text = `${windowLabel(r.window).padEnd(12)} ${formatPercent(r.utilizationRatio).padStart(5)}  ${reset}`;
  const f = w.forecast;
  if (f) {
    // When the limit is likely hit, when; otherwise where it ends (never above 100%).
    text += f.exhaustionAtMs
      ? `, limit in ~${formatDuration(f.exhaustionAtMs.p50Ms - nowMs)}`
      : `, at reset ${formatPercent(f.p50Ratio)} (${formatPercent(f.p10Ratio)}-${formatPercent(f.p90Ratio)})`;
    text += `, ${formatPercent(f.exhaustionProbability)} chance of running out`;
    text +=
      f.reserveMs === null
        ? ", burn not known yet"
        : `, reserve ${formatReserve(f.reserveMs, r.windowLengthMs)}`;
  }
  return `${text}  [${r.source}, ${formatAge(nowMs - r.observedAtMs)}]`;
}

function renderPeriod(p: Summary["today"]): string {
  return `${formatUsd(p.costUsd)}  ${formatTokens(p.totalTokens)} tokens${mostlyText(p)}`;
}

/** `, mostly glm-4.7 (99% of tokens, no price)`: the model with most tokens, priced or not. */
function mostlyText(p: Summary["today"]): string {
  const top = p.models.find((m) => m.model === p.topModel);
  if (!top || p.totalTokens <= 0) return "";
  const unpriced = top.costUsd === null ? ", no price" : "";
  return `, mostly ${shortModelName(top.model)} (${formatPercent(top.totalTokens / p.totalTokens)} of tokens${unpriced})`;
}
