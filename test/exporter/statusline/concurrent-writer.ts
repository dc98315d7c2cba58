/**
 * Child process for the atomic-write test: writes large, self-consistent feeds to one file
 * as fast as it can. argv: <file> <writerId> <iterations>
 */
import { saveFeed } from "../../../exporter/src/statusline/feed";

const [file, writerId, iterations] = process.argv.slice(2);
for (let i = 0; i < Number(iterations); i++) {
  const stamp = Number(writerId) * 1_000_000 + i;
  const sessions: Record<string, { costUsd: number; baselineUsd: number; day: string; lastSeenMs: number }> =
    {};
  for (let s = 0; s < 2000; s++)
    sessions[`session-${s}`] = { costUsd: stamp, baselineUsd: 0, day: "2026-11-22", lastSeenMs: stamp };
  saveFeed(file, {
    version: 1,
    updatedAtMs: stamp,
    sessionId: `w${writerId}`,
    transcriptPath: null,
    model: null,
    sessionCostUsd: stamp,
    rateLimits: null,
    rateLimitsObservedAtMs: null,
    sessions,
  });
}
