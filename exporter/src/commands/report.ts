/**
 * `quotacast daily|weekly|monthly|session|blocks`: usage and API-equivalent cost from the
 * local Claude Code transcripts, as tables or as ccusage 20-compatible JSON (docs/cli.md).
 */
import * as fs from "node:fs";
// Subpath entries only: `daily` loads no rate-limit, forecast or report-building code.
import { claudeConfigDirs, projectsDir, type Diagnostics, type UsageEvent } from "@quotacast/core/ingest";
import { systemTimeZone } from "@quotacast/core/io";
import { declareLocalTimeZone } from "@quotacast/core/time";
import { aggregateByPeriod, normalizeDayKey, type PeriodUsage } from "@quotacast/core/usage";
import {
  blocksReportJson,
  periodReportJson,
  sessionReportJson,
  type PeriodKind,
} from "../report/ccusage-json";
import { parseCommandArgs, UsageError, withUsage } from "../args";
import { openCliState } from "../cli-state";
import { checkedSystemZone, checkGivenZone } from "../zone";
import { transcriptProgress } from "../terminal/progress";
import { STDERR_FD, STDOUT_FD, stdio } from "../terminal/stdio";
import { createStyle, stdoutStyle, terminalColumns, type Style } from "../terminal/style";
import {
  FULL_WIDTH,
  renderBlocksTable,
  renderNotes,
  renderPeriodTable,
  renderSessionTable,
  type TableLayout,
} from "../report/render";
import type { TablePaint } from "../report/table";
import { blockRows, filterEvents, periodsFromDayTotals, sessionReports } from "../report/usage";

export const REPORT_KINDS = ["daily", "weekly", "monthly", "session", "blocks"] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** Where the command writes and what it reads from its surroundings (tests pass their own). */
export interface ReportIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  nowMs(): number;
  /** The terminal's width when stdout is one; null or absent when piped (tables are then not cut). */
  columns?: number | null;
  /** Colour for tables: on a terminal, unless NO_COLOR or --no-color (absent: none). */
  style?: Style;
}

const processIo: ReportIo = {
  stdout: (text) => stdio.write(STDOUT_FD, text),
  stderr: (text) => stdio.write(STDERR_FD, text),
  env: process.env,
  nowMs: () => Date.now(),
  // Worked out when a table is drawn: `--json` never asks whether stdout is a terminal.
  get columns() {
    return stdio.isTerminal(STDOUT_FD) ? terminalColumns() : null;
  },
  // Worked out when a table is drawn: `--json` never needs it.
  get style() {
    return stdoutStyle();
  },
};

/** Width of a `--compact` table when neither a terminal nor COLUMNS says (ccusage's habit). */
const COMPACT_WIDTH = 80;

function usage(kind: string): string {
  return `usage: quotacast ${kind} [options]

Usage and API-equivalent cost from Claude Code transcripts${kind === "blocks" ? " in 5-hour blocks" : ""}.

options:
  -j, --json               ccusage 20-compatible JSON (see docs/cli.md)
  -s, --since DAY          first day, YYYYMMDD or YYYY-MM-DD (inclusive)
  -u, --until DAY          last day, YYYYMMDD or YYYY-MM-DD (inclusive)
  -z, --timezone ZONE      IANA zone of the calendar days (default: this machine's)
  -p, --project NAME       only this project (directory name under projects/)
  -b, --breakdown          per-model rows under each row
      --compact            rounded figures, no cache columns, fits 80 columns
      --no-color           no colour (also NO_COLOR=1; never when piped)${
        kind === "blocks"
          ? `
  -a, --active             only the active block
      --live               the live view of the active block (full screen)`
          : ""
      }
      --config-dir DIR     Claude config dir, repeatable (default: CLAUDE_CONFIG_DIR,
                           ~/.config/claude, ~/.claude)
  -h, --help               this help
`;
}

