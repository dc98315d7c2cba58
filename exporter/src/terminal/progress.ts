/**
 * A progress line on stderr for a long first scan: shown only on a terminal, only once the
 * scan has run for half a second (a warm run never shows it), redrawn at most every 100 ms,
 * and erased when the scan ends so the command's output starts on a clean line.
 */
import type { RefreshProgress } from "@quotacast/core/ingest";
import { STDERR_FD, stdio } from "./stdio";

// The escapes node:readline would write (loading it costs a warm run a few ms).
const TO_LINE_START = "\x1b[1G";
const CLEAR_TO_END = "\x1b[0K";
const CLEAR_LINE = "\x1b[2K";

const SHOW_AFTER_MS = 500;
const REDRAW_EVERY_MS = 100;

export interface ProgressLine {
  update(progress: RefreshProgress): void;
  done(): void;
}

/** Where the line goes: shown only when `isTTY`. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/** stderr, checked and written without building `process.stderr`. */
const STDERR: ProgressStream = {
  get isTTY() {
    return stdio.isTerminal(STDERR_FD);
  },
  write: (text) => stdio.write(STDERR_FD, text),
};

export function transcriptProgress(
  stream: ProgressStream = STDERR,
  nowMs: () => number = Date.now,
): ProgressLine {
  const startedMs = nowMs();
  let lastDrawMs = 0;
  let shown = false;
  // Asked only once the line is due: a warm run never asks (the answer loads node:tty).
  let onTerminal: boolean | null = null;
  return {
    update({ bytesDone, bytesTotal }) {
      const now = nowMs();
      if (now - startedMs < SHOW_AFTER_MS || now - lastDrawMs < REDRAW_EVERY_MS) return;
      onTerminal ??= stream.isTTY === true;
      if (!onTerminal) return;
      lastDrawMs = now;
      shown = true;
      const mb = (bytes: number) => (bytes / 1e6).toFixed(0);
      const percent = bytesTotal > 0 ? Math.floor((bytesDone / bytesTotal) * 100) : 100;
      stream.write(
        `${TO_LINE_START}Reading Claude Code transcripts… ${mb(bytesDone)} of ${mb(bytesTotal)} MB (${percent}%)${CLEAR_TO_END}`,
      );
    },
    done() {
      if (!shown) return;
      stream.write(`${TO_LINE_START}${CLEAR_LINE}`);
    },
  };
}
