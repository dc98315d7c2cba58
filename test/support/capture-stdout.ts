import { STDERR_FD, STDOUT_FD, stdio } from "../../exporter/src/terminal/stdio";

/**
 * Runs a command's `run` in-process and captures what it writes to stdout and stderr, through
 * their streams or straight to their descriptors (terminal/stdio.ts).
 */
export async function captureOutput(
  fn: () => Promise<number>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const written: Record<number, string[]> = { [STDOUT_FD]: [], [STDERR_FD]: [] };
  const spies = [
    jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      written[STDOUT_FD].push(String(chunk));
      return true;
    }),
    jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      written[STDERR_FD].push(String(chunk));
      return true;
    }),
    jest.spyOn(stdio, "write").mockImplementation((fd, text) => {
      written[fd].push(text);
    }),
  ];
  try {
    const code = await fn();
    return { code, stdout: written[STDOUT_FD].join(""), stderr: written[STDERR_FD].join("") };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

export async function captureStdout(fn: () => Promise<number>): Promise<{ code: number; stdout: string }> {
  const { code, stdout } = await captureOutput(fn);
  return { code, stdout };
}

export async function captureStderr(fn: () => Promise<number>): Promise<{ code: number; stderr: string }> {
  const { code, stderr } = await captureOutput(fn);
  return { code, stderr };
}
