// Generated from core/src/pricing/table.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/** Prices of one model, USD per token (as LiteLLM gives them). */
export interface ModelPrice {
  inputUsdPerToken: number;
  outputUsdPerToken: number;
  cacheWrite5mUsdPerToken: number;
  cacheWrite1hUsdPerToken: number;
  cacheReadUsdPerToken: number;
  /** Premium rates for long-context requests (more than 200k input tokens); absent when none. */
  above200k?: {
    inputUsdPerToken: number;
    outputUsdPerToken: number;
    cacheWrite5mUsdPerToken: number;
    cacheWrite1hUsdPerToken: number;
    cacheReadUsdPerToken: number;
  };
  /** Price multiplier for `speed: "fast"` requests; absent when the model has no fast mode. */
  fastMultiplier?: number;
}

export interface PriceTable {
  /** Where the table came from (file name or URL) and when it was built from it. */
  source: string;
  models: Record<string, ModelPrice>;
}

/** The LiteLLM file this table is built from (also fetched at runtime by `refreshPriceTable`). */
export const LITELLM_PRICES_URL =
  "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json";

/**
 * Fast-mode multipliers for models whose LiteLLM entry does not carry one
 * (`provider_specific_entry.fast`). Anthropic lists fast mode for Opus 4.6 and 4.7 at 6x.
 */
const KNOWN_FAST_MULTIPLIERS: Record<string, number> = {
  "claude-opus-4-6": 6,
  "claude-opus-4-7": 6,
};

// 1-hour cache writes cost 2x input; used when LiteLLM lacks the long-context 1h rate.
const ONE_HOUR_WRITE_TO_INPUT_RATIO = 2;

type RawEntry = Record<string, unknown>;

/**
 * Builds the compact table from LiteLLM's `model_prices_and_context_window.json` (or the
 * Claude-only mirror): every Claude chat entry with input, output and cache prices.
 * Deterministic (sorted keys) so the committed `prices.json` can be compared in a test.
 */
export function buildPriceTable(raw: unknown, source: string): PriceTable {
  const models: Record<string, ModelPrice> = {};
  if (typeof raw !== "object" || raw === null) return { source, models };
  for (const id of Object.keys(raw).sort()) {
    const entry = (raw as Record<string, unknown>)[id];
    if (!id.toLowerCase().includes("claude") || typeof entry !== "object" || entry === null) continue;
    const price = modelPrice(id, entry as RawEntry);
    if (price) models[id] = price;
  }
  return { source, models };
}

function modelPrice(id: string, entry: RawEntry): ModelPrice | null {
  if (entry.mode !== undefined && entry.mode !== "chat") return null;
  const input = num(entry.input_cost_per_token);
  const output = num(entry.output_cost_per_token);
  if (input === null || output === null) return null;
  const cacheWrite5m = num(entry.cache_creation_input_token_cost) ?? input * 1.25;
  const price: ModelPrice = {
    inputUsdPerToken: input,
    outputUsdPerToken: output,
    cacheWrite5mUsdPerToken: cacheWrite5m,
    cacheWrite1hUsdPerToken:
      num(entry.cache_creation_input_token_cost_above_1hr) ?? input * ONE_HOUR_WRITE_TO_INPUT_RATIO,
    cacheReadUsdPerToken: num(entry.cache_read_input_token_cost) ?? input * 0.1,
  };
  const longInput = num(entry.input_cost_per_token_above_200k_tokens);
  if (longInput !== null) {
    price.above200k = {
      inputUsdPerToken: longInput,
      outputUsdPerToken: num(entry.output_cost_per_token_above_200k_tokens) ?? output,
      cacheWrite5mUsdPerToken: num(entry.cache_creation_input_token_cost_above_200k_tokens) ?? cacheWrite5m,
      cacheWrite1hUsdPerToken:
        num(entry.cache_creation_input_token_cost_above_1hr_above_200k_tokens) ??
        longInput * ONE_HOUR_WRITE_TO_INPUT_RATIO,
      cacheReadUsdPerToken:
        num(entry.cache_read_input_token_cost_above_200k_tokens) ?? price.cacheReadUsdPerToken,
    };
  }
  const fast = fastMultiplier(id, entry);
  if (fast !== null) price.fastMultiplier = fast;
  return price;
}

function fastMultiplier(id: string, entry: RawEntry): number | null {
  const specific = entry.provider_specific_entry;
  if (typeof specific === "object" && specific !== null) {
    const fast = num((specific as RawEntry).fast);
    if (fast !== null) return fast;
  }
  const family = Object.keys(KNOWN_FAST_MULTIPLIERS).find((name) => id === name || id.startsWith(`${name}-`));
  return family ? KNOWN_FAST_MULTIPLIERS[family] : null;
}

function num(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : null;
}
