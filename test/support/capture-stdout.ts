/** Runs a command's `run` in-process and captures what it writes to stdout. */
export async function captureStdout(fn: () => Promise<number>): Promise<{ code: number; stdout: string }> {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    return { code: await fn(), stdout: chunks.join("") };
  } finally {
    spy.mockRestore();
  }
}
