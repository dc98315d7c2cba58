// Generated from core/src/limits/statusline-command.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * The command Claude Code runs for quotacast's statusline, and whether it can still run.
 *
 * The command is `<node> <script>`: the self-contained statusline script copied into
 * quotacast's data dir, run by a Node that will still be there after npm deletes its npx
 * cache, quotacast is upgraded, or the user switches Node versions. Shared by every front
 * that installs the statusline (the CLI, the Raycast extension); the file system is reached
 * through `CommandProbe` so each supplies its own.
 */
import * as path from "node:path";

export interface CommandProbe {
  /** Whether `file` is an existing file this user can execute. */
  isExecutable(file: string): boolean;
  /** Whether `file` is an existing file this user can read. */
  isReadable(file: string): boolean;
}

/** Places whose programs go away on their own: a version switch, a cache clean, an app update. */
const TRANSIENT_PLACES: Array<{ pattern: RegExp; what: string }> = [
  { pattern: /[\\/]_npx[\\/]/, what: "npx's cache, which npm deletes" },
  { pattern: /[\\/]\.nvm[\\/]versions[\\/]/, what: "an nvm version directory" },
  { pattern: /[\\/](fnm_multishells|node-versions)[\\/]/, what: "an fnm version directory" },
  { pattern: /[\\/]\.volta[\\/]tools[\\/]/, what: "a Volta tool image" },
  { pattern: /[\\/]\.asdf[\\/]installs[\\/]/, what: "an asdf install directory" },
  { pattern: /[\\/]\.nodenv[\\/]versions[\\/]/, what: "a nodenv version directory" },
  { pattern: /[\\/]mise[\\/]installs[\\/]/, what: "a mise install directory" },
  { pattern: /[\\/]n[\\/]versions[\\/]/, what: "an n version directory" },
  { pattern: /\.app[\\/]Contents[\\/]/, what: "an application bundle that updates it (Raycast, an editor)" },
];

/** Why a program at `file` may vanish on its own, or null when its place is stable. */
export function transientPlaceOf(file: string): string | null {
  return TRANSIENT_PLACES.find((place) => place.pattern.test(file))?.what ?? null;
}

/** `s` quoted for `sh -c` (left bare when it has nothing the shell would read). */
function shellQuote(s: string): string {
  return /^[A-Za-z0-9_/.:=+@%-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Splits a command as `sh` would for plain words, '...' and "..." (no expansions). */
function shellWords(command: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (c === "'" || c === '"') {
      const end = command.indexOf(c, i + 1);
      const stop = end === -1 ? command.length : end;
      word = (word ?? "") + command.slice(i + 1, stop).replace(c === '"' ? /\\(["\\$`])/g : /$^/, "$1");
      i = stop;
    } else if (c === "\\" && i + 1 < command.length) {
      word = (word ?? "") + command[++i];
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

/** The first `name` on PATH, as PATH spells it (not resolved: /usr/local/bin/node survives upgrades). */
function findOnPath(name: string, pathEnv: string, probe: CommandProbe): string | null {
  for (const dir of pathEnv.split(path.delimiter)) {
    if (dir === "" || !path.isAbsolute(dir)) continue;
    const candidate = path.join(dir, name);
    if (probe.isExecutable(candidate)) return candidate;
  }
  return null;
}

export type StatuslineCommandPlan =
  | { ok: true; command: string; node: string; note: string | null }
  | { ok: false; problem: string; fix: string };

export interface PlanOptions {
  /** Where the statusline script is installed (the data dir's copy). */
  scriptPath: string;
  /** PATH of the shell the user installs from (Claude Code inherits the same). */
  pathEnv: string;
  /** The Node running the installer: used only when none is on PATH and its place is stable. */
  execPath: string | null;
  probe: CommandProbe;
}

const INSTALL_NODE_FIX =
  "install Node.js 20 or later where it stays (your system's package manager, Homebrew or nodejs.org) so `node` is on your PATH, then run `quotacast statusline install` again";

/**
 * The command to write: the `node` on PATH by its full path when that place is stable;
 * the bare name `node` when the one on PATH is a version manager's (it follows the active
 * version, and is on the PATH Claude Code inherits); else this Node when its place is stable.
 */
export function planStatuslineCommand(opts: PlanOptions): StatuslineCommandPlan {
  const script = shellQuote(opts.scriptPath);
  const onPath = findOnPath("node", opts.pathEnv, opts.probe);
  if (onPath !== null) {
    const transient = transientPlaceOf(onPath);
    if (transient === null)
      return { ok: true, command: `${shellQuote(onPath)} ${script}`, node: onPath, note: null };
    return {
      ok: true,
      command: `node ${script}`,
      node: "node",
      note: `the node on your PATH (${onPath}) is in ${transient}; the statusline runs whichever \`node\` is on PATH when Claude Code starts`,
    };
  }
  if (
    opts.execPath !== null &&
    transientPlaceOf(opts.execPath) === null &&
    opts.probe.isExecutable(opts.execPath)
  )
    return { ok: true, command: `${shellQuote(opts.execPath)} ${script}`, node: opts.execPath, note: null };
  const where =
    opts.execPath === null ? "" : ` and this one (${opts.execPath}) is in ${transientPlaceOf(opts.execPath)}`;
  return { ok: false, problem: `no \`node\` on your PATH${where}`, fix: INSTALL_NODE_FIX };
}

/** `problem` set with `runnable` true: it runs today but will break on its own. */
export interface StatuslineCommandCheck {
  runnable: boolean;
  problem: string | null;
  fix: string | null;
}

const REINSTALL_FIX = "run `quotacast statusline install` again";
const broken = (problem: string, fix: string): StatuslineCommandCheck => ({ runnable: false, problem, fix });

/**
 * Whether Claude Code can still run `command` (as written in settings.json): its program
 * exists (on PATH when bare) and the script it runs is there and not in a place that vanishes.
 */
export function checkStatuslineCommand(
  command: string,
  opts: { pathEnv: string; probe: CommandProbe },
): StatuslineCommandCheck {
  const [program, script] = shellWords(command);
  if (program === undefined) return broken("the command is empty", REINSTALL_FIX);
  if (!path.isAbsolute(program)) {
    if (findOnPath(program, opts.pathEnv, opts.probe) === null)
      return broken(
        `\`${program}\` is not on your PATH`,
        program === "node" ? INSTALL_NODE_FIX : REINSTALL_FIX,
      );
  } else if (!opts.probe.isExecutable(program)) {
    return broken(
      `${program} is gone (removed, moved or upgraded)`,
      `${REINSTALL_FIX} (it picks the node on your PATH)`,
    );
  }
  if (script !== undefined && path.isAbsolute(script)) {
    if (!opts.probe.isReadable(script)) return broken(`${script} is gone`, REINSTALL_FIX);
    const transient = transientPlaceOf(script);
    if (transient !== null)
      return { runnable: true, problem: `${script} is in ${transient}`, fix: REINSTALL_FIX };
  }
  const programPlace = path.isAbsolute(program) ? transientPlaceOf(program) : null;
  if (programPlace !== null)
    return { runnable: true, problem: `${program} is in ${programPlace}`, fix: REINSTALL_FIX };
  return { runnable: true, problem: null, fix: null };
}
