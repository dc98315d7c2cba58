// Generated from core/src/limits/units.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * Unit conversions applied once, where rate-limit data enters: schemas of the fields as the
 * APIs and files send them, whose output is in quotacast's units (ratios, epoch ms, currency
 * units). Wrapped in `orNull` (../schema.ts) where a field may be absent or drift: an
 * unusable value then reads as null, never as NaN, and never fails a whole answer.
 */
import * as v from "valibot";
import { numeric } from "../schema";

/** Percent (0-100, may exceed 100) to ratio (0-1, may exceed 1). */
export function percentToRatio(percent: number): number {
  return percent / 100;
}

export const percentAsRatio = v.pipe(numeric, v.transform(percentToRatio));

/** A fraction already (0-1): just validated. */
export const fractionAsRatio = numeric;

/** Unix seconds to epoch ms. */
export function unixSecondsToMs(seconds: number): number {
  return Math.round(seconds * 1000);
}

export const unixSecondsAsMs = v.pipe(numeric, v.transform(unixSecondsToMs));

/** ISO-8601 to epoch ms: microseconds and offsets allowed (Date.parse takes at most ms on some engines). */
export const isoAsMs = v.pipe(
  v.string(),
  v.transform((iso) => Date.parse(iso.replace(/(\.\d{3})\d+/, "$1"))),
  v.finite(),
);

/** Minor units (cents) to currency units. */
export function centsToUnits(cents: number): number {
  return cents / 100;
}

export const centsAsUnits = v.pipe(numeric, v.transform(centsToUnits));

/** A count or an amount where absent means none. */
export const numberOrZero = v.fallback(numeric, 0);

/** A model name as part of a window name: `Sonnet 4.5` -> `sonnet_4_5`. */
export function modelSlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/^claude[-_ ]/, "")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}
