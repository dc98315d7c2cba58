/** Atomic file replacement: write a temp file in the same directory, then rename over. */
import * as fs from "node:fs";
import * as path from "node:path";
import { ensurePrivateDir } from "../private-files";

export function writeFileAtomic(file: string, data: string | Buffer, mode?: number): void {
  const dir = path.dirname(file);
  ensurePrivateDir(dir);
  const temp = path.join(
    dir,
    `.${path.basename(file)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`,
  );
  try {
    fs.writeFileSync(temp, data, mode === undefined ? undefined : { mode });
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
