/**
 * `quotacast statusline`: run by Claude Code on every update with a JSON payload on stdin.
 * Saves the payload's rate limits, cost, model and session to the feed file (atomically)
 * and prints a compact status line. It must never slow or break Claude Code: no network,
 * bounded time, and any failure prints a minimal line and exits 0.
 *
 * Loads node built-ins and its own small helpers only (no core index, no frameworks).
 * `install` / `uninstall` live in a module loaded only when asked for.
 */
import type { Readable } from "node:stream";
import { feedFilePath, type Env } from "../statusline/paths";
import { nextFeed, readFeed, saveFeed, todayCostUsd } from "../statusline/feed";
import { formatStatusLine } from "../statusline/render";
import { readStdinBounded } from "../statusline/stdin";

const HELP = `usage: quotacast statusline [install | uninstall]

  (no argument)  read Claude Code's statusline JSON on stdin, save it, print a status line
  install        set quotacast as Claude Code's statusLine command (wraps an existing one)
  uninstall      undo install, restoring settings.json exactly

env: QUOTACAST_STATUSLINE_FILE (feed file), CLAUDE_CONFIG_DIR (where settings.json is)
`;

export interface StatuslineIo {
  stdin: Readable & { isTTY?: boolean };
  write(text: string): void;
  env: Env;
  nowMs(): number;
}

const processIo = (): StatuslineIo => ({
  stdin: process.stdin,
  write: (text) => process.stdout.write(text),
  env: process.env,
  nowMs: () => Date.now(),
});

function parsePayload(raw: Buffer | null): Record<string, unknown> | null {
  if (raw === null || raw.length === 0) return null;
  try {
    const value: unknown = JSON.parse(raw.toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function modelNameOf(payload: Record<string, unknown> | null): string | null {
  const model = payload?.model as { display_name?: unknown; id?: unknown } | undefined;
  if (!model || typeof model !== "object") return null;
  return typeof model.display_name === "string"
    ? model.display_name
    : typeof model.id === "string"
      ? model.id
      : null;
}

/** The hot path. Returns the text to print (our line, after the wrapped command's output). */
export async function renderStatusline(io: StatuslineIo, wrapped: string | null): Promise<string> {
  const raw = await readStdinBounded(io.stdin);
  const payload = parsePayload(raw);
  let line: string;
  try {
    const nowMs = io.nowMs();
    const file = feedFilePath(io.env);
    const previous = readFeed(file);
    const feed = payload ? nextFeed(previous, payload, nowMs) : previous;
    if (payload && feed) {
      try {
        saveFeed(file, feed);
      } catch {
        // A read-only disk must not cost the user their status line.
      }
    }
    line = formatStatusLine(
      {
        modelName: modelNameOf(payload) ?? feed?.model?.displayName ?? null,
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

function wrappedFromArgv(argv: string[]): string | null {
  const at = argv.indexOf("--wrap");
  if (at === -1 || !argv[at + 1]) return null;
  try {
    return Buffer.from(argv[at + 1], "base64url").toString("utf8");
  } catch {
    return null;
  }
}

export async function run(argv: string[], io: StatuslineIo = processIo()): Promise<number> {
  const [sub] = argv;
  if (sub === "--help" || sub === "-h" || sub === "help") {
    io.write(HELP);
    return 0;
  }
  if (sub === "install" || sub === "uninstall") {
    const install = require("../statusline/install") as typeof import("../statusline/install");
    const commandAt = argv.indexOf("--command");
    const outcome =
      sub === "install"
        ? install.installStatusline({
            env: io.env,
            command:
              commandAt !== -1 && argv[commandAt + 1]
                ? argv[commandAt + 1]
                : install.defaultInstallCommand(process.argv[1]),
          })
        : install.uninstallStatusline({ env: io.env });
    io.write(`${outcome.message}\n`);
    return outcome.ok ? 0 : 1;
  }
  try {
    io.write(`${await renderStatusline(io, wrappedFromArgv(argv))}\n`);
  } catch {
    io.write("quotacast\n");
  }
  return 0;
}
