/**
 * Install and uninstall the statusline feed from the extension, with the CLI's own code (core's
 * installer and command planner): the self-contained statusline script shipped in assets/vendor is
 * copied into the data dir, and settings.json gets a command that runs it with a `node` that
 * stays (never Raycast's own Node, which Raycast replaces on update: execPath null). No Raycast
 * import here, so tests drive it directly.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  installedStatuslineCommand,
  installStatusline,
  isOurCommand,
  uninstallStatusline,
  type Outcome,
} from "../vendor/core/statusline/install";
import { writeFileAtomic } from "../vendor/core/statusline/atomic-write";
import {
  STATUSLINE_SCRIPT_FILE,
  installedScriptPath,
  settingsFilePath,
  type Env,
} from "../vendor/core/statusline/paths";
import {
  checkStatuslineCommand,
  nodeProbe,
  planStatuslineCommand,
  type StatuslineCommandCheck,
} from "../vendor/core/statusline/node-probe";

/** Raycast does not load the shell's PATH: Homebrew's and the usual install places are added. */
const EXTRA_NODE_DIRS = ["/opt/homebrew/bin", "/usr/local/bin"];

export interface FeedEnvOptions {
  env: Env;
  /** The Statusline Feed File preference (empty: the default place). */
  statuslineFeedFile?: string;
  /** The first of the Claude config directories (settings.json lives there). */
  claudeConfigDir?: string;
}

/** The environment the installer sees: the preferences where set, PATH with Homebrew's dirs. */
export function feedEnv(opts: FeedEnvOptions): Env {
  const dirs = (opts.env.PATH ?? "").split(path.delimiter).filter((d) => d !== "");
  const pathEnv = [...dirs, ...EXTRA_NODE_DIRS.filter((d) => !dirs.includes(d))].join(path.delimiter);
  const env: Env = { ...opts.env, PATH: pathEnv };
  if (opts.statuslineFeedFile?.trim()) env.QUOTACAST_STATUSLINE_FILE = opts.statuslineFeedFile.trim();
  if (opts.claudeConfigDir?.trim()) env.CLAUDE_CONFIG_DIR = opts.claudeConfigDir.trim();
  return env;
}

/** The script as built by the repo's package build (assets/vendor: generated, never edited). */
export function scriptAssetPath(assetsPath: string): string {
  return path.join(assetsPath, "vendor", STATUSLINE_SCRIPT_FILE);
}

export type InstallPlan =
  | { ok: true; settingsPath: string; before: string | null; after: string; note: string | null }
  | { ok: false; message: string };

/** What install will write (for the confirmation), without writing anything. */
export function planFeedInstall(env: Env): InstallPlan {
  const plan = planStatuslineCommand({
    scriptPath: installedScriptPath(env),
    pathEnv: env.PATH ?? "",
    execPath: null,
    probe: nodeProbe,
  });
  if (!plan.ok) return { ok: false, message: `${plan.problem}: ${plan.fix}` };
  return {
    ok: true,
    settingsPath: settingsFilePath(env),
    before: installedStatuslineCommand(env),
    after: plan.command,
    note: plan.note,
  };
}

/** Copies the script into the data dir, then installs the planned command. */
export function installFeed(env: Env, scriptAsset: string): Outcome {
  const plan = planFeedInstall(env);
  if (!plan.ok) return { ok: false, message: plan.message };
  let script: Buffer;
  try {
    script = fs.readFileSync(scriptAsset);
  } catch {
    return { ok: false, message: `the statusline script ${scriptAsset} is missing from the extension` };
  }
  writeFileAtomic(installedScriptPath(env), script, 0o644);
  return installStatusline({ env, command: plan.after });
}

export function uninstallFeed(env: Env): Outcome {
  return uninstallStatusline({ env });
}

export type FeedInstallState =
  { installed: false } | { installed: true; command: string; check: StatuslineCommandCheck };

/** Whether quotacast's statusline is in settings.json, and whether Claude Code can still run it. */
export function feedInstallState(env: Env): FeedInstallState {
  const command = installedStatuslineCommand(env);
  if (command === null || !isOurCommand(command)) return { installed: false };
  return {
    installed: true,
    command,
    check: checkStatuslineCommand(command, { pathEnv: env.PATH ?? "", probe: nodeProbe }),
  };
}

/** The confirmation's text: the file and the statusLine command before and after. */
export function installChangeText(plan: Extract<InstallPlan, { ok: true }>): string {
  const lines = [
    `${plan.settingsPath}:`,
    `statusLine.command: ${plan.before === null ? "(none)" : plan.before}`,
    `becomes: ${plan.before !== null && !isOurCommand(plan.before) ? `${plan.after} --wrap <your command>` : plan.after}`,
  ];
  if (plan.note) lines.push(`Note: ${plan.note}`);
  lines.push("A backup is kept; Uninstall restores the file byte for byte.");
  return lines.join("\n");
}
