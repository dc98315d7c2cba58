/**
 * Output of the one-shot commands straight to file descriptors 1 and 2. Touching
 * `process.stdout` builds a stream (for a pipe a net.Socket): about twenty internal modules,
 * several ms of a 200 ms warm `daily`. These write the whole text synchronously, as Node does
 * for files and pipes anyway.
 */
import * as fs from "node:fs";

export const STDOUT_FD = 1;
export const STDERR_FD = 2;

/** One object, so that in-process tests can capture what the commands write. */
export const stdio = {
  /** Whether `fd` is a terminal, without building its stream. */
  isTerminal(fd: number): boolean {
    // Only a character device can be a terminal: a pipe or a file is told apart by fstat, without
    // node:tty, which loads node:net and its streams (~15 ms of a first `daily` into a pipe).
    try {
      if (!fs.fstatSync(fd).isCharacterDevice()) return false;
    } catch {
      return false; // not open: not a terminal either
    }
    return (require("node:tty") as typeof import("node:tty")).isatty(fd);
  },

  /**
   * Writes all of `text`. A reader that went away (`quotacast daily | head`) ends the output
   * quietly; a non-blocking descriptor that is full is waited on, a millisecond at a time.
   */
  write(fd: number, text: string): void {
    const bytes = Buffer.from(text, "utf8");
    let offset = 0;
    while (offset < bytes.length) {
      try {
        offset += fs.writeSync(fd, bytes, offset);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EPIPE") return;
        if (code !== "EAGAIN") throw error;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      }
    }
  },
};
