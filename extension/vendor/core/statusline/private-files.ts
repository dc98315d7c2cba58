// Generated from core/src/statusline/private-files.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * quotacast's own files hold projects, sessions and costs: its data dir is 0700 and its
 * files 0600, also when an older version created them wider (fixed on start). Node
 * built-ins only (the statusline hot path uses this).
 */
import * as fs from "node:fs";
import * as path from "node:path";

const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
/** The name of quotacast's data dir (`~/.local/share/quotacast`): only a dir so named is tightened when it exists. */
const DATA_DIR_NAME = "quotacast";

/**
 * Creates `dir` (and missing parents) 0700. An existing dir named `quotacast` is made
 * 0700 and the files in it 0600 (they are all quotacast's); any other existing dir is the
 * user's choice and left as it is.
 */
export function ensurePrivateDir(dir: string): void {
  const created = fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (created !== undefined || path.basename(dir) !== DATA_DIR_NAME) return;
  if (!tighten(dir, PRIVATE_DIR_MODE)) return;
  const files = fs.readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isFile());
  makeFilesPrivate(files.map((entry) => path.join(dir, entry.name)));
}

/** Makes each existing file 0600 (no group or world bits); missing ones are skipped. */
export function makeFilesPrivate(files: readonly string[]): void {
  for (const file of files) tighten(file, PRIVATE_FILE_MODE);
}

/** Takes group and world bits away (a file the owner made even tighter stays so); true when it changed. */
function tighten(file: string, mode: number): boolean {
  let current: number;
  try {
    current = fs.statSync(file).mode & 0o777;
  } catch {
    return false;
  }
  if ((current & 0o077) === 0) return false;
  fs.chmodSync(file, current & mode);
  return true;
}
