/** Pure helpers of the transcript benchmark: per-day comparisons with the generator and ccusage. */
import type { TruthEvent } from "../test/generators/transcripts";
import { truthDayKey } from "../test/generators/transcripts";

export const TOKEN_TYPES = ["inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens"] as const;
export type TokenType = (typeof TOKEN_TYPES)[number];
export type DayTokens = Record<TokenType, number>;

/** The four token counts of a day (or of anything that carries them), and nothing else. */
export function dayTokens(t: DayTokens): DayTokens {
  return Object.fromEntries(TOKEN_TYPES.map((type) => [type, t[type]])) as DayTokens;
}

export interface DayDifference {
  day: string;
  /** b - a per token type, only the types that differ. */
  delta: Partial<DayTokens>;
}

/** Days whose four token totals differ between two per-day maps (a day missing on one side counts as zeros). */
export function dayDifferences(a: Map<string, DayTokens>, b: Map<string, DayTokens>): DayDifference[] {
  const days = [...new Set([...a.keys(), ...b.keys()])].sort();
  const out: DayDifference[] = [];
  for (const day of days) {
    const delta: Partial<DayTokens> = {};
    for (const type of TOKEN_TYPES) {
      const d = (b.get(day)?.[type] ?? 0) - (a.get(day)?.[type] ?? 0);
      if (d !== 0) delta[type] = d;
    }
    if (Object.keys(delta).length > 0) out.push({ day, delta });
  }
  return out;
}

export function sumDays(days: Map<string, DayTokens>): DayTokens {
  const total: DayTokens = { inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0 };
  for (const d of days.values()) for (const t of TOKEN_TYPES) total[t] += d[t];
  return total;
}

/**
 * What ccusage 20's `daily` reports for the generated history, from the ground truth and the
 * rules its binary shows on small fixtures (see bench/RESULTS.md): non-sidechain responses
 * without `requestId` are not deduplicated (every copy with a distinct timestamp counts, on
 * its own timestamp, and copies in other files count again), and lines with `"cwd": null`
 * are dropped. Everything else (sidechain lines without `requestId` too) is the
 * deduplicated truth, largest copy winning.
 */
export function ccusageDailyModel(events: readonly TruthEvent[], timezone: string): Map<string, DayTokens> {
  const days = new Map<string, DayTokens>();
  const add = (ms: number, input: number, output: number, create: number, read: number) => {
    const day = truthDayKey(ms, timezone);
    const d = days.get(day) ?? {
      inputTokens: 0,
      outputTokens: 0,
      cacheCreationTokens: 0,
      cacheReadTokens: 0,
    };
    d.inputTokens += input;
    d.outputTokens += output;
    d.cacheCreationTokens += create;
    d.cacheReadTokens += read;
    days.set(day, d);
  };
  for (const e of events) {
    if (e.nullCwd) continue;
    if (e.hasRequestId || e.isSidechain) {
      add(e.timestampMs, e.inputTokens, e.outputTokens, e.cacheCreationTokens, e.cacheReadTokens);
      continue;
    }
    for (const copy of e.copies) {
      add(copy.timestampMs, e.inputTokens, copy.outputTokens, e.cacheCreationTokens, e.cacheReadTokens);
    }
  }
  return new Map([...days].sort(([a], [b]) => a.localeCompare(b)));
}
