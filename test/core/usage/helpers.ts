import type { UsageEvent } from "@quotacast/core";
import { usageEvent } from "../../fakes/usage-event";

let counter = 0;

/** A usage event at an ISO instant; tokens default to 100 input / 10 output on Sonnet 4.5. */
export function usageAt(iso: string, overrides: Partial<UsageEvent> = {}): UsageEvent {
  counter++;
  return usageEvent({
    key: `k${counter}`,
    timestampMs: Date.parse(iso),
    sessionId: "s1",
    project: "p1",
    inputTokens: 100,
    outputTokens: 10,
    ...overrides,
  });
}
