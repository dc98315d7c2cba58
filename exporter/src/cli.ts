#!/usr/bin/env -S node --max-semi-space-size=2 --initial-old-space-size=64
/**
 * quotacast's single entry point. Each command lives in `commands/<name>.ts` and is
 * loaded only when asked for, so `quotacast statusline` (run by Claude Code on every
 * update) pays for nothing but itself. The installed bin runs it through launch.ts (the
 * compile cache); its shebang's flags are the launcher's.
 */

type CommandModule = { run(argv: string[]): Promise<number> };

const COMMANDS: Record<string, { summary: string; load: () => CommandModule }> = {
  daily: { summary: "usage and cost per day", load: () => require("./commands/report") },
  weekly: { summary: "usage and cost per week", load: () => require("./commands/report") },
  monthly: { summary: "usage and cost per month", load: () => require("./commands/report") },
  session: { summary: "usage and cost per session", load: () => require("./commands/report") },
  blocks: {
    summary: "5-hour blocks with burn rate and projection",
    load: () => require("./commands/report"),
  },
  status: {
    summary: "today, this week, the active block and the rate-limit windows",
    load: () => require("./commands/status"),
  },
  watch: {
    summary: "full-screen live view of the windows, forecasts and today's usage",
    load: () => require("./commands/watch"),
  },
  statusline: {
    summary: "Claude Code statusline command (install | uninstall | status)",
    load: () => require("./commands/statusline"),
  },
  serve: { summary: "run the Prometheus exporter and JSON API", load: () => require("./commands/serve") },
  backfill: {
    summary: "write OpenMetrics history for promtool tsdb create-blocks-from openmetrics",
    load: () => require("./commands/backfill"),
  },
  service: {
    summary: "install | uninstall | status of the user service",
    load: () => require("./commands/service"),
  },
  bench: { summary: "benchmarks (bench forecast)", load: () => require("./commands/bench") },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(11)} ${c.summary}`);
  return `usage: quotacast <command> [options]\n\ncommands:\n${lines.join("\n")}\n\noptions:\n  -v, --version  print quotacast's version\n  -h, --help     this help\n\nRun 'quotacast help <command>' (or 'quotacast <command> --help') for the options of a command.\n`;
}

export async function main(argv: string[]): Promise<number> {
  // `help <command>` is `<command> --help`: one text per command, one format.
  const [name, ...rest] = argv[0] === "help" && argv[1] !== undefined ? [argv[1], "--help"] : argv;
  if (name === "--version" || name === "-v" || name === "version") {
    process.stdout.write(`${(require("./version") as typeof import("./version")).VERSION}\n`);
    return 0;
  }
  if (!name || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(usage());
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`quotacast: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  // Report commands share one module and need to know which one was asked for.
  return command
    .load()
    .run(
      name === "daily" || name === "weekly" || name === "monthly" || name === "session" || name === "blocks"
        ? [name, ...rest]
        : rest,
    );
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`quotacast: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
