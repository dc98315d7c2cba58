import type { UsageEvent } from "@quotacast/core";

let counter = 0;

/** A usage event at an ISO instant; tokens default to 100 input / 10 output on Sonnet 4.5. */
export function usageAt(iso: string, overrides: Partial<UsageEvent> = {}): UsageEvent {
  counter++;
  return {
    key: `k${counter}`,
    timestampMs: Date.parse(iso),
    model: "claude-sonnet-4-5-20250929",
    sessionId: "s1",
    project: "p1",
    inputTokens: 100,
    outputTokens: 10,
    cacheCreationTokens: 0,
    cacheCreation1hTokens: 0,
    cacheReadTokens: 0,
    speed: "standard",
    isSidechain: false,
    ...overrides,
  };
}
