import { aggregateSessions, buildBlocks, periodUsage, type UsageEvent } from "@quotacast/core";
import { usageEvent } from "../../fakes/usage-event";

const T0 = Date.parse("2026-11-20T10:00:00.000Z");

function event(key: string, model: string, input: number, output: number): UsageEvent {
  return usageEvent({
    key,
    timestampMs: T0 + Number(key.slice(1)) * 60_000,
    model,
    inputTokens: input,
    outputTokens: output,
  });
}

// glm-4.7 has no price and the most tokens; haiku the most tokens of the priced; opus the most cost.
const events = [
  event("e1", "glm-4.7", 900_000, 1000),
  event("e2", "claude-haiku-4-5-20251001", 50_000, 100),
  event("e3", "claude-opus-4-5-20251101", 1000, 20_000),
  event("e4", "claude-sonnet-4-5-20250929", 0, 0),
];
const ORDER = [
  "claude-opus-4-5-20251101",
  "claude-haiku-4-5-20251001",
  "glm-4.7",
  "claude-sonnet-4-5-20250929",
];

describe("one order of models in every view: cost, then tokens, descending", () => {
  test("days, sessions and blocks list models the same way", () => {
    expect(periodUsage("2026-11-20", events).models.map((m) => m.model)).toEqual(ORDER);
    expect(aggregateSessions(events, { timezone: "UTC" })[0].models).toEqual(ORDER);
    expect(buildBlocks(events, { nowMs: T0 + 3600_000 })[0].models).toEqual(ORDER);
  });
});
