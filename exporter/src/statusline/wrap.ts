/**
 * Running the user's own statusline command that ours wraps: same stdin, its output first,
 * bounded in time and size. Loaded only when there is a command to wrap.
 */
import { spawn } from "node:child_process";

const WRAPPED_TIMEOUT_MS = 1000;
const MAX_OUTPUT_BYTES = 64 * 1024;

/**
 * The wrapped command's stdout (trailing newlines trimmed); '' when it fails or is too slow.
 * @public (commands/statusline.ts loads this module with a lazy `require`, which knip does not follow)
 */
export function runWrappedCommand(
  command: string,
  stdin: Buffer,
  timeoutMs = WRAPPED_TIMEOUT_MS,
): Promise<string> {
  return new Promise((resolve) => {
    let output = "";
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(output.replace(/\s+$/, ""));
    };
    let child: ReturnType<typeof spawn>;
    try {
      // Its own process group, so a timeout can stop the shell and everything it started.
      child = spawn(command, {
        shell: true,
        stdio: ["pipe", "pipe", "ignore"],
        windowsHide: true,
        detached: process.platform !== "win32",
      });
    } catch {
      resolve("");
      return;
    }
    const timer = setTimeout(() => {
      stopAll(child);
      finish();
    }, timeoutMs);
    child.stdout?.on("data", (chunk: Buffer) => {
      if (output.length < MAX_OUTPUT_BYTES) output += chunk.toString("utf8");
    });
    child.on("error", finish);
    child.on("close", finish);
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(stdin);
  });
}

function stopAll(child: ReturnType<typeof spawn>): void {
  try {
    if (child.pid !== undefined && process.platform !== "win32") process.kill(-child.pid, "SIGKILL");
    else child.kill("SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
  // Our process must be free to exit even if a grandchild still holds the pipe.
  child.stdout?.destroy();
  child.stdin?.destroy();
  child.unref();
}
