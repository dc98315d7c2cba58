import {
  bundledPriceTable,
  costUsd,
  findModelPrice,
  refreshPriceTable,
  type HttpPort,
} from "@quotacast/core";
import { usageEvent } from "../../fakes/usage-event";

const PER_MILLION = 1e-6;

// Public list prices (USD per million) from the reference, Sonnet 4.5: standard and above 200k.
const SONNET = { input: 3, output: 15, write5m: 3.75, write1h: 6, read: 0.3 };
const SONNET_LONG = { input: 6, output: 22.5, write5m: 7.5, write1h: 12, read: 0.6 };

describe("costUsd", () => {
  it("prices input, output, reads and cache writes with 5-minute and 1-hour rates", () => {
    const e = usageEvent({
      inputTokens: 1000,
      outputTokens: 2000,
      cacheCreationTokens: 1000,
      cacheCreation1hTokens: 400,
      cacheReadTokens: 5000,
    });
    const expected =
      (1000 * SONNET.input +
        2000 * SONNET.output +
        600 * SONNET.write5m +
        400 * SONNET.write1h +
        5000 * SONNET.read) *
      PER_MILLION;
    expect(costUsd(e)).toBeCloseTo(expected, 12);
    // The same writes all at the 5-minute rate cost less.
    expect(costUsd({ ...e, cacheCreation1hTokens: 0 })!).toBeLessThan(costUsd(e)!);
  });

  it("long context, Anthropic's rule (default): the whole request at premium above 200k input", () => {
    const e = usageEvent({ inputTokens: 150_000, cacheReadTokens: 60_000, outputTokens: 1000 });
    const premium =
      (150_000 * SONNET_LONG.input + 60_000 * SONNET_LONG.read + 1000 * SONNET_LONG.output) * PER_MILLION;
    expect(costUsd(e)).toBeCloseTo(premium, 12);
    expect(costUsd(e, undefined, { longContext: "anthropic" })).toBeCloseTo(premium, 12);
    // Exactly 200k is not above the threshold.
    const atLimit = usageEvent({ inputTokens: 140_000, cacheReadTokens: 60_000, outputTokens: 1000 });
    expect(costUsd(atLimit)).toBeCloseTo(
      (140_000 * SONNET.input + 60_000 * SONNET.read + 1000 * SONNET.output) * PER_MILLION,
      12,
    );
  });

  it("long context, ccusage's rule: only the part above 200k of each token type at premium", () => {
    const mixed = usageEvent({ inputTokens: 150_000, cacheReadTokens: 60_000, outputTokens: 1000 });
    expect(costUsd(mixed, undefined, { longContext: "ccusage" })).toBeCloseTo(
      (150_000 * SONNET.input + 60_000 * SONNET.read + 1000 * SONNET.output) * PER_MILLION,
      12,
    );
    const bigInput = usageEvent({ inputTokens: 250_000 });
    expect(costUsd(bigInput, undefined, { longContext: "ccusage" })).toBeCloseTo(
      (200_000 * SONNET.input + 50_000 * SONNET_LONG.input) * PER_MILLION,
      12,
    );
  });

  it("never applies long-context rates to models without them", () => {
    const e = usageEvent({ model: "claude-opus-4-5-20251101", inputTokens: 300_000 });
    expect(costUsd(e)).toBeCloseTo(300_000 * 5 * PER_MILLION, 12);
  });

  it("multiplies fast mode by the model's factor (6x for Opus 4.6), and leaves models without one alone", () => {
    const standard = usageEvent({ model: "claude-opus-4-6", inputTokens: 1000, outputTokens: 1000 });
    expect(costUsd(standard)).toBeCloseTo((1000 * 5 + 1000 * 25) * PER_MILLION, 12);
    expect(costUsd({ ...standard, speed: "fast" })).toBeCloseTo(6 * costUsd(standard)!, 12);
    expect(costUsd({ ...standard, model: "claude-opus-4-7-20260416", speed: "fast" })).toBeCloseTo(
      6 * costUsd(standard)!,
      12,
    );
    const sonnet = usageEvent({ inputTokens: 1000 });
    expect(costUsd({ ...sonnet, speed: "fast" })).toBe(costUsd(sonnet));
  });

  it("returns null for unknown models instead of pricing them as another model", () => {
    expect(costUsd(usageEvent({ model: "glm-4.7", inputTokens: 10 }))).toBeNull();
    expect(costUsd(usageEvent({ model: "claude-opus-4-9", inputTokens: 10 }))).toBeNull();
    expect(costUsd(usageEvent({ model: "claude-sonnet", inputTokens: 10 }))).toBeNull();
    expect(costUsd(usageEvent({ model: "<unknown>", inputTokens: 10 }))).toBeNull();
  });

  it("uses an old line's own costUSD only when the model has no price", () => {
    expect(costUsd(usageEvent({ model: "claude-instant-1", recordedCostUsd: 0.25 }))).toBe(0.25);
    expect(costUsd(usageEvent({ inputTokens: 1000, recordedCostUsd: 99 }))).toBeCloseTo(
      1000 * SONNET.input * PER_MILLION,
      12,
    );
  });

  it("prices <synthetic> at zero", () => {
    expect(costUsd(usageEvent({ model: "<synthetic>", inputTokens: 10 }))).toBe(0);
  });
});

