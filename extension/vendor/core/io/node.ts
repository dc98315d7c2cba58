// Generated from core/src/io/node.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
import * as fs from "node:fs";
import * as path from "node:path";
import { zoneFromLocaltimeLink, zoneFromTzVariable } from "../time";
import type { FileIdentity, FilePort, HttpPort, HttpResponse } from "./ports";

/**
 * This machine's IANA zone, found the way ICU finds it (`TZ`, then the `/etc/localtime` link)
 * but without loading ICU, whose first use costs 20-30 ms of a 200 ms command. Intl decides
 * when neither names a zone (a POSIX `TZ` rule, a copied localtime file, Windows).
 */
export function systemTimeZone(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TZ !== undefined && env.TZ !== "") return zoneFromTzVariable(env.TZ) ?? intlTimeZone();
  try {
    return zoneFromLocaltimeLink(fs.readlinkSync("/etc/localtime")) ?? intlTimeZone();
  } catch {
    return intlTimeZone();
  }
}

function intlTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/** FilePort on node:fs. Missing files and directories read as absent, never as errors. */
export const nodeFiles: FilePort = {
  async listFiles(dir: string, suffix: string, onUnreadable?: (dir: string) => void): Promise<string[]> {
    const found: string[] = [];
    await collectFiles(dir, suffix, found, onUnreadable);
    return found;
  },

  // Metadata calls are synchronous on purpose: a warm refresh stats thousands of files,
  // and a thread-pool round trip per stat costs several times the stat itself.
  async stat(filePath: string): Promise<FileIdentity | null> {
    const st = fs.statSync(filePath, { throwIfNoEntry: false });
    return st ? { dev: st.dev, ino: st.ino, sizeBytes: st.size, mtimeMs: st.mtimeMs } : null;
  },

  // Synchronous too: a cold scan reads ~1,500 files, and three thread-pool round trips per
  // file (open, read, close) cost more than the reads themselves from the page cache.
  async readRange(filePath: string, start: number, end: number, into?: Buffer): Promise<Buffer> {
    return readRangeSync(filePath, start, end, into);
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

function readRangeSync(filePath: string, start: number, end: number, into?: Buffer): Buffer {
  const length = Math.max(0, end - start);
  const fd = fs.openSync(filePath, "r");
  try {
    // Reusing the caller's buffer matters: a fresh 1 MB buffer per read is fresh memory,
    // and faulting in its pages cost more than the read itself (a cold scan ran 15% faster).
    const buffer =
      into !== undefined && into.length >= length ? into.subarray(0, length) : Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const bytesRead = fs.readSync(fd, buffer, filled, length - filled, start + filled);
      if (bytesRead === 0) break; // the file is shorter than asked
      filled += bytesRead;
    }
    return filled === length ? buffer : buffer.subarray(0, filled);
  } finally {
    fs.closeSync(fd);
  }
}

async function collectFiles(
  dir: string,
  suffix: string,
  found: string[],
  onUnreadable: ((dir: string) => void) | undefined,
): Promise<void> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    // A vanished directory has nothing to list; one that cannot be read is worth a word.
    if (!isMissing(error)) onUnreadable?.(dir);
    return;
  }
  for (const entry of entries) {
    const full = `${dir}${path.sep}${entry.name}`;
    if (entry.isDirectory()) await collectFiles(full, suffix, found, onUnreadable);
    else if ((entry.isFile() || entry.isSymbolicLink()) && entry.name.endsWith(suffix)) found.push(full);
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/**
 * HttpPort on the global fetch, with a hard timeout. Redirects are not followed: every call
 * carries credentials, and fetch would send `x-api-key` on to another origin (it strips
 * only `authorization`). A 3xx comes back to the caller, which reports it.
 */
export const nodeHttp: HttpPort = {
  async get(url: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpResponse> {
    const response = await fetch(url, {
      headers,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      responseHeaders[name] = value;
    });
    return { status: response.status, headers: responseHeaders, bodyText: await response.text(), url };
  },
};
