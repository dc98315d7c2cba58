/**
 * `quotacast watch` (also `status --watch`, and `blocks --live` focused on the block): a
 * full-screen live view. The Summary is rebuilt when a transcript or the statusline feed
 * changes and on a slow timer (remote sources are polled only when due); the screen is
 * redrawn every second so countdowns move. Ends on q, Esc or Ctrl+C with the terminal restored.
 */
import * as path from "node:path";
import { DuePoller, type Summary } from "@quotacast/core";
import { createSources } from "@quotacast/core/limits/sources";
import { openCliState } from "../cli-state";
import { parseCommandArgs, withUsage } from "../args";
import { createPollContext } from "../poll-context";
import { sourceFlagsHelp, summaryFlagOptions, summaryFlags, type SummaryFlags } from "../source-flags";
import { feedFilePath } from "@quotacast/core/statusline/paths";
import { watchTree, type TreeWatch } from "../state/watch-tree";
import { openScreen } from "../terminal/screen";
import { DEFAULT_THRESHOLDS } from "../terminal/levels";
import { stdoutStyle } from "../terminal/style";
import { watchFrame } from "../terminal/watch-frame";
import { cliSummary } from "./status";

export interface WatchOptions extends SummaryFlags {
  focus: "all" | "block";
}

const REDRAW_MS = 1_000;
/** Rebuild at least this often, so sources that are due get polled without a file change. */
const REBUILD_MS = 15_000;
/** Claude Code writes a response in several appends; one rebuild per burst is enough. */
const CHANGE_DEBOUNCE_MS = 150;
const FILE_SOURCES = new Set(["statusline", "header-file"]);

export async function runWatch(opts: WatchOptions): Promise<number> {
  if (!process.stdout.isTTY) {
    process.stderr.write("quotacast watch: needs a terminal (use `quotacast status` in scripts)\n");
    return 2;
  }
  const state = openCliState(opts.configDirs);
  const poller = new DuePoller(createSources());
  const ctx = createPollContext(opts.limits);
  const screen = await openScreen(stdoutStyle({ noColor: opts.noColor }));
  let summary: Summary | null = null;
  let updatedAtMs = Date.now();
  let rebuilding: Promise<void> | null = null;
  let again = false;
  let forceFiles = true;

  const draw = () => {
    if (!summary) return;
    screen.draw(
      watchFrame(summary, {
        nowMs: Date.now(),
        columns: screen.columns,
        rows: screen.rows,
        thresholds: DEFAULT_THRESHOLDS,
        focus: opts.focus,
        updatedAtMs,
      }),
    );
  };

  // One rebuild at a time; a change during a rebuild queues exactly one more.
  const rebuild = (): void => {
    if (rebuilding) {
      again = true;
      return;
    }
    rebuilding = (async () => {
      const force = forceFiles ? FILE_SOURCES : new Set<string>();
      forceFiles = false;
      summary = await cliSummary(state, {
        configDirs: opts.configDirs,
        poll: () => poller.poll(ctx, force),
        timezone: opts.timezone,
      });
      updatedAtMs = Date.now();
      draw();
    })()
      .catch((err: unknown) => {
        screen.draw([
          [{ text: `quotacast watch: ${err instanceof Error ? err.message : String(err)}`, paint: "red" }],
        ]);
      })
      .finally(() => {
        rebuilding = null;
        if (again) {
          again = false;
          rebuild();
        }
      });
  };

  let debounce: NodeJS.Timeout | null = null;
  const onChange = (fileSource: boolean) => () => {
    if (fileSource) forceFiles = true;
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(rebuild, CHANGE_DEBOUNCE_MS);
  };
  const watchers = [
    ...opts.configDirs.map((dir) => watchIfThere(path.join(dir, "projects"), onChange(false))),
    // The feed is replaced by a rename: watch its directory, not the file.
    watchIfThere(path.dirname(feedFilePath(process.env)), onChange(true)),
  ].filter((w): w is TreeWatch => w !== null);

  screen.draw([[{ text: "quotacast: reading transcripts…", paint: "dim" }]]);
  rebuild();
  screen.onResize(draw);
  screen.onKey((key) => {
    if (key === "r") {
      forceFiles = true;
      rebuild();
    }
  });
  const redraw = setInterval(draw, REDRAW_MS);
  const periodic = setInterval(rebuild, REBUILD_MS);

  await screen.closed;
  clearInterval(redraw);
  clearInterval(periodic);
  if (debounce) clearTimeout(debounce);
  for (const watcher of watchers) watcher.close();
  await rebuilding;
  state.close();
  return 0;
}

/**
 * The exporter's tree watch, never throwing: a missing directory, a platform without a
 * watch or a watch that fails later leaves the periodic rebuild.
 */
function watchIfThere(dir: string, onChange: () => void): TreeWatch | null {
  try {
    return watchTree(dir, onChange, () => {});
  } catch {
    return null;
  }
}

const help = (): string => `usage: quotacast watch [options]

A full-screen live view of every rate-limit window (bar, forecast at reset with its 80%
range, countdown, chance of running out, burn against pace, reserve), the active 5-hour
block, today's cost by model and each source's state. Keys: q quit, r refresh.

  -z, --timezone ZONE    IANA time zone for days (default: this machine's)
      --config-dir DIR   Claude config dir (repeatable)
${sourceFlagsHelp("      ", 16)}      --no-color         no colour (also NO_COLOR=1)
  -h, --help             this help
`;

export function run(argv: string[]): Promise<number> {
  return withUsage("watch", help, () => runParsed(argv));
}

async function runParsed(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs({
    args: argv,
    options: summaryFlagOptions(),
  });
  if (values.help) {
    process.stdout.write(help());
    return 0;
  }
  return runWatch({ ...summaryFlags(values), focus: "all" });
}
