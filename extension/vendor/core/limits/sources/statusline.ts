// Generated from core/src/limits/sources/statusline.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * Statusline feed source (default, no credentials): reads the file that
 * `quotacast statusline` keeps up to date on every Claude Code update.
 */
import * as path from "node:path";
import { isCurrentReading, readingAfterReset } from "../snapshot";
import * as z from "zod/mini";
import { sourceStatus, type LimitSource, type PollContext, type SourceDefinition } from "../source";
import { parseStatuslineFeed, statuslineRateLimitsToReadings } from "../statusline-feed";

export const STATUSLINE_SOURCE = "statusline";
export const STATUSLINE_DEFAULT_INTERVAL_MS = 15_000;
const DEFAULT_STALE_AFTER_MS = 30 * 60_000;

export const statuslineSourceOptions = z.object({
  enabled: z.optional(z.boolean()),
  /** Default `~/.local/share/quotacast/statusline.json` (env `QUOTACAST_STATUSLINE_FILE`). */
  feedFile: z.optional(z.string()),
  /** A feed older than this is reported as stale. Default 30 minutes. */
  staleAfterMs: z.optional(z.number()),
});
export type StatuslineSourceConfig = z.infer<typeof statuslineSourceOptions>;

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

function isEnabled(ctx: PollContext): boolean {
  return ctx.config.statusline?.enabled !== false;
}

export function createStatuslineSource(): LimitSource {
  let lastSuccessMs: number | null = null;
  return {
    name: STATUSLINE_SOURCE,
    description: "Claude Code's statusline JSON, saved by `quotacast statusline` (default, no credentials)",
    defaultIntervalMs: STATUSLINE_DEFAULT_INTERVAL_MS,
    isEnabled,
    async poll(ctx) {
      const nowMs = ctx.clock.nowMs();
      const nextPollAtMs = nowMs + STATUSLINE_DEFAULT_INTERVAL_MS;
      if (!isEnabled(ctx)) {
        return {
          snapshot: null,
          status: sourceStatus(STATUSLINE_SOURCE, "disabled", "statusline feed is off", lastSuccessMs),
          nextPollAtMs,
        };
      }
      const file = statuslineFeedPath(ctx);
      const text = await ctx.files.readText(file).catch(() => null);
      if (text === null) {
        return {
          snapshot: null,
          status: sourceStatus(
            STATUSLINE_SOURCE,
            "missing",
            `no statusline feed at ${file} yet: run 'quotacast statusline install', then use Claude Code`,
            lastSuccessMs,
          ),
          nextPollAtMs,
        };
      }
      const feed = parseStatuslineFeed(text);
      if (feed === null) {
        return {
          snapshot: null,
          status: sourceStatus(
            STATUSLINE_SOURCE,
            "error",
            `${file} is not a quotacast statusline feed; it will be replaced on the next update`,
            lastSuccessMs,
            "bad_response",
          ),
          nextPollAtMs,
        };
      }
      if (feed.rateLimits === null || feed.rateLimitsObservedAtMs === null) {
        return {
          snapshot: null,
          status: sourceStatus(
            STATUSLINE_SOURCE,
            "missing",
            "Claude Code has sent no rate limits yet (they come with Pro/Max after the first answer)",
            lastSuccessMs,
          ),
          nextPollAtMs,
        };
      }
      const observedAtMs = feed.rateLimitsObservedAtMs;
      // A window whose reset time has passed is at 0% since then (not gone: the user was idle).
      const windows = statuslineRateLimitsToReadings(feed.rateLimits, observedAtMs, STATUSLINE_SOURCE)
        .map((r) => readingAfterReset(r, nowMs))
        .filter((r) => isCurrentReading(r, nowMs));
      lastSuccessMs = observedAtMs;
      const staleAfterMs = ctx.config.statusline?.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
      const ageMs = nowMs - observedAtMs;
      const stale = ageMs > staleAfterMs || windows.length === 0;
      const message = stale
        ? `last rate limits from Claude Code are ${Math.round(ageMs / 60_000)} min old`
        : "ok";
      return {
        snapshot: { observedAtMs, source: STATUSLINE_SOURCE, windows },
        status: sourceStatus(STATUSLINE_SOURCE, stale ? "stale" : "ok", message, lastSuccessMs),
        nextPollAtMs,
      };
    },
  };
}

export const statuslineSource: SourceDefinition<StatuslineSourceConfig> = {
  name: STATUSLINE_SOURCE,
  configKey: "statusline",
  description: "Claude Code's statusline feed, saved by `quotacast statusline` (no credentials)",
  enabledByDefault: true,
  options: statuslineSourceOptions,
  create: createStatuslineSource,
};
