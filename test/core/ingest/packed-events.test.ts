import { packEvents, unpackEvents } from "../../../core/src/ingest/packed-events";
import { usageEvent } from "../../fakes/usage-event";

describe("packed events (scan worker -> ledger thread)", () => {
  it("unpacks to the same events, optional cost, speed and sidechain included", () => {
    const events = [
      usageEvent({ key: "a", model: "claude-opus-4-5", sessionId: "s1", project: "p1", outputTokens: 7 }),
      usageEvent({
        key: "b",
        model: "glm-4.7",
        sessionId: "s1",
        project: "p1",
        speed: "fast",
        isSidechain: true,
      }),
      usageEvent({
        key: "c",
        model: "claude-opus-4-5",
        sessionId: "s2",
        project: "p2",
        recordedCostUsd: 0.25,
      }),
      usageEvent({ key: "d", timestampMs: Date.UTC(2026, 0, 1, 0, 0, 0, 123), cacheCreation1hTokens: 40 }),
    ];
    const packed = packEvents(events);
    expect(packed.strings.length).toBeLessThan(events.length * 3);
    expect(unpackEvents(packed)).toStrictEqual(events);
  });

  it("packs nothing to nothing", () => {
    expect(unpackEvents(packEvents([]))).toEqual([]);
  });
});
