// Generated from core/src/limits/file-source.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * What the sources that read a local file (the statusline feed, the interceptor's header
 * file) share: on unless turned off, "missing" until the file exists, "error" for a file that
 * cannot be used, and readings that are "ok" or "stale" by their age. Each says how to find
 * its file and what it makes of the text.
 */
import * as v from "valibot";
import type { ExtraUsage, SourceName, WindowReading } from "./snapshot";
import {
  sourceStatus,
  type ErrorReason,
  type LimitSource,
  type PollContext,
  type SourceState,
} from "./source";

const FILE_SOURCE_INTERVAL_MS = 15_000;
const DEFAULT_STALE_AFTER_MS = 30 * 60_000;

/** Option entries of a file source's schema; each source adds where its file is. */
export const FILE_SOURCE_OPTIONS = {
  /** Default true. */
  enabled: v.optional(v.boolean()),
  /** Readings older than this are reported as stale. Default 30 minutes. */
  staleAfterMs: v.optional(v.number()),
};

/** What a file source made of its file: a snapshot's parts, or why there is none. */
export type FileReading =
  | { ok: true; observedAtMs: number; windows: WindowReading[]; extraUsage?: ExtraUsage }
  | { ok: false; state: Extract<SourceState, "missing" | "error">; message: string; reason: ErrorReason };

export interface FileSourceSpec {
  name: SourceName;
  description: string;
  /** Its section of `LimitsConfig`. */
  options(ctx: PollContext): { enabled?: boolean; staleAfterMs?: number } | undefined;
  filePath(ctx: PollContext): string;
  messages: { off: string; missing(file: string): string; stale(ageMinutes: number): string };
  /** The file's text as readings (each already current at `ctx.clock.nowMs()`), or why not. */
  read(text: string, file: string, ctx: PollContext): Promise<FileReading>;
}

export function createFileSource(spec: FileSourceSpec): LimitSource {
  const isEnabled = (ctx: PollContext) => spec.options(ctx)?.enabled !== false;
  let lastSuccessMs: number | null = null;
  return {
    name: spec.name,
    description: spec.description,
    defaultIntervalMs: FILE_SOURCE_INTERVAL_MS,
    isEnabled,
    async poll(ctx) {
      const nowMs = ctx.clock.nowMs();
      const nextPollAtMs = nowMs + FILE_SOURCE_INTERVAL_MS;
      const none = (state: SourceState, message: string, reason: ErrorReason = "none") => ({
        snapshot: null,
        status: sourceStatus(spec.name, state, message, lastSuccessMs, reason),
        nextPollAtMs,
      });
      if (!isEnabled(ctx)) return none("disabled", spec.messages.off);
      const file = spec.filePath(ctx);
      const text = await ctx.files.readText(file).catch(() => null);
      if (text === null) return none("missing", spec.messages.missing(file));
      const reading = await spec.read(text, file, ctx);
      if (!reading.ok) return none(reading.state, reading.message, reading.reason);
      const { observedAtMs, windows, extraUsage } = reading;
      lastSuccessMs = observedAtMs;
      const ageMs = nowMs - observedAtMs;
      const staleAfterMs = spec.options(ctx)?.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
      const stale = ageMs > staleAfterMs || windows.length === 0;
      return {
        snapshot: { observedAtMs, source: spec.name, windows, ...(extraUsage ? { extraUsage } : {}) },
        status: sourceStatus(
          spec.name,
          stale ? "stale" : "ok",
          stale ? spec.messages.stale(Math.round(ageMs / 60_000)) : "ok",
          lastSuccessMs,
        ),
        nextPollAtMs,
      };
    },
  };
}
