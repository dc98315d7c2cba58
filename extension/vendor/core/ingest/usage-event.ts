// Generated from core/src/ingest/usage-event.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * One deduplicated API response from a Claude Code transcript: the unit every
 * aggregate, price and forecast is built from.
 */
export interface UsageEvent {
  /** Dedup key: `message.id:requestId`, or `message.id` alone when the line has no requestId. */
  key: string;
  timestampMs: number;
  /** `message.model` as written (`claude-opus-4-5-20251101`, `<synthetic>`, `glm-4.7`, ...). */
  model: string;
  sessionId: string;
  /** First path segment under `projects/` (Claude Code's encoded cwd). */
  project: string;
  inputTokens: number;
  outputTokens: number;
  /** All cache writes (`cache_creation_input_tokens`): 5-minute plus 1-hour. */
  cacheCreationTokens: number;
  /** The 1-hour part of `cacheCreationTokens` (`cache_creation.ephemeral_1h_input_tokens`). */
  cacheCreation1hTokens: number;
  cacheReadTokens: number;
  speed: "standard" | "fast";
  isSidechain: boolean;
  /** `costUSD` written by very old Claude Code versions; undefined otherwise. */
  recordedCostUsd?: number;
}

export function totalTokens(
  e: Pick<UsageEvent, "inputTokens" | "outputTokens" | "cacheCreationTokens" | "cacheReadTokens">,
): number {
  return e.inputTokens + e.outputTokens + e.cacheCreationTokens + e.cacheReadTokens;
}
