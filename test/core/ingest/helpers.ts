import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { FilePort } from "@quotacast/core";

/** Shared helpers for transcript tests: a temp config dir and transcript lines built by code. */

export interface AssistantLineOptions {
  /** null: no `message.id` on the line. */
  id?: string | null;
  /** null: no `requestId` on the line. */
  requestId?: string | null;
  timestamp?: string;
  model?: string | null;
  input?: number;
  output?: number;
  cacheWrite?: number;
  cacheWrite1h?: number;
  cacheRead?: number;
  sidechain?: boolean;
  speed?: "standard" | "fast";
  sessionId?: string | null;
  extra?: Record<string, unknown>;
}

/** One assistant line as Claude Code writes it (compact JSON, `message.usage`). */
export function assistantLine(o: AssistantLineOptions = {}): string {
  const usage: Record<string, unknown> = {
    input_tokens: o.input ?? 10,
    output_tokens: o.output ?? 5,
    cache_creation_input_tokens: o.cacheWrite ?? 0,
    cache_read_input_tokens: o.cacheRead ?? 0,
  };
  if (o.cacheWrite1h !== undefined) {
    usage.cache_creation = {
      ephemeral_5m_input_tokens: (o.cacheWrite ?? 0) - o.cacheWrite1h,
      ephemeral_1h_input_tokens: o.cacheWrite1h,
    };
  }
  if (o.speed) usage.speed = o.speed;
  const message: Record<string, unknown> = {
    model: o.model === undefined ? "claude-sonnet-4-5-20250929" : o.model,
    role: "assistant",
    content: [{ type: "text", text: "ok" }],
    usage,
  };
  // null leaves the field out (a line without message.id / requestId).
  if (o.id !== null) message.id = o.id ?? "msg_1";
  const line: Record<string, unknown> = {
    type: "assistant",
    timestamp: o.timestamp ?? "2026-11-20T10:00:00.000Z",
    sessionId: o.sessionId === undefined ? "session-1" : o.sessionId,
    isSidechain: o.sidechain ?? false,
    message,
    ...o.extra,
  };
  if (o.requestId !== null) line.requestId = o.requestId ?? "req_1";
  return JSON.stringify(dropUndefined(line));
}

/** A user line carrying `text` (tool results can make these huge). */
export function userLine(text: string): string {
  return JSON.stringify({
    type: "user",
    timestamp: "2026-11-20T10:00:00.000Z",
    message: { role: "user", content: [{ type: "tool_result", content: text }] },
  });
}

function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

export interface TempConfig {
  configDir: string;
  /** Path of `projects/<project>/<session>.jsonl` (or a nested path given as `rel`). */
  transcript(project: string, rel: string): string;
  write(project: string, rel: string, lines: string[], opts?: { trailingNewline?: boolean }): string;
  append(file: string, text: string): void;
  cleanup(): void;
}

export function tempConfig(): TempConfig {
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), "quotacast-ingest-"));
  fs.mkdirSync(path.join(configDir, "projects"));
  const transcript = (project: string, rel: string): string => path.join(configDir, "projects", project, rel);
  return {
    configDir,
    transcript,
    write(project, rel, lines, opts = {}) {
      const file = transcript(project, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const body = lines.join("\n") + (opts.trailingNewline === false || lines.length === 0 ? "" : "\n");
      fs.writeFileSync(file, body);
      return file;
    },
    append(file, text) {
      fs.appendFileSync(file, text);
    },
    cleanup() {
      fs.rmSync(configDir, { recursive: true, force: true });
    },
  };
}

/** A FilePort that delegates to another and fails on the paths given (an unreadable file). */
export function failingFiles(inner: FilePort, failOn: (filePath: string) => boolean): FilePort {
  return {
    listFiles: (dir, suffix) => inner.listFiles(dir, suffix),
    stat: (p) => inner.stat(p),
    readRange: (p, start, end) =>
      failOn(p) ? Promise.reject(new Error(`EACCES: ${p}`)) : inner.readRange(p, start, end),
    readText: (p) => inner.readText(p),
  };
}

/** A FilePort that records how many bytes were read. */
export function countingFiles(inner: FilePort): FilePort & { bytesRead: number; reads: number } {
  const port = {
    bytesRead: 0,
    reads: 0,
    listFiles: (dir: string, suffix: string) => inner.listFiles(dir, suffix),
    stat: (p: string) => inner.stat(p),
    readRange: async (p: string, start: number, end: number) => {
      const buffer = await inner.readRange(p, start, end);
      port.bytesRead += buffer.length;
      port.reads += 1;
      return buffer;
    },
    readText: (p: string) => inner.readText(p),
  };
  return port;
}

export function sumTokens<
  T extends {
    inputTokens: number;
    outputTokens: number;
    cacheCreationTokens: number;
    cacheReadTokens: number;
  },
>(events: T[]): { input: number; output: number; cacheWrite: number; cacheRead: number } {
  return events.reduce(
    (acc, e) => ({
      input: acc.input + e.inputTokens,
      output: acc.output + e.outputTokens,
      cacheWrite: acc.cacheWrite + e.cacheCreationTokens,
      cacheRead: acc.cacheRead + e.cacheReadTokens,
    }),
    { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 },
  );
}
