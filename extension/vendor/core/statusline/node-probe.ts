// Generated from core/src/statusline/node-probe.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/** The real file checks planStatuslineCommand and checkStatuslineCommand need (node:fs: see atomic-write.ts). */
import * as fs from "node:fs";
import type { CommandProbe } from "../limits/statusline-command";

export const nodeProbe: CommandProbe = {
  isExecutable: (file) => accessible(file, fs.constants.X_OK),
  isReadable: (file) => accessible(file, fs.constants.R_OK),
};

function accessible(file: string, mode: number): boolean {
  try {
    fs.accessSync(file, mode);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export {
  checkStatuslineCommand,
  planStatuslineCommand,
  type StatuslineCommandCheck,
  type StatuslineCommandPlan,
} from "../limits/statusline-command";
