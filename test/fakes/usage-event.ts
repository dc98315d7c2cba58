/** A usage event for tests: one Sonnet 4.5 message with no tokens, unless overridden. */
import type { UsageEvent } from "@quotacast/core";

export function usageEvent(overrides: Partial<UsageEvent> = {}): UsageEvent {
  return {
    key: "k",
    timestampMs: 0,
    model: "claude-sonnet-4-5-20250929",
    sessionId: "s",
    project: "p",
    inputTokens: 0,
    outputTokens: 0,
    cacheCreationTokens: 0,
    cacheCreation1hTokens: 0,
    cacheReadTokens: 0,
    speed: "standard",
    isSidechain: false,
    ...overrides,
  };
}
