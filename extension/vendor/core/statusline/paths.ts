// Generated from core/src/statusline/paths.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/** Where the statusline command reads and writes. Node built-ins only (hot path). */
import * as os from "node:os";
import * as path from "node:path";

export type Env = Record<string, string | undefined>;

function expandHome(entry: string, home: string): string {
  if (entry === "~") return home;
  if (entry.startsWith("~/") || entry.startsWith("~\\")) return path.join(home, entry.slice(2));
  return entry;
}

function homeDir(env: Env): string {
  return env.HOME && env.HOME !== "" ? env.HOME : os.homedir();
}

/** The feed file: `QUOTACAST_STATUSLINE_FILE`, else `$XDG_DATA_HOME/quotacast/statusline.json` (default `~/.local/share`). */
export function feedFilePath(env: Env): string {
  const fromEnv = env.QUOTACAST_STATUSLINE_FILE?.trim();
  if (fromEnv) return path.resolve(expandHome(fromEnv, homeDir(env)));
  const xdg = env.XDG_DATA_HOME?.trim() ?? "";
  const dataDir = xdg !== "" && path.isAbsolute(xdg) ? xdg : path.join(homeDir(env), ".local", "share");
  return path.join(dataDir, "quotacast", "statusline.json");
}

/** Claude Code's config dir: the first entry of CLAUDE_CONFIG_DIR, else `~/.claude`. */
function claudeHomeDir(env: Env): string {
  const first = (env.CLAUDE_CONFIG_DIR ?? "")
    .split(",")
    .map((s) => s.trim())
    .find((s) => s !== "");
  return first ? path.resolve(expandHome(first, homeDir(env))) : path.join(homeDir(env), ".claude");
}

export function settingsFilePath(env: Env): string {
  return path.join(claudeHomeDir(env), "settings.json");
}

/** What install did, so uninstall can undo it exactly: kept beside the feed file. */
export function installRecordPath(env: Env): string {
  return path.join(path.dirname(feedFilePath(env)), "statusline-install.json");
}

/**
 * The self-contained statusline script (one bundled file, Node built-ins only): built next
 * to the code that installs it, copied by install into the data dir beside the feed file.
 */
export const STATUSLINE_SCRIPT_FILE = "quotacast-statusline.cjs";

export function installedScriptPath(env: Env): string {
  return path.join(path.dirname(feedFilePath(env)), STATUSLINE_SCRIPT_FILE);
}
