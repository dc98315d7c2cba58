import * as fs from "node:fs";
import * as path from "node:path";
import type { FileIdentity, FilePort, HttpPort, HttpResponse } from "./ports";

/** FilePort on node:fs. Missing files and directories read as absent, never as errors. */
export const nodeFiles: FilePort = {
  async listFiles(dir: string, suffix: string): Promise<string[]> {
    const found: string[] = [];
    await collectFiles(dir, suffix, found);
    return found;
  },

  async stat(filePath: string): Promise<FileIdentity | null> {
    try {
      const st = await fs.promises.stat(filePath);
      return { dev: st.dev, ino: st.ino, sizeBytes: st.size, mtimeMs: st.mtimeMs };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  },

  async readRange(filePath: string, start: number, end: number): Promise<Buffer> {
    const length = Math.max(0, end - start);
    const handle = await fs.promises.open(filePath, "r");
    try {
      const buffer = Buffer.allocUnsafe(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(buffer, filled, length - filled, start + filled);
        if (bytesRead === 0) break; // the file is shorter than asked
        filled += bytesRead;
      }
      return filled === length ? buffer : buffer.subarray(0, filled);
    } finally {
      await handle.close();
    }
  },

  async readText(filePath: string): Promise<string | null> {
    try {
      return await fs.promises.readFile(filePath, "utf8");
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  },
};

async function collectFiles(dir: string, suffix: string, found: string[]): Promise<void> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true });
  } catch {
    return; // vanished or unreadable directory: nothing to list
  }
  const subdirs: string[] = [];
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) subdirs.push(full);
    else if ((entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith(suffix)) found.push(full);
  }
  await Promise.all(subdirs.map((sub) => collectFiles(sub, suffix, found)));
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/** HttpPort on the global fetch, with a hard timeout. */
export const nodeHttp: HttpPort = {
  async get(url: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpResponse> {
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      responseHeaders[name] = value;
    });
    return { status: response.status, headers: responseHeaders, bodyText: await response.text() };
  },
};
