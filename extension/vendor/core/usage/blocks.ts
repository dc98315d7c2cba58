// Generated from core/src/usage/blocks.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
import { HOUR_MS } from "../time";
import { totalTokens, type UsageEvent } from "../ingest/usage-event";
import { costUsd, type CostOptions, type PriceTable } from "../pricing/price";
import { ModelRanking } from "./aggregate";

export const BLOCK_LENGTH_MS = 5 * 60 * 60 * 1000;

export interface BlockSummary {
  startMs: number;
  endMs: number;
  isActive: boolean;
  costUsd: number;
  totalTokens: number;
  /** Over the block's active span. */
  burnUsdPerHour: number;
  burnTokensPerMinute: number;
  /** Cost at block end if the current burn rate holds. */
  projectedCostUsd: number;
  projectedTokens: number;
  models: string[];
}

export interface BlockOptions {
  nowMs: number;
  prices?: PriceTable;
  longContext?: CostOptions["longContext"];
}

/**
 * ccusage's 5-hour billing blocks, oldest first: a block starts at its first event's time
 * floored to the UTC hour and lasts 5 h; an event after the block's end, or more than 5 h
 * after the previous event, starts the next block. Gaps are not reported. A block is
 * active while now is before its end and its last event is less than 5 h old.
 */
export function buildBlocks(events: UsageEvent[], opts: BlockOptions): BlockSummary[] {
  const sorted = [...events].sort((a, b) => a.timestampMs - b.timestampMs);
  const blocks: BlockSummary[] = [];
  let members: UsageEvent[] = [];
  let startMs = 0;
  for (const event of sorted) {
    const last = members[members.length - 1];
    if (
      last === undefined ||
      event.timestampMs - startMs > BLOCK_LENGTH_MS ||
      event.timestampMs - last.timestampMs > BLOCK_LENGTH_MS
    ) {
      if (last !== undefined) blocks.push(summarizeBlock(startMs, members, opts));
      members = [];
      startMs = Math.floor(event.timestampMs / HOUR_MS) * HOUR_MS;
    }
    members.push(event);
  }
  if (members.length > 0) blocks.push(summarizeBlock(startMs, members, opts));
  return blocks;
}

/** The block that is active at `nowMs`, or null. */
export function activeBlock(events: UsageEvent[], opts: BlockOptions): BlockSummary | null {
  const blocks = buildBlocks(events, opts);
  const last = blocks[blocks.length - 1];
  return last?.isActive ? last : null;
}

function summarizeBlock(startMs: number, members: UsageEvent[], opts: BlockOptions): BlockSummary {
  const endMs = startMs + BLOCK_LENGTH_MS;
  const firstMs = members[0].timestampMs;
  const lastMs = members[members.length - 1].timestampMs;
  let cost = 0;
  let tokens = 0;
  const models = new ModelRanking();
  for (const event of members) {
    const eventCost = costUsd(event, opts.prices, { longContext: opts.longContext });
    cost += eventCost ?? 0;
    tokens += totalTokens(event);
    models.add(event.model, eventCost, totalTokens(event));
  }
  const isActive = opts.nowMs < endMs && opts.nowMs - lastMs < BLOCK_LENGTH_MS;
  // Burn over the span between the first and last event (ccusage); none for a single instant.
  const activeMinutes = (lastMs - firstMs) / 60_000;
  const burnTokensPerMinute = activeMinutes > 0 ? tokens / activeMinutes : 0;
  const burnUsdPerHour = activeMinutes > 0 ? (cost / activeMinutes) * 60 : 0;
  const remainingMinutes = isActive ? Math.max(0, (endMs - opts.nowMs) / 60_000) : 0;
  return {
    startMs,
    endMs,
    isActive,
    costUsd: cost,
    totalTokens: tokens,
    burnUsdPerHour,
    burnTokensPerMinute,
    projectedCostUsd: cost + (burnUsdPerHour / 60) * remainingMinutes,
    projectedTokens: tokens + burnTokensPerMinute * remainingMinutes,
    models: models.names(),
  };
}
