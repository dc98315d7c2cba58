/** Runs a command's `run` in-process and captures what it writes to stdout or stderr. */
async function capture(
  stream: NodeJS.WriteStream,
  fn: () => Promise<number>,
): Promise<{ code: number; text: string }> {
  const chunks: string[] = [];
  const spy = jest.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    return { code: await fn(), text: chunks.join("") };
  } finally {
    spy.mockRestore();
  }
}

export async function captureStdout(fn: () => Promise<number>): Promise<{ code: number; stdout: string }> {
  const { code, text } = await capture(process.stdout, fn);
  return { code, stdout: text };
}

export async function captureStderr(fn: () => Promise<number>): Promise<{ code: number; stderr: string }> {
  const { code, text } = await capture(process.stderr, fn);
  return { code, stderr: text };
}
