/** The statusline feed file the `statusline` command writes, as tests and benchmarks seed it. */
import * as fs from "node:fs";
import * as path from "node:path";

export type FeedRateLimits = Record<string, { used_percentage: number; resets_at: number }>;

/** Writes `<home>/.local/share/quotacast/statusline.json`: `rateLimits` observed at `observedAtMs`. */
export function writeStatuslineFeed(home: string, observedAtMs: number, rateLimits: FeedRateLimits): void {
  const dir = path.join(home, ".local", "share", "quotacast");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, "statusline.json"),
    JSON.stringify({
      version: 1,
      updatedAtMs: observedAtMs,
      sessionId: null,
      transcriptPath: null,
      model: null,
      sessionCostUsd: null,
      rateLimits,
      rateLimitsObservedAtMs: observedAtMs,
      sessions: {},
    }),
  );
}
