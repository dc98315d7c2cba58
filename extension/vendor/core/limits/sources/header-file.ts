// Generated from core/src/limits/sources/header-file.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * Header file source: `<claude config dir>/usage-limits.json` from a BudMon-style
 * interceptor, read when present. Files of other tools' shapes are ignored, with a reason.
 */
import * as path from "node:path";
import { isCurrentReading } from "../snapshot";
import * as z from "zod/mini";
import { sourceStatus, type LimitSource, type PollContext, type SourceDefinition } from "../source";
import { parseHeaderFile } from "../header-file";
import { claudeHomeDir } from "../../ingest/discover";

export const HEADER_FILE_SOURCE = "header-file";
export const HEADER_FILE_DEFAULT_INTERVAL_MS = 15_000;
const DEFAULT_STALE_AFTER_MS = 30 * 60_000;

export const headerFileSourceOptions = z.object({
  enabled: z.optional(z.boolean()),
  /** Default `<config dir>/usage-limits.json`. */
  path: z.optional(z.string()),
  staleAfterMs: z.optional(z.number()),
});
export type HeaderFileSourceConfig = z.infer<typeof headerFileSourceOptions>;

export function headerFilePath(ctx: Pick<PollContext, "env" | "homeDir" | "config">): string {
  return ctx.config.headerFile?.path ?? path.join(claudeHomeDir(ctx.env, ctx.homeDir), "usage-limits.json");
}

function isEnabled(ctx: PollContext): boolean {
  return ctx.config.headerFile?.enabled !== false;
}

export function createHeaderFileSource(): LimitSource {
  let lastSuccessMs: number | null = null;
  return {
    name: HEADER_FILE_SOURCE,
    description: "rate-limit headers saved by a BudMon-style interceptor (~/.claude/usage-limits.json)",
    defaultIntervalMs: HEADER_FILE_DEFAULT_INTERVAL_MS,
    isEnabled,
    async poll(ctx) {
      const nowMs = ctx.clock.nowMs();
      const nextPollAtMs = nowMs + HEADER_FILE_DEFAULT_INTERVAL_MS;
      const status = (
        state: "disabled" | "missing" | "error" | "ok" | "stale",
        message: string,
        bad = false,
      ) => sourceStatus(HEADER_FILE_SOURCE, state, message, lastSuccessMs, bad ? "bad_response" : "none");
      if (!isEnabled(ctx))
        return { snapshot: null, status: status("disabled", "header file source is off"), nextPollAtMs };
      const file = headerFilePath(ctx);
      const text = await ctx.files.readText(file).catch(() => null);
      if (text === null) {
        return { snapshot: null, status: status("missing", `no interceptor file at ${file}`), nextPollAtMs };
      }
      const parsed = parseHeaderFile(text);
      if (!parsed.ok)
        return { snapshot: null, status: status("error", `${file} ${parsed.message}`, true), nextPollAtMs };
      const stat = parsed.updatedAtMs === null ? await ctx.files.stat(file).catch(() => null) : null;
      const observedAtMs = parsed.updatedAtMs ?? stat?.mtimeMs ?? nowMs;
      const windows = parsed.windows
        .map((w) => ({ ...w, source: HEADER_FILE_SOURCE, observedAtMs }))
        .filter((w) => isCurrentReading(w, nowMs));
      lastSuccessMs = observedAtMs;
      const staleAfterMs = ctx.config.headerFile?.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
      const stale = nowMs - observedAtMs > staleAfterMs || windows.length === 0;
      return {
        snapshot: {
          observedAtMs,
          source: HEADER_FILE_SOURCE,
          windows,
          ...(parsed.extraUsage ? { extraUsage: parsed.extraUsage } : {}),
        },
        status: status(
          stale ? "stale" : "ok",
          stale ? `interceptor headers are ${Math.round((nowMs - observedAtMs) / 60_000)} min old` : "ok",
        ),
        nextPollAtMs,
      };
    },
  };
}

export const headerFileSource: SourceDefinition<HeaderFileSourceConfig> = {
  name: HEADER_FILE_SOURCE,
  configKey: "headerFile",
  description: "rate-limit headers saved by a BudMon-style interceptor (~/.claude/usage-limits.json)",
  enabledByDefault: true,
  options: headerFileSourceOptions,
  create: createHeaderFileSource,
};
