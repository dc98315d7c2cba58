/** Reading Claude Code's payload from stdin, bounded in size and time (fail open). */
import type { Readable } from "node:stream";

const MAX_STDIN_BYTES = 1024 * 1024;
const STDIN_TIMEOUT_MS = 1000;

/** The whole input, or null when it did not arrive in time, was too large, or stdin is a terminal. */
export function readStdinBounded(
  input: Readable & { isTTY?: boolean },
  maxBytes = MAX_STDIN_BYTES,
  timeoutMs = STDIN_TIMEOUT_MS,
): Promise<Buffer | null> {
  if (input.isTTY) return Promise.resolve(null);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (value: Buffer | null) => {
      if (done) return;
      done = true;
      clearImmediate(arming);
      if (timer !== undefined) clearTimeout(timer);
      input.removeListener("data", onData);
      input.removeListener("end", onEnd);
      input.removeListener("error", onError);
      input.pause();
      if (value === null && typeof (input as { destroy?: () => void }).destroy === "function")
        input.destroy();
      resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > maxBytes) return finish(null);
      chunks.push(buffer);
    };
    const onEnd = () => finish(Buffer.concat(chunks));
    const onError = () => finish(null);
    // Counted from the event loop's first turn: a process starved for CPU at its start (many
    // statuslines starting at once) has read input already written by then.
    let timer: NodeJS.Timeout | undefined;
    const arming = setImmediate(() => {
      if (!done) timer = setTimeout(() => finish(null), timeoutMs);
    });
    input.on("data", onData);
    input.on("end", onEnd);
    input.on("error", onError);
  });
}
