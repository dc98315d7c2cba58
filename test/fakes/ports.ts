/** Small port implementations for tests: a settable clock, fs-backed files, in-memory state, a recording HTTP port. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Clock, FilePort, HttpPort, HttpResponse, StatePort } from "@quotacast/core";

export class ManualClock implements Clock {
  constructor(public now: number) {}
  nowMs(): number {
    return this.now;
  }
  advance(ms: number): void {
    this.now += ms;
  }
}

/** FilePort on the real file system (tests point it at a temp dir). */
export function fsFilePort(): FilePort {
  return {
    async listFiles(dir: string, suffix: string): Promise<string[]> {
      const out: string[] = [];
      const walk = async (d: string): Promise<void> => {
        const entries = await fs.promises.readdir(d, { withFileTypes: true }).catch(() => []);
        for (const e of entries) {
          const p = path.join(d, e.name);
          if (e.isDirectory()) await walk(p);
          else if (e.name.endsWith(suffix)) out.push(p);
        }
      };
      await walk(dir);
      return out;
    },
    async stat(p: string) {
      const s = await fs.promises.stat(p).catch(() => null);
      return s ? { dev: s.dev, ino: s.ino, sizeBytes: s.size, mtimeMs: s.mtimeMs } : null;
    },
    async readRange(p: string, start: number, end: number): Promise<Buffer> {
      const handle = await fs.promises.open(p, "r");
      try {
        const buffer = Buffer.alloc(end - start);
        const { bytesRead } = await handle.read(buffer, 0, end - start, start);
        return buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
    async readText(p: string): Promise<string | null> {
      return fs.promises.readFile(p, "utf8").catch(() => null);
    },
  };
}

export class MemoryState implements StatePort {
  readonly values = new Map<string, string>();
  async load(key: string): Promise<string | null> {
    return this.values.get(key) ?? null;
  }
  async save(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }
}

/** Wraps an HttpPort and records every call (URL and headers), to assert where credentials went. */
export function recordingHttpPort(inner: HttpPort): HttpPort & {
  calls: Array<{ url: string; headers: Record<string, string> }>;
} {
  const calls: Array<{ url: string; headers: Record<string, string> }> = [];
  return {
    calls,
    get(url: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpResponse> {
      calls.push({ url, headers: { ...headers } });
      return inner.get(url, headers, timeoutMs);
    },
  };
}

export function tempDir(prefix = "quotacast-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
