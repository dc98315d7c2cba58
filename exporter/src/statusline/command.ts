/**
 * What `quotacast statusline install` writes into settings.json, and `statusline status`:
 * the self-contained statusline script is copied into the data dir (a rerun refreshes it),
 * and the command runs it with a Node that stays (core's planStatuslineCommand).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  checkStatuslineCommand,
  nodeProbe,
  planStatuslineCommand,
  type StatuslineCommandCheck,
  type StatuslineCommandPlan,
} from "@quotacast/core/statusline/node-probe";
import { writeFileAtomic } from "@quotacast/core/statusline/atomic-write";
import { installedScriptPath, STATUSLINE_SCRIPT_FILE, type Env } from "@quotacast/core/statusline/paths";

/** The bundled script shipped next to this code (the package's dist/, or exporter/dist/statusline after `npm run build`). */
function bundledScriptPath(): string {
  return path.join(__dirname, STATUSLINE_SCRIPT_FILE);
}

interface PrepareOptions {
  env: Env;
  /** The script to copy; default the one shipped with this quotacast. */
  scriptSource?: string;
  /** The Node running quotacast (tests replace it). */
  execPath?: string | null;
}

/** Copies the script into the data dir and plans the command that runs it. Writes nothing else. */
export function prepareStatuslineCommand(opts: PrepareOptions): StatuslineCommandPlan {
  const source = opts.scriptSource ?? bundledScriptPath();
  let script: Buffer;
  try {
    script = fs.readFileSync(source);
  } catch {
    return {
      ok: false,
      problem: `the statusline script ${source} is missing`,
      fix: "run `npm run build` in a checkout, or reinstall quotacast",
    };
  }
  const target = installedScriptPath(opts.env);
  writeFileAtomic(target, script, 0o644);
  return planStatuslineCommand({
    scriptPath: target,
    pathEnv: opts.env.PATH ?? "",
    execPath: opts.execPath === undefined ? process.execPath : opts.execPath,
    probe: nodeProbe,
  });
}

/** @public (commands/statusline.ts loads this module with a lazy `require`, which knip does not follow) */
export function checkInstalledCommand(env: Env, command: string): StatuslineCommandCheck {
  return checkStatuslineCommand(command, { pathEnv: env.PATH ?? "", probe: nodeProbe });
}
