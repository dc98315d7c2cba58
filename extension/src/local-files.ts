/**
 * The extension's FilePort: core's node one, with text read synchronously. Every menu-bar run is
 * a fresh process reading a few small files (the feed, the header file, its own state), and its
 * first asynchronous file call would start libuv's thread pool, which costs more than those
 * reads; so no file call of a run is asynchronous.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { nodeFiles, type FilePort } from "../vendor/core/io";

/** A file or directory that is not there (as core's node FilePort reads it: absent, not an error). */
function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/** The file's text; null when it does not exist. */
export function readTextSync(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/**
 * The `<suffix>` files and the directories directly in `dir`, spelled as core's lister spells
 * paths (so cursors match); none when `dir` is missing, `onUnreadable` when it cannot be read.
 */
export function dirEntries(
  dir: string,
  suffix: string,
  onUnreadable?: (dir: string) => void,
): { files: string[]; dirs: string[] } {
  const listed = { files: [] as string[], dirs: [] as string[] };
  let entries: fs.Dirent[] = [];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if (!isMissing(error)) onUnreadable?.(dir);
  }
  for (const entry of entries) {
    const full = `${dir}${path.sep}${entry.name}`;
    if (entry.isDirectory()) listed.dirs.push(full);
    else if (entry.name.endsWith(suffix) && (entry.isFile() || entry.isSymbolicLink())) listed.files.push(full);
  }
  return listed;
}

export const localFiles: FilePort = { ...nodeFiles, readText: async (file) => readTextSync(file) };
