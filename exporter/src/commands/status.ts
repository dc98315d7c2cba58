/**
 * `quotacast status`: today, this week, the active 5-hour block with its burn rate, and
 * every rate-limit window from whichever sources are configured, each with its source
 * and age.
 */
import {
  collectSummary,
  systemClock,
  type LimitsConfig,
  type PollAllResult,
  type Summary,
} from "@quotacast/core";
import { pollConfiguredSources } from "@quotacast/core/limits/sources";
import { parseCommandArgs, withUsage } from "../args";
import { createPollContext } from "../poll-context";
import { sourceFlagsHelp, summaryFlagOptions, summaryFlags } from "../source-flags";
import { openCliState, type CliState } from "../cli-state";
import { DEFAULT_THRESHOLDS, type Thresholds } from "../terminal/levels";
import { paintLine } from "../terminal/line";
import { transcriptProgress } from "../terminal/progress";
import { statusView } from "../terminal/status-view";
import { createStyle, stdoutStyle, terminalColumns, type Style } from "../terminal/style";

const help = (): string => `usage: quotacast status [options]

Today, this week, the active 5-hour block with its burn rate, and every rate-limit window
with its source and age.

options:
  -j, --json             print the Summary as JSON (the shape of GET /api/v1/summary)
  -w, --watch            the full-screen live view (same as \`quotacast watch\`)
  -z, --timezone ZONE    IANA time zone for days (default: this machine's)
      --no-color         no colour (also NO_COLOR=1; never when piped)
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
      watch: { type: "boolean", short: "w", default: false },
      ...summaryFlagOptions(),
    },
  });
  if (values.help) {
    process.stdout.write(help());
    return 0;
  }
  const flags = summaryFlags(values);
  if (values.watch) {
    // Loaded only here: watch imports this module for the Summary.
    const { runWatch } = require("./watch") as typeof import("./watch");
    return runWatch({ ...flags, focus: "all" });
  }
  const summary = await summarizeStatus(flags.configDirs, flags.timezone, flags.limits);
  process.stdout.write(
    values.json
      ? `${JSON.stringify(summary, null, 2)}\n`
      : renderStatus(summary, {
          columns: terminalColumns(),
          style: stdoutStyle({ noColor: flags.noColor }),
        }),
  );
  return 0;
}

async function summarizeStatus(
  configDirs: string[],
  timezone: string,
  limits: LimitsConfig,
): Promise<Summary> {
  const progress = transcriptProgress();
  const state = openCliState(configDirs, { onProgress: progress.update, fastFirstBuild: true });
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

/** The status screen as text: coloured when `style` says so, cut to `columns`. */
export function renderStatus(
  summary: Summary,
  opts: { columns?: number; style?: Style; thresholds?: Thresholds } = {},
): string {
  const lines = statusView(summary, {
    nowMs: summary.generatedAtMs,
    columns: opts.columns ?? 100,
    thresholds: opts.thresholds ?? DEFAULT_THRESHOLDS,
  });
  const style = opts.style ?? createStyle(false);
  return lines.map((line) => paintLine(line, style).trimEnd()).join("\n") + "\n";
}
