import * as fs from "node:fs";
import * as path from "node:path";
import type { Writable } from "node:stream";

/** Writes chunks to a stream, waiting for `drain` so a large backfill never piles up in memory. */
export async function writeChunks(chunks: Iterable<string>, out: Writable): Promise<void> {
  for (const chunk of chunks) {
    if (!out.write(chunk)) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = (): void => {
          out.off("error", onError);
          resolve();
        };
        const onError = (err: Error): void => {
          out.off("drain", onDrain);
          reject(err);
        };
        out.once("drain", onDrain);
        out.once("error", onError);
      });
    }
  }
}

/**
 * Writes to `FILE.tmp` and renames it over FILE at the end, so an interrupted or failed
 * backfill never leaves a truncated file that promtool would half-import.
 */
export async function writeFileAtomically(filePath: string, chunks: Iterable<string>): Promise<void> {
  const tmpPath = path.join(path.dirname(filePath), `.${path.basename(filePath)}.${process.pid}.tmp`);
  const out = fs.createWriteStream(tmpPath);
  try {
    await new Promise<void>((resolve, reject) => {
      out.once("open", () => resolve());
      out.once("error", reject);
    });
    await writeChunks(chunks, out);
    await new Promise<void>((resolve, reject) =>
      out.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
    fs.renameSync(tmpPath, filePath);
  } catch (err) {
    out.destroy();
    fs.rmSync(tmpPath, { force: true });
    throw err;
  }
}
