// Generated from core/src/limits/sources/header-file.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * Header file source: `<claude config dir>/usage-limits.json` from a BudMon-style
 * interceptor, read when present. Files of other tools' shapes are ignored, with a reason.
 */
import * as path from "node:path";
import * as v from "valibot";
import { isCurrentReading } from "../snapshot";
import type { PollContext, SourceDefinition } from "../source";
import { createFileSource, FILE_SOURCE_OPTIONS } from "../file-source";
import { parseHeaderFile } from "../header-file";
import { claudeHomeDir } from "../../ingest/discover";

export const HEADER_FILE_SOURCE = "header-file";

const headerFileSourceOptions = v.object({
  ...FILE_SOURCE_OPTIONS,
  /** Default `<config dir>/usage-limits.json`. */
  path: v.optional(v.string()),
});
export type HeaderFileSourceConfig = v.InferOutput<typeof headerFileSourceOptions>;

function headerFilePath(ctx: Pick<PollContext, "env" | "homeDir" | "config">): string {
  return ctx.config.headerFile?.path ?? path.join(claudeHomeDir(ctx.env, ctx.homeDir), "usage-limits.json");
}

export function createHeaderFileSource() {
  return createFileSource({
    name: HEADER_FILE_SOURCE,
    description: "rate-limit headers saved by a BudMon-style interceptor (~/.claude/usage-limits.json)",
    options: (ctx) => ctx.config.headerFile,
    filePath: headerFilePath,
    messages: {
      off: "header file source is off",
      missing: (file) => `no interceptor file at ${file}`,
      stale: (ageMinutes) => `interceptor headers are ${ageMinutes} min old`,
    },
    async read(text, file, ctx) {
      const parsed = parseHeaderFile(text, file);
      if (!parsed.ok) return { ok: false, state: "error", message: parsed.message, reason: "bad_response" };
      const { updatedAtMs, windows, extraUsage } = parsed.value;
      const nowMs = ctx.clock.nowMs();
      // Without `updated_at`, the file's own modification time.
      const stat = updatedAtMs === null ? await ctx.files.stat(file).catch(() => null) : null;
      const observedAtMs = updatedAtMs ?? stat?.mtimeMs ?? nowMs;
      return {
        ok: true,
        observedAtMs,
        windows: windows
          .map((w) => ({ ...w, source: HEADER_FILE_SOURCE, observedAtMs }))
          .filter((w) => isCurrentReading(w, nowMs)),
        ...(extraUsage ? { extraUsage } : {}),
      };
    },
  });
}

export const headerFileSource: SourceDefinition<HeaderFileSourceConfig> = {
  name: HEADER_FILE_SOURCE,
  configKey: "headerFile",
  description: "rate-limit headers saved by a BudMon-style interceptor (~/.claude/usage-limits.json)",
  enabledByDefault: true,
  options: headerFileSourceOptions,
  create: createHeaderFileSource,
};
