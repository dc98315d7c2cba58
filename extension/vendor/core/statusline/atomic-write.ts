// Generated from core/src/statusline/atomic-write.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * Atomic file replacement: write a temp file in the same directory, then rename over.
 * core/src/statusline/ uses node:fs directly (not core's ports): it is the installer and the
 * statusline hot path shared by the CLI and the Raycast extension, both local Node programs
 * editing local files, and the hot path must load nothing beyond Node's built-ins.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ensurePrivateDir } from "./private-files";

/**
 * Replaces `file` with `data`. `mode` is the new file's mode (default 0666 less the umask);
 * `owner`, when given, is set on the temp file before the rename (EPERM when not allowed).
 */
export function writeFileAtomic(
  file: string,
  data: string | Buffer,
  mode?: number,
  owner?: { uid: number; gid: number },
): void {
  const dir = path.dirname(file);
  ensurePrivateDir(dir);
  const temp = path.join(
    dir,
    `.${path.basename(file)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`,
  );
  try {
    fs.writeFileSync(temp, data, mode === undefined ? undefined : { mode });
    // The umask may have taken bits away from the mode asked for.
    if (mode !== undefined) fs.chmodSync(temp, mode);
    if (owner !== undefined) fs.chownSync(temp, owner.uid, owner.gid);
    fs.renameSync(temp, file);
  } catch (err) {
    try {
      fs.unlinkSync(temp);
    } catch {
      // nothing left behind
    }
    throw err;
  }
}
