// Generated from core/src/ingest/dedup.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
import { totalTokens, type UsageEvent } from "./usage-event";

/**
 * Whether `candidate` should replace the stored copy of the same key. The largest token
 * total wins (streamed copies grow their output); on a tie the non-sidechain copy wins,
 * then more output, then more cache writes, then more input (the order ccusage 20 shows
 * on equal totals); otherwise the copy already kept stays, so re-reading never flips it.
 */
export function isBetterCopy(candidate: UsageEvent, current: UsageEvent): boolean {
  const byTotal = totalTokens(candidate) - totalTokens(current);
  if (byTotal !== 0) return byTotal > 0;
  if (candidate.isSidechain !== current.isSidechain) return !candidate.isSidechain;
  if (candidate.outputTokens !== current.outputTokens) return candidate.outputTokens > current.outputTokens;
  if (candidate.cacheCreationTokens !== current.cacheCreationTokens) {
    return candidate.cacheCreationTokens > current.cacheCreationTokens;
  }
  return candidate.inputTokens > current.inputTokens;
}

/**
 * The best copy of each key, in the order keys first appear: what offering `events` one by
 * one would leave as winners (ties keep the first copy), in one pass and a third the size.
 */
export function keepBestCopies(events: UsageEvent[]): UsageEvent[] {
  const best = new Map<string, UsageEvent>();
  for (const event of events) {
    const kept = best.get(event.key);
    if (kept === undefined || isBetterCopy(event, kept)) best.set(event.key, event);
  }
  return [...best.values()];
}