interface ReportOptions {
  kind: ReportKind;
  json: boolean;
  sinceDay?: string;
  untilDay?: string;
  timezone: string;
  /** Whether `timezone` came from `--timezone` (else it is this machine's). */
  timezoneGiven: boolean;
  project?: string;
  breakdown: boolean;
  configDirs: string[];
  compact: boolean;
  /** blocks: only the active one. */
  active: boolean;
  /** blocks: the live view instead of a table. */
  live: boolean;
  noColor: boolean;
}

export async function run(argv: string[], io: ReportIo = processIo): Promise<number> {
  const [kind, ...rest] = argv;
  if (!isReportKind(kind)) {
    io.stderr(`quotacast: unknown report '${kind ?? ""}' (expected ${REPORT_KINDS.join(", ")})\n`);
    return 2;
  }
  return withUsage(
    kind,
    () => usage(kind),
    () => runReport(kind, rest, io),
    io.stderr,
  );
}

async function runReport(kind: ReportKind, rest: string[], io: ReportIo): Promise<number> {
  const opts = parseOptions(kind, rest, io.env);
  if (opts === "help") {
    io.stdout(usage(kind));
    return 0;
  }
  // A fact about this process: days in its own zone then come from Date's local time, not
  // from an Intl formatter per event (a first run reads tens of thousands).
  declareLocalTimeZone(systemTimeZone());
  if (opts.live) {
    const { runWatch } = require("./watch") as typeof import("./watch");
    return runWatch({
      configDirs: opts.configDirs,
      timezone: opts.timezone,
      limits: {},
      focus: "block",
      noColor: false,
    });
  }
  if (opts.configDirs.length === 0) {
    io.stderr(
      `quotacast ${kind}: no Claude config dir with a projects/ folder found ` +
        `(looked at CLAUDE_CONFIG_DIR, ~/.config/claude, ~/.claude); pass --config-dir DIR\n`,
    );
  }
  for (const dir of opts.configDirs) {
    if (!fs.existsSync(projectsDir(dir)))
      io.stderr(`quotacast ${kind}: ${dir} has no projects/ folder: nothing read there\n`);
  }
  // The CLI's own state (cli-state.ts): deleted transcripts keep their totals, and a repeated
  // run reads only appended bytes.
  const progress = transcriptProgress();
  const state = openCliState(opts.configDirs, { onProgress: progress.update, fastFirstBuild: true });
  try {
    // A zone the state keeps totals for was checked when they were built; checking loads ICU's
    // zone data, a tenth of a warm `daily`.
    if (!state.dayTotals.keeps(opts.timezone)) opts.timezone = checkedZone(opts);
    if (opts.kind === "daily" || opts.kind === "weekly" || opts.kind === "monthly") {
      // Per-day totals kept with every commit: a warm run reads a few hundred rows, not every event.
      state.dayTotals.ensureZone(opts.timezone, () => state.store.iterateEvents());
      await state.ledger.refresh().finally(progress.done);
      const rows = state.dayTotals.rows(opts.timezone, opts.sinceDay, opts.untilDay);
      const unknownProject = projectProblem(opts, () =>
        state.dayTotals.rows(opts.timezone).map((r) => r.project),
      );
      if (unknownProject) throw unknownProject;
      const period = opts.kind === "daily" ? "day" : opts.kind === "weekly" ? "week" : "month";
      const periods = periodsFromDayTotals(rows, { period, project: opts.project });
      io.stdout(renderPeriods(opts, periods, state.ledger.diagnostics(), () => tableFit(opts, io)));
      return 0;
    }
    await state.ledger.refresh().finally(progress.done);
    const all = await state.ledger.events();
    const unknownProject = projectProblem(opts, () => all.map((e) => e.project));
    if (unknownProject) throw unknownProject;
    const events = filterEvents(all, opts);
    io.stdout(renderReport(opts, events, state.ledger.diagnostics(), io.nowMs(), () => tableFit(opts, io)));
    return 0;
  } finally {
    state.close();
  }
}

const json = (value: unknown) => JSON.stringify(value, null, 2) + "\n";

