/**
 * `quotacast statusline`: run by Claude Code on every update with a JSON payload on stdin.
 * Saves the payload's rate limits, cost, model and session to the feed file (atomically)
 * and prints a compact status line. It must never slow or break Claude Code: no network,
 * bounded time, and any failure prints a minimal line and exits 0.
 *
 * Loads node built-ins, its own small helpers and core's feed schema only (no core index,
 * no frameworks).
 * `install` / `uninstall` live in a module loaded only when asked for.
 */
import type { Readable } from "node:stream";
import { feedFilePath, type Env } from "@quotacast/core/statusline/paths";
import { readFeed, todayCostUsd, updateFeed } from "../statusline/feed";
import { shortModelName } from "@quotacast/core/report/format";
import { formatStatusLine } from "../statusline/render";
import { parsePayload, type StatuslinePayload } from "../statusline/payload";
import { readStdinBounded } from "../statusline/stdin";
import { parseCommandArgs, UsageError, withUsage } from "../args";

const HELP = `usage: quotacast statusline [install | uninstall | status]

  (no argument)  read Claude Code's statusline JSON on stdin, save it, print a status line
  install        set quotacast as Claude Code's statusLine command (wraps an existing one):
                 copies the statusline script into the data dir and runs it with the node
                 on your PATH, so it survives npx cache cleanups and upgrades; rerun to update
  uninstall      undo install, restoring settings.json exactly
  status         whether the installed command can still run, and how to fix it

env: QUOTACAST_STATUSLINE_FILE (feed file), CLAUDE_CONFIG_DIR (where settings.json is)
`;

export interface StatuslineIo {
  stdin: Readable & { isTTY?: boolean };
  write(text: string): void;
  env: Env;
  nowMs(): number;
  /** The statusline script install copies (tests); default the one shipped with quotacast. */
  statuslineScript?: string;
}

export const processIo = (): StatuslineIo => ({
  stdin: process.stdin,
  write: (text) => process.stdout.write(text),
  env: process.env,
  nowMs: () => Date.now(),
});

function modelNameOf(payload: StatuslinePayload | null): string | null {
  const model = payload?.model;
  if (!model) return null;
  // The short id (`opus-4-5`), as every other front names models; the display name without one.
  return model.id !== null ? shortModelName(model.id) : model.display_name;
}

/** The hot path. Returns the text to print (our line, after the wrapped command's output). */
export async function renderStatusline(io: StatuslineIo, wrapped: string | null): Promise<string> {
  const raw = await readStdinBounded(io.stdin);
  const payload = parsePayload(raw);
  let line: string;
  try {
    const nowMs = io.nowMs();
    const file = feedFilePath(io.env);
    const feed = payload ? await updateFeed(file, payload, nowMs) : readFeed(file);
    line = formatStatusLine(
      {
        modelName:
          modelNameOf(payload) ??
          (feed?.model?.id ? shortModelName(feed.model.id) : (feed?.model?.displayName ?? null)),
        rateLimits: feed?.rateLimits ?? null,
        todayCostUsd: feed ? todayCostUsd(feed, nowMs) : null,
      },
      nowMs,
    );
  } catch {
    line = modelNameOf(payload) ?? "quotacast";
  }
  if (wrapped === null) return line;
  try {
    const { runWrappedCommand } = require("../statusline/wrap") as typeof import("../statusline/wrap");
    const theirs = await runWrappedCommand(wrapped, raw ?? Buffer.alloc(0));
    return theirs === "" ? line : `${theirs}\n${line}`;
  } catch {
    return line;
  }
}

const OPTIONS = {
  wrap: { type: "string" },
  command: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/**
 * Lenient (unknown options ignored): Claude Code runs the bare command on every update, and
 * an option this version does not know must never cost the user their status line.
 */
function looseArgs(argv: string[]) {
  return parseCommandArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false });
}

export function wrappedFromArgv(argv: string[]): string | null {
  const encoded = looseArgs(argv).values.wrap;
  if (typeof encoded !== "string" || encoded === "") return null;
  try {
    return Buffer.from(encoded, "base64url").toString("utf8");
  } catch {
    return null;
  }
}

export async function run(argv: string[], io: StatuslineIo = processIo()): Promise<number> {
  const loose = looseArgs(argv);
  const [sub] = loose.positionals;
  if (loose.values.help === true || sub === "help") {
    io.write(HELP);
    return 0;
  }
  if (sub === "install" || sub === "uninstall" || sub === "status") {
    // The subcommands a user types: strict, an unknown option is a usage error (exit 2).
    return withUsage(
      "statusline",
      () => HELP,
      () => runSubcommand(sub, argv, io),
    );
  }
  try {
    io.write(`${await renderStatusline(io, wrappedFromArgv(argv))}\n`);
  } catch {
    io.write("quotacast\n");
  }
  return 0;
}

function runSubcommand(sub: "install" | "uninstall" | "status", argv: string[], io: StatuslineIo): number {
  const { values, positionals } = parseCommandArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  if (positionals.length > 1) throw new UsageError(`unexpected '${positionals.slice(1).join(" ")}'`);
  if (sub === "status") return statuslineStatus(io);
  const install =
    require("@quotacast/core/statusline/install") as typeof import("@quotacast/core/statusline/install");
  if (sub === "uninstall") return report(io, install.uninstallStatusline({ env: io.env }));
  let command = values.command || null;
  let note: string | null = null;
  if (command === null) {
    const { prepareStatuslineCommand } =
      require("../statusline/command") as typeof import("../statusline/command");
    const plan = prepareStatuslineCommand({ env: io.env, scriptSource: io.statuslineScript });
    if (!plan.ok) return report(io, { ok: false, message: `${plan.problem}: ${plan.fix}` });
    ({ command, note } = plan);
  }
  const outcome = install.installStatusline({ env: io.env, command });
  return report(io, note === null ? outcome : { ...outcome, message: `${outcome.message}\nnote: ${note}` });
}

function report(io: StatuslineIo, outcome: { ok: boolean; message: string }): number {
  io.write(`${outcome.message}\n`);
  return outcome.ok ? 0 : 1;
}

/** Exit 1 when the installed command can no longer run. */
function statuslineStatus(io: StatuslineIo): number {
  const { checkInstalledCommand } =
    require("../statusline/command") as typeof import("../statusline/command");
  const { installedStatuslineCommand, isOurCommand } =
    require("@quotacast/core/statusline/install") as typeof import("@quotacast/core/statusline/install");
  const command = installedStatuslineCommand(io.env);
  if (command === null || !isOurCommand(command)) {
    io.write("quotacast's statusline is not installed: run `quotacast statusline install`\n");
    return 0;
  }
  const check = checkInstalledCommand(io.env, command);
  const lines = [`command: ${command}`, `can run: ${check.runnable ? "yes" : "no"}`];
  if (check.problem !== null) lines.push(`problem: ${check.problem}`, `fix: ${check.fix}`);
  io.write(`${lines.join("\n")}\n`);
  return check.runnable ? 0 : 1;
}
