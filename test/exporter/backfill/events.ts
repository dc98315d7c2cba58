/** Hand-made usage events for the backfill tests (deterministic, no I/O). */
import { createRng, type UsageEvent, type WindowReading } from "@quotacast/core";

export const SONNET = "claude-sonnet-4-5-20250929";
export const OPUS = "claude-opus-4-5-20251101";
/** A model without a price: counted in tokens and messages, never in cost. */
export const UNPRICED = "glm-4.7";

let seq = 0;

export function usageEvent(timestampMs: number, model: string, tokens: Partial<UsageEvent> = {}): UsageEvent {
  seq++;
  return {
    key: `msg_${seq}:req_${seq}`,
    timestampMs,
    model,
    sessionId: "session-1",
    project: "-home-user-project",
    inputTokens: 100 + (seq % 7),
    outputTokens: 50 + (seq % 11),
    cacheCreationTokens: 1000 + (seq % 13),
    cacheCreation1hTokens: 0,
    cacheReadTokens: 5000 + (seq % 17),
    speed: "standard",
    isSidechain: false,
    ...tokens,
  };
}

/**
 * Events spread over `days` days from `startMs`, plus events exactly on, just before and
 * just after the given midnights (the instants where an off-by-one would show).
 */
export function historyEvents(
  startMs: number,
  days: number,
  midnightsMs: readonly number[],
  seed = 7,
): UsageEvent[] {
  // Seeded, so the histories are the same on every run.
  const rng = createRng(seed);
  const models = [SONNET, OPUS, UNPRICED];
  const events: UsageEvent[] = [];
  for (let i = 0; i < days * 40; i++) {
    const model = models[Math.floor(rng.next() * models.length)];
    events.push(usageEvent(startMs + Math.floor(rng.next() * days * 86_400_000), model));
  }
  for (const midnightMs of midnightsMs) {
    for (const offsetMs of [-1, 0, 1]) events.push(usageEvent(midnightMs + offsetMs, SONNET));
  }
  return events;
}

export function reading(
  observedAtMs: number,
  utilizationRatio: number,
  window = "five_hour",
  source = "oauth",
): WindowReading {
  return {
    window,
    utilizationRatio,
    resetsAtMs: observedAtMs + 3600_000,
    windowLengthMs: 5 * 3600_000,
    status: "allowed",
    source,
    observedAtMs,
  };
}
