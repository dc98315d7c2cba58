/** Small port implementations for tests: a settable clock, in-memory state, a recording HTTP port. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  nodeFiles,
  nodeHttp,
  systemClock,
  type Clock,
  type HttpPort,
  type HttpResponse,
  type PollContext,
  type StatePort,
} from "@quotacast/core";

export class ManualClock implements Clock {
  constructor(public now: number) {}
  nowMs(): number {
    return this.now;
  }
  advance(ms: number): void {
    this.now += ms;
  }
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

/** A poll context on the real clock, files and HTTP (sources aimed at a fake server by `config`). */
export function realPollContext(
  homeDir: string,
  config: PollContext["config"],
  env: PollContext["env"] = {},
): PollContext {
  return { clock: systemClock, files: nodeFiles, http: nodeHttp, env, homeDir, config, version: "test" };
}