describe("findModelPrice", () => {
  const sonnet45 = findModelPrice("claude-sonnet-4-5");
  const opus45 = findModelPrice("claude-opus-4-5");

  it("matches the exact id", () => {
    expect(sonnet45?.inputUsdPerToken).toBeCloseTo(3 * PER_MILLION, 15);
    expect(findModelPrice("claude-opus-4-20250514")?.inputUsdPerToken).toBeCloseTo(15 * PER_MILLION, 15);
  });

  it("matches an id with another date suffix to its undated family", () => {
    expect(findModelPrice("claude-opus-4-5-20991231")).toEqual(opus45);
    expect(findModelPrice("claude-sonnet-4-6-20260101")).toEqual(findModelPrice("claude-sonnet-4-6"));
  });

  it("strips provider prefixes and version suffixes", () => {
    expect(findModelPrice("anthropic/claude-opus-4-5")).toEqual(opus45);
    expect(findModelPrice("us.anthropic.claude-sonnet-4-5-20250929-v1:0")).toEqual(sonnet45);
    expect(findModelPrice("global.anthropic.claude-sonnet-4-5-20250929-v2:0")).toEqual(sonnet45);
    expect(findModelPrice("vertex_ai/claude-opus-4-5@20251101")).toEqual(opus45);
  });

  it("keeps Opus 4 and Opus 4.5 apart", () => {
    expect(findModelPrice("claude-opus-4")?.inputUsdPerToken).toBeCloseTo(15 * PER_MILLION, 15);
    expect(opus45?.inputUsdPerToken).toBeCloseTo(5 * PER_MILLION, 15);
  });
});

describe("refreshPriceTable", () => {
  const http = (
    respond: () => Promise<{ status: number; bodyText: string }>,
  ): HttpPort & { urls: string[] } => {
    const urls: string[] = [];
    return {
      urls,
      get: async (url) => {
        urls.push(url);
        const r = await respond();
        return { status: r.status, headers: {}, bodyText: r.bodyText };
      },
    };
  };

  it("builds the table from LiteLLM's file", async () => {
    const body = JSON.stringify({
      "claude-new-9": { mode: "chat", input_cost_per_token: 1e-6, output_cost_per_token: 2e-6 },
      "gpt-4o": { mode: "chat", input_cost_per_token: 1, output_cost_per_token: 1 },
    });
    const port = http(async () => ({ status: 200, bodyText: body }));
    const table = await refreshPriceTable(port);
    expect(port.urls[0]).toMatch(/^https:\/\/raw\.githubusercontent\.com\/BerriAI\/litellm\//);
    expect(Object.keys(table.models)).toEqual(["claude-new-9"]);
    expect(table.models["claude-new-9"].cacheWrite1hUsdPerToken).toBeCloseTo(2e-6, 15);
  });

  it.each([
    ["a network error", () => Promise.reject(new Error("ENOTFOUND"))],
    ["an HTTP error", () => Promise.resolve({ status: 503, bodyText: "" })],
    ["invalid JSON", () => Promise.resolve({ status: 200, bodyText: "<html>" })],
    ["a file without Claude prices", () => Promise.resolve({ status: 200, bodyText: "{}" })],
  ])("falls back to the bundled table on %s", async (_label, respond) => {
    expect(await refreshPriceTable(http(respond))).toBe(bundledPriceTable());
  });
});
