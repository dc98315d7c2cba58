// Generated from core/src/limits/poll.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * Polling a list of sources once: what the CLI's `status` and the Summary builder call. One
 * source's failure never affects another's (each poll is isolated and never throws).
 */
import type { RateLimitSnapshot } from "./snapshot";
import type { OrgUsage } from "./admin/org-usage";
import {
  sourceStatus,
  type LimitSource,
  type PollContext,
  type PollResult,
  type SourceStatus,
} from "./source";
import { mergeSnapshots } from "./merge";

export interface PollAllResult {
  /** Per source, in list order. */
  results: Array<{ source: LimitSource; result: PollResult }>;
  /** Freshest valid reading per window across sources; null when no source had data. */
  merged: RateLimitSnapshot | null;
  statuses: SourceStatus[];
  orgUsage: OrgUsage | null;
}

/** Polls one source, turning an unexpected throw into an error status. */
export async function pollSource(source: LimitSource, ctx: PollContext): Promise<PollResult> {
  try {
    return await source.poll(ctx);
  } catch {
    const nowMs = ctx.clock.nowMs();
    return {
      snapshot: null,
      status: sourceStatus(source.name, "error", "internal error while polling", null, "bad_response"),
      nextPollAtMs: nowMs + source.defaultIntervalMs,
    };
  }
}

/** Polls all sources once, concurrently (disabled ones report `disabled`), and merges. */
export async function pollAll(sources: readonly LimitSource[], ctx: PollContext): Promise<PollAllResult> {
  const results = await Promise.all(
    sources.map(async (source) => ({ source, result: await pollSource(source, ctx) })),
  );
  return combineResults(results, ctx.clock.nowMs());
}

/** The merged snapshot, the statuses and the organization usage of one round of results. */
function combineResults(results: PollAllResult["results"], nowMs: number): PollAllResult {
  const snapshots = results.map((r) => r.result.snapshot).filter((s): s is RateLimitSnapshot => s !== null);
  return {
    results,
    merged: mergeSnapshots(snapshots, nowMs),
    statuses: results.map((r) => r.result.status),
    orgUsage: results.map((r) => r.result.orgUsage).find((o): o is OrgUsage => o !== undefined) ?? null,
  };
}

/**
 * Whether a source is due at `nowMs`: never polled (`nextPollAtMs` undefined), or the time its
 * last poll gave has come. `earlyMs` lets a coarse tick take a source due shortly after it
 * (the exporter's hourly admin job), rather than leave it for the next tick. The one rule of
 * every front that polls on a schedule: the live terminal view and the exporter.
 */
export function isDue(nextPollAtMs: number | undefined, nowMs: number, earlyMs = 0): boolean {
  return nextPollAtMs === undefined || nowMs + earlyMs >= nextPollAtMs;
}

/**
 * For a front that refreshes often (the live terminal view): each source is polled again only
 * once its last result says it is due, or when the caller forces it (its file just changed),
 * so a redraw on every transcript change never hammers a remote endpoint.
 */
export class DuePoller {
  private readonly last = new Map<LimitSource, PollResult>();

  constructor(private readonly sources: readonly LimitSource[]) {}

  async poll(ctx: PollContext, force: ReadonlySet<string> = new Set()): Promise<PollAllResult> {
    const nowMs = ctx.clock.nowMs();
    const results = await Promise.all(
      this.sources.map(async (source) => {
        const previous = this.last.get(source);
        const keep = previous && !force.has(source.name) && !isDue(previous.nextPollAtMs, nowMs);
        const result = keep ? previous : await pollSource(source, ctx);
        this.last.set(source, result);
        return { source, result };
      }),
    );
    return combineResults(results, nowMs);
  }
}
