// Generated from core/src/pricing/price.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
import type { HttpPort } from "../io/ports";
import type { UsageEvent } from "../ingest/usage-event";
import bundled from "./prices.json";
import { buildPriceTable, LITELLM_PRICES_URL, type ModelPrice, type PriceTable } from "./table";

export type { ModelPrice, PriceTable } from "./table";

/**
 * How requests above 200k input tokens are priced.
 * - `anthropic` (default, Anthropic's billing): when input + cache reads + cache writes
 *   exceed 200k, the WHOLE request (output too) is billed at the premium rates.
 * - `ccusage`: each token type is split at 200k and only the part above is premium.
 */
export type LongContextRule = "anthropic" | "ccusage";

export interface CostOptions {
  longContext?: LongContextRule;
}

const LONG_CONTEXT_THRESHOLD_TOKENS = 200_000;
const SYNTHETIC_MODEL = "<synthetic>";

const bundledTable: PriceTable = bundled as PriceTable;

export function bundledPriceTable(): PriceTable {
  return bundledTable;
}

type PricedTokens = Pick<
  UsageEvent,
  | "model"
  | "inputTokens"
  | "outputTokens"
  | "cacheCreationTokens"
  | "cacheCreation1hTokens"
  | "cacheReadTokens"
  | "speed"
> & { recordedCostUsd?: number };

/**
 * API-equivalent cost of one event in USD. Null when the model has no price (never priced
 * as another model); an old line's own `costUSD` is used only then. `<synthetic>` costs 0.
 */
export function costUsd(
  e: PricedTokens,
  table: PriceTable = bundledTable,
  opts: CostOptions = {},
): number | null {
  if (e.model === SYNTHETIC_MODEL) return 0;
  const price = findModelPrice(e.model, table);
  if (!price) return e.recordedCostUsd ?? null;
  const cost = opts.longContext === "ccusage" ? costSplitAtThreshold(e, price) : costWholeRequest(e, price);
  return e.speed === "fast" && price.fastMultiplier !== undefined ? cost * price.fastMultiplier : cost;
}

/** Anthropic's rule: one rate set for the whole request, chosen by its total input. */
function costWholeRequest(e: PricedTokens, price: ModelPrice): number {
  const inputSide = e.inputTokens + e.cacheReadTokens + e.cacheCreationTokens;
  const rates = price.above200k && inputSide > LONG_CONTEXT_THRESHOLD_TOKENS ? price.above200k : price;
  const cacheWrite1h = e.cacheCreation1hTokens;
  const cacheWrite5m = e.cacheCreationTokens - cacheWrite1h;
  return (
    e.inputTokens * rates.inputUsdPerToken +
    e.outputTokens * rates.outputUsdPerToken +
    cacheWrite5m * rates.cacheWrite5mUsdPerToken +
    cacheWrite1h * rates.cacheWrite1hUsdPerToken +
    e.cacheReadTokens * rates.cacheReadUsdPerToken
  );
}

/** ccusage's rule: per token type, tokens beyond 200k at the premium rate. */
function costSplitAtThreshold(e: PricedTokens, price: ModelPrice): number {
  const long = price.above200k;
  const split = (tokens: number, base: number, premium: number | undefined): number => {
    if (premium === undefined || tokens <= LONG_CONTEXT_THRESHOLD_TOKENS) return tokens * base;
    return LONG_CONTEXT_THRESHOLD_TOKENS * base + (tokens - LONG_CONTEXT_THRESHOLD_TOKENS) * premium;
  };
  const cacheWrite1h = e.cacheCreation1hTokens;
  const cacheWrite5m = e.cacheCreationTokens - cacheWrite1h;
  return (
    split(e.inputTokens, price.inputUsdPerToken, long?.inputUsdPerToken) +
    split(e.outputTokens, price.outputUsdPerToken, long?.outputUsdPerToken) +
    split(cacheWrite5m, price.cacheWrite5mUsdPerToken, long?.cacheWrite5mUsdPerToken) +
    split(cacheWrite1h, price.cacheWrite1hUsdPerToken, long?.cacheWrite1hUsdPerToken) +
    split(e.cacheReadTokens, price.cacheReadUsdPerToken, long?.cacheReadUsdPerToken)
  );
}

const indexes = new WeakMap<PriceTable, Map<string, ModelPrice | null>>();

/**
 * The price of a model id as written in a transcript: the exact id, else the same id
 * without provider prefix (`anthropic/`, `us.anthropic.`, `vertex_ai/`), version suffix
 * (`-v1:0`) or date (`-20251101`, `@20251101`). Never a match to another model.
 */
export function findModelPrice(model: string, table: PriceTable = bundledTable): ModelPrice | null {
  const exact = table.models[model];
  if (exact) return exact;
  let index = indexes.get(table);
  if (!index) {
    index = buildIndex(table);
    indexes.set(table, index);
  }
  const key = normalizeModelId(model);
  return index.get(key) ?? null;
}

/** `us.anthropic.claude-sonnet-4-5-20250929-v1:0` -> `claude-sonnet-4-5`. */
function normalizeModelId(model: string): string {
  let id = model.trim().toLowerCase();
  id = id.slice(id.lastIndexOf("/") + 1);
  id = id.replace(/^(?:[a-z]{2,6}\.)?anthropic\./, "");
  id = id.replace(/-v\d+(?::\d+)?$/, "");
  id = id.replace(/(?:-|@)\d{8}$/, "");
  return id;
}

function buildIndex(table: PriceTable): Map<string, ModelPrice | null> {
  const index = new Map<string, ModelPrice | null>();
  // Undated base ids first, so `claude-opus-4-5` keeps its own entry over a dated one.
  // Ties in code-unit order: the same on every machine (localeCompare follows the user's
  // locale) and no ICU collator to load (~15 ms of a warm `daily`).
  const ids = Object.keys(table.models).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  for (const id of ids) {
    const key = normalizeModelId(id);
    if (!index.has(key)) index.set(key, table.models[id]);
  }
  return index;
}

/** Fetches LiteLLM's live file and builds the same table; the bundled table on any failure. */
export async function refreshPriceTable(http: HttpPort, timeoutMs = 10_000): Promise<PriceTable> {
  try {
    const response = await http.get(LITELLM_PRICES_URL, { accept: "application/json" }, timeoutMs);
    if (response.status !== 200) return bundledTable;
    const table = buildPriceTable(JSON.parse(response.bodyText), LITELLM_PRICES_URL);
    return Object.keys(table.models).length > 0 ? table : bundledTable;
  } catch {
    return bundledTable;
  }
}
