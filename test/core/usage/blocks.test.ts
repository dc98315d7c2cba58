import { buildBlocks, costUsd, totalTokens } from "@quotacast/core";
import { usageAt } from "./helpers";

const iso = (ms: number) => new Date(ms).toISOString();

describe("buildBlocks", () => {
  it("starts a block at the first event's hour (UTC) and ends it 5 h later", () => {
    const [block] = buildBlocks([usageAt("2026-11-20T10:47:13Z")], {
      nowMs: Date.parse("2026-11-21T00:00:00Z"),
    });
    expect(iso(block.startMs)).toBe("2026-11-20T10:00:00.000Z");
    expect(iso(block.endMs)).toBe("2026-11-20T15:00:00.000Z");
    expect(block.isActive).toBe(false);
  });

  it("starts a new block for an event past the block end, even without a long gap", () => {
    const events = [
      usageAt("2026-11-20T10:30:00Z"),
      usageAt("2026-11-20T13:00:00Z"),
      usageAt("2026-11-20T15:00:00Z"), // exactly the end: still in the first block
      usageAt("2026-11-20T15:00:01Z"),
    ];
    const blocks = buildBlocks(events, { nowMs: Date.parse("2026-11-22T00:00:00Z") });
    expect(blocks.map((b) => [iso(b.startMs), b.totalTokens])).toEqual([
      ["2026-11-20T10:00:00.000Z", 330],
      ["2026-11-20T15:00:00.000Z", 110],
    ]);
  });

  it("starts a new block after a gap of more than 5 h and reports no gap block", () => {
    const events = [usageAt("2026-11-20T08:10:00Z"), usageAt("2026-11-20T20:05:00Z")];
    const blocks = buildBlocks(events.reverse(), { nowMs: Date.parse("2026-11-22T00:00:00Z") });
    expect(blocks.map((b) => iso(b.startMs))).toEqual([
      "2026-11-20T08:00:00.000Z",
      "2026-11-20T20:00:00.000Z",
    ]);
  });

  it("marks the block active while now is before its end, with burn rate and projection", () => {
    const a = usageAt("2026-11-20T10:00:00Z");
    const b = usageAt("2026-11-20T11:00:00Z", { outputTokens: 1000 });
    const nowMs = Date.parse("2026-11-20T12:00:00Z");
    const [block] = buildBlocks([a, b], { nowMs });
    const tokens = totalTokens(a) + totalTokens(b);
    const cost = costUsd(a)! + costUsd(b)!;
    expect(block.isActive).toBe(true);
    expect(block.totalTokens).toBe(tokens);
    expect(block.costUsd).toBeCloseTo(cost, 12);
    expect(block.burnTokensPerMinute).toBeCloseTo(tokens / 60, 9);
    expect(block.burnUsdPerHour).toBeCloseTo(cost, 12);
    // 3 h left at the same rate.
    expect(block.projectedTokens).toBeCloseTo(tokens + (tokens / 60) * 180, 6);
    expect(block.projectedCostUsd).toBeCloseTo(cost * 4, 12);
    expect(buildBlocks([a, b], { nowMs: Date.parse("2026-11-20T15:00:00Z") })[0].isActive).toBe(false);
  });

  it("leaves unpriced models out of the cost but not the tokens", () => {
    const [block] = buildBlocks([usageAt("2026-11-20T10:00:00Z", { model: "glm-4.7" })], { nowMs: 0 });
    expect(block).toMatchObject({ costUsd: 0, totalTokens: 110, models: ["glm-4.7"], burnUsdPerHour: 0 });
  });
});
