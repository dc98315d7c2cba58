/**
 * A progress line on stderr for a long first scan: shown only on a terminal, only once the
 * scan has run for half a second (a warm run never shows it), redrawn at most every 100 ms,
 * and erased when the scan ends so the command's output starts on a clean line.
 */
import * as readline from "node:readline";
import type { RefreshProgress } from "@quotacast/core/ingest";

const SHOW_AFTER_MS = 500;
const REDRAW_EVERY_MS = 100;

export interface ProgressLine {
  update(progress: RefreshProgress): void;
  done(): void;
}

export function transcriptProgress(
  stream: NodeJS.WriteStream = process.stderr,
  nowMs: () => number = Date.now,
): ProgressLine {
  const startedMs = nowMs();
  let lastDrawMs = 0;
  let shown = false;
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  return {
    update({ bytesDone, bytesTotal }) {
      const now = nowMs();
      if (now - startedMs < SHOW_AFTER_MS || now - lastDrawMs < REDRAW_EVERY_MS) return;
      lastDrawMs = now;
      shown = true;
      const mb = (bytes: number) => (bytes / 1e6).toFixed(0);
      const percent = bytesTotal > 0 ? Math.floor((bytesDone / bytesTotal) * 100) : 100;
      readline.cursorTo(stream, 0);
      stream.write(`Reading Claude Code transcripts… ${mb(bytesDone)} of ${mb(bytesTotal)} MB (${percent}%)`);
      readline.clearLine(stream, 1);
    },
    done() {
      if (!shown) return;
      readline.cursorTo(stream, 0);
      readline.clearLine(stream, 0);
    },
  };
}