function noUsage(opts: ReportOptions, diagnostics: Diagnostics): string {
  return `No usage found${opts.project !== undefined || opts.sinceDay || opts.untilDay ? " for these days and project" : ""}.\n\n${renderNotes([], diagnostics)}`;
}

function renderReport(
  opts: ReportOptions,
  events: UsageEvent[],
  diagnostics: Diagnostics,
  nowMs: number,
  fit: () => TableFit,
): string {
  if (!opts.json && events.length === 0) return noUsage(opts, diagnostics);
  if (opts.kind === "session") {
    const sessions = sessionReports(events);
    if (opts.json) return json(sessionReportJson(sessions, diagnostics));
    return (
      fitTable(opts, fit, (layout) => renderSessionTable(sessions, opts.timezone, opts.breakdown, layout)) +
      "\n" +
      renderNotes(unpriced(sessions.map((s) => s.usage)), diagnostics)
    );
  }
  if (opts.kind === "blocks") {
    const all = blockRows(events, nowMs);
    const rows = opts.active ? all.filter((r) => r.kind === "block" && r.summary.isActive) : all;
    if (opts.json) return json(blocksReportJson(rows, nowMs, diagnostics));
    if (opts.active && rows.length === 0) return "No active 5-hour block.\n";
    const models = [...new Set(rows.flatMap((r) => (r.kind === "block" ? r.summary.models : [])))];
    const unknown = diagnostics.unknownModels.filter((m) => models.includes(m));
    const table = fitTable(opts, fit, (layout) => renderBlocksTable(rows, opts.timezone, nowMs, layout));
    return table + "\n" + renderNotes(unknown, diagnostics);
  }
  const period = opts.kind === "daily" ? "day" : opts.kind === "weekly" ? "week" : "month";
  return renderPeriods(
    opts,
    aggregateByPeriod(events, { period, timezone: opts.timezone }),
    diagnostics,
    fit,
  );
}

function renderPeriods(
  opts: ReportOptions,
  periods: PeriodUsage[],
  diagnostics: Diagnostics,
  fit: () => TableFit,
): string {
  if (!opts.json && periods.length === 0) return noUsage(opts, diagnostics);
  const kind = opts.kind as PeriodKind;
  if (opts.json) return json(periodReportJson(kind, periods, diagnostics));
  const title = {
    daily: "Usage by day",
    weekly: "Usage by week (weeks start on Sunday)",
    monthly: "Usage by month",
  }[kind];
  const label = { daily: "Date", weekly: "Week", monthly: "Month" }[kind];
  return (
    fitTable(opts, fit, (layout) => renderPeriodTable(title, label, periods, opts.breakdown, layout)) +
    "\n" +
    renderNotes(unpriced(periods), diagnostics)
  );
}

/** The width tables must fit (the terminal's, else COLUMNS, else none; 80 with --compact) and their colours. */
function tableFit(opts: ReportOptions, io: ReportIo): TableFit {
  const fromEnv = Number(io.env.COLUMNS);
  const known = io.columns ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : null);
  const style = opts.noColor || !io.style ? createStyle(false) : io.style;
  return {
    maxWidth: known ?? (opts.compact ? COMPACT_WIDTH : Infinity),
    paint: { header: (text) => style.bold(style.cyan(text)), footer: (text) => style.yellow(text) },
  };
}

/** The width a table must fit and its colours (worked out only for a table: `--json` needs neither). */
interface TableFit {
  maxWidth: number;
  paint: TablePaint;
}

/** The full table when it fits; otherwise (or with --compact) the compact one, cut to the width. */
function fitTable(
  opts: ReportOptions,
  fitFor: () => TableFit,
  render: (layout: TableLayout) => string,
): string {
  const fit = fitFor();
  if (!opts.compact) {
    const plain = render(FULL_WIDTH);
    if (Math.max(...plain.split("\n").map((l) => l.length)) <= fit.maxWidth)
      return render({ ...FULL_WIDTH, paint: fit.paint });
  }
  return render({ compact: true, maxWidth: fit.maxWidth, paint: fit.paint });
}

