// Generated from core/src/limits/sources/statusline.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * Statusline feed source (default, no credentials): reads the file that
 * `quotacast statusline` keeps up to date on every Claude Code update.
 */
import * as path from "node:path";
import * as v from "valibot";
import { isCurrentReading, readingAfterReset } from "../snapshot";
import type { PollContext, SourceDefinition } from "../source";
import { createFileSource, FILE_SOURCE_OPTIONS } from "../file-source";
import { parseStatuslineFeed, statuslineRateLimitsToReadings } from "../statusline-feed";
import { describeIssue } from "../../schema";

export const STATUSLINE_SOURCE = "statusline";

const statuslineSourceOptions = v.object({
  ...FILE_SOURCE_OPTIONS,
  /** Default `~/.local/share/quotacast/statusline.json` (env `QUOTACAST_STATUSLINE_FILE`). */
  feedFile: v.optional(v.string()),
});
export type StatuslineSourceConfig = v.InferOutput<typeof statuslineSourceOptions>;

/**
 * Feed file path: `QUOTACAST_STATUSLINE_FILE`, the config, or
 * `$XDG_DATA_HOME/quotacast/statusline.json` (default `~/.local/share/...`). The
 * statusline command (exporter/src/statusline/paths.ts) follows the same rule.
 */
export function statuslineFeedPath(ctx: Pick<PollContext, "env" | "homeDir" | "config">): string {
  const fromEnv = ctx.env.QUOTACAST_STATUSLINE_FILE?.trim();
  if (fromEnv) return fromEnv;
  const xdg = ctx.env.XDG_DATA_HOME?.trim() ?? "";
  const dataDir = xdg !== "" && path.isAbsolute(xdg) ? xdg : path.join(ctx.homeDir, ".local", "share");
  return ctx.config.statusline?.feedFile ?? path.join(dataDir, "quotacast", "statusline.json");
}

export function createStatuslineSource() {
  return createFileSource({
    name: STATUSLINE_SOURCE,
    description: "Claude Code's statusline JSON, saved by `quotacast statusline` (default, no credentials)",
    options: (ctx) => ctx.config.statusline,
    filePath: statuslineFeedPath,
    messages: {
      off: "statusline feed is off",
      missing: (file) =>
        `no statusline feed at ${file} yet: run 'quotacast statusline install', then use Claude Code`,
      stale: (ageMinutes) => `last rate limits from Claude Code are ${ageMinutes} min old`,
    },
    async read(text, file, ctx) {
      const parsed = parseStatuslineFeed(text, file);
      if (!parsed.ok) {
        const why = parsed.issue
          ? describeIssue(`${file} is not a quotacast statusline feed`, parsed.issue)
          : parsed.message;
        return {
          ok: false,
          state: "error",
          message: `${why}; it will be replaced on the next update`,
          reason: "bad_response",
        };
      }
      const feed = parsed.value;
      if (feed.rateLimits === null || feed.rateLimitsObservedAtMs === null) {
        const message =
          "Claude Code has sent no rate limits yet (they come with Pro/Max after the first answer)";
        return { ok: false, state: "missing", message, reason: "none" };
      }
      const nowMs = ctx.clock.nowMs();
      const observedAtMs = feed.rateLimitsObservedAtMs;
      // A window whose reset time has passed is at 0% since then (not gone: the user was idle).
      const windows = statuslineRateLimitsToReadings(feed.rateLimits, observedAtMs, STATUSLINE_SOURCE)
        .map((r) => readingAfterReset(r, nowMs))
        .filter((r) => isCurrentReading(r, nowMs));
      return { ok: true, observedAtMs, windows };
    },
  });
}

export const statuslineSource: SourceDefinition<StatuslineSourceConfig> = {
  name: STATUSLINE_SOURCE,
  configKey: "statusline",
  description: "Claude Code's statusline feed, saved by `quotacast statusline` (no credentials)",
  enabledByDefault: true,
  options: statuslineSourceOptions,
  create: createStatuslineSource,
};
