// Generated from core/src/ingest/discover.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface DiscoverOptions {
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  /** Whether `<dir>/projects` exists; defaults to a synchronous stat. */
  hasProjectsDir?: (configDir: string) => boolean;
}

/**
 * Claude Code config directories that hold transcripts (`projects/`), in the order the
 * reference gives: every entry of CLAUDE_CONFIG_DIR (comma list, trimmed, `~` expanded;
 * when set, only these), otherwise $XDG_CONFIG_HOME/claude (default ~/.config/claude)
 * and ~/.claude.
 */
export function claudeConfigDirs(opts: DiscoverOptions = {}): string[] {
  const env = opts.env ?? process.env;
  const home = opts.homeDir ?? os.homedir();
  const hasProjects = opts.hasProjectsDir ?? projectsDirExists;
  return unique(candidateConfigDirs(env, home)).filter(hasProjects);
}

/** Candidate dirs before the `projects/` check. */
export function candidateConfigDirs(env: NodeJS.ProcessEnv, home: string): string[] {
  const configured = (env.CLAUDE_CONFIG_DIR ?? "").trim();
  if (configured !== "") {
    return configured
      .split(",")
      .map((entry) => entry.trim())
      .filter((entry) => entry !== "")
      .map((entry) => path.resolve(expandHome(entry, home)));
  }
  const xdg = (env.XDG_CONFIG_HOME ?? "").trim();
  const xdgBase = xdg !== "" ? expandHome(xdg, home) : path.join(home, ".config");
  return [path.resolve(xdgBase, "claude"), path.resolve(home, ".claude")];
}

/** Claude Code's own config dir: the first entry of CLAUDE_CONFIG_DIR, else `~/.claude`. */
export function claudeHomeDir(env: Readonly<Record<string, string | undefined>>, home: string): string {
  const first = (env.CLAUDE_CONFIG_DIR ?? "")
    .split(",")
    .map((s) => s.trim())
    .find((s) => s !== "");
  return first ? path.resolve(expandHome(first, home)) : path.join(home, ".claude");
}

/** `projects/` under a config dir: where transcripts live. */
export function projectsDir(configDir: string): string {
  return path.join(configDir, "projects");
}

/**
 * Project and session of a transcript path: project = first segment under `projects/`;
 * session = the file stem for `projects/P/S.jsonl`, the session directory for nested files
 * such as `projects/P/S/subagents/agent-x.jsonl`.
 */
export function transcriptOrigin(
  configDir: string,
  filePath: string,
): { project: string; sessionId: string } {
  // A listed path starts with the projects dir as written, and then slicing that off gives
  // what path.relative gives, without resolving both paths (~15 µs, 20 ms of a cold scan).
  const listedPrefix = `${configDir}${path.sep}projects${path.sep}`;
  const rest = filePath.startsWith(listedPrefix) ? filePath.slice(listedPrefix.length) : null;
  const relative =
    rest !== null && !DOT_SEGMENT.test(rest) ? rest : path.relative(projectsDir(configDir), filePath);
  const segments = relative.split(/[\\/]+/).filter((s) => s !== "");
  const project = segments[0] ?? "";
  if (segments.length <= 2) {
    const fileName = segments[segments.length - 1] ?? "";
    return { project, sessionId: fileName.replace(/\.jsonl$/, "") };
  }
  return { project, sessionId: segments[1] };
}

/** A `.` or `..` segment, which path.relative would resolve. */
const DOT_SEGMENT = /(^|[\\/])\.\.?([\\/]|$)/;

function expandHome(entry: string, home: string): string {
  if (entry === "~") return home;
  if (entry.startsWith("~/") || entry.startsWith("~\\")) return path.join(home, entry.slice(2));
  return entry;
}

function projectsDirExists(configDir: string): boolean {
  try {
    return fs.statSync(projectsDir(configDir)).isDirectory();
  } catch {
    return false;
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