/** `--project` naming no project there is: the error, with the projects to choose from. */
/** `projects` is called only when a project was asked for (it reads every row or event). */
function projectProblem(opts: ReportOptions, projects: () => readonly string[]): UsageError | null {
  if (opts.project === undefined) return null;
  const known = [...new Set(projects())].sort();
  if (known.includes(opts.project)) return null;
  const hint = known.length > 0 ? `projects: ${known.join(", ")}` : "no usage has been read yet";
  return new UsageError(`no project '${opts.project}'`, hint);
}

function unpriced(rows: PeriodUsage[]): string[] {
  return [...new Set(rows.flatMap((r) => r.unpricedModels))].sort();
}

function parseOptions(kind: ReportKind, argv: string[], env: NodeJS.ProcessEnv): ReportOptions | "help" {
  const { values } = parseCommandArgs({
    args: attachDashValues(argv, VALUE_FLAGS),
    options: {
      json: { type: "boolean", short: "j" },
      since: { type: "string", short: "s" },
      until: { type: "string", short: "u" },
      timezone: { type: "string", short: "z" },
      project: { type: "string", short: "p" },
      breakdown: { type: "boolean", short: "b" },
      compact: { type: "boolean" },
      "no-color": { type: "boolean" },
      ...(kind === "blocks"
        ? { active: { type: "boolean" as const, short: "a" }, live: { type: "boolean" as const } }
        : {}),
      "config-dir": { type: "string", multiple: true },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  // Checked in runReport, once the state says whether an earlier run has checked it already.
  const timezone = values.timezone ?? systemTimeZone();
  const sinceDay = optionalDay("--since", values.since);
  const untilDay = optionalDay("--until", values.until);
  if (sinceDay !== undefined && untilDay !== undefined && sinceDay > untilDay) {
    throw new UsageError(`--since ${sinceDay} is after --until ${untilDay}`);
  }
  return {
    kind,
    json: values.json ?? false,
    sinceDay,
    untilDay,
    timezone,
    timezoneGiven: values.timezone !== undefined,
    project: values.project,
    breakdown: values.breakdown ?? false,
    compact: values.compact ?? false,
    active: (values as { active?: boolean }).active ?? false,
    live: (values as { live?: boolean }).live ?? false,
    noColor: values["no-color"] ?? false,
    configDirs: values["config-dir"] ?? claudeConfigDirs({ env, homeDir: env.HOME || undefined }),
  };
}

/**
 * The zone to report in, checked: a `--timezone` ICU does not know is the user's error; a
 * system zone it does not know (a `TZ` naming no zone) falls back to the zone ICU resolves.
 */
function checkedZone(opts: ReportOptions): string {
  return opts.timezoneGiven ? checkGivenZone(opts.timezone) : checkedSystemZone(opts.timezone);
}

function optionalDay(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const day = normalizeDayKey(value);
  if (day === null || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
    throw new UsageError(`${flag} '${value}' is not a day (use YYYYMMDD or YYYY-MM-DD)`);
  }
  return day;
}

const VALUE_FLAGS = new Set([
  "--since",
  "-s",
  "--until",
  "-u",
  "--timezone",
  "-z",
  "--project",
  "-p",
  "--config-dir",
]);

/**
 * `--project -home-me-app` as `--project=-home-me-app`: project names are encoded paths that
 * start with a dash, which parseArgs would otherwise take for a flag.
 */
export function attachDashValues(argv: readonly string[], valueFlags: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1];
    if (valueFlags.has(argv[i]) && next !== undefined && next.startsWith("-") && next !== "--") {
      out.push(argv[i].startsWith("--") ? `${argv[i]}=${next}` : `${argv[i]}${next}`);
      i++;
    } else {
      out.push(argv[i]);
    }
  }
  return out;
}

function isReportKind(kind: string | undefined): kind is ReportKind {
  return (REPORT_KINDS as readonly string[]).includes(kind ?? "");
}
