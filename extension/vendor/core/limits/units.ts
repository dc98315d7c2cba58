// Generated from core/src/limits/units.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * Unit conversions applied once, where rate-limit data enters. Every helper returns null
 * for anything that is not a usable value, so a drifting API never yields NaN.
 */

/** A finite number from a number or a numeric string; null otherwise. */
export function finiteNumber(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

export function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Percent (0-100, may exceed 100) to ratio (0-1, may exceed 1). */
export function percentToRatio(value: unknown): number | null {
  const n = finiteNumber(value);
  return n === null ? null : n / 100;
}

/** Fraction already (0-1): just validated. */
export function fractionToRatio(value: unknown): number | null {
  return finiteNumber(value);
}

/** Unix seconds to epoch ms. */
export function unixSecondsToMs(value: unknown): number | null {
  const n = finiteNumber(value);
  return n === null ? null : Math.round(n * 1000);
}

/** ISO-8601 (microseconds and offsets allowed) to epoch ms. */
export function isoToMs(value: unknown): number | null {
  if (typeof value !== "string" || value === "") return null;
  // Date.parse accepts at most milliseconds on some engines: trim extra fraction digits.
  const trimmed = value.replace(/(\.\d{3})\d+/, "$1");
  const ms = Date.parse(trimmed);
  return Number.isFinite(ms) ? ms : null;
}

/** Minor units (cents) to currency units. */
export function centsToUnits(value: unknown): number | null {
  const n = finiteNumber(value);
  return n === null ? null : n / 100;
}

/** A model name as part of a window name: `Sonnet 4.5` -> `sonnet_4_5`. */
export function modelSlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/^claude[-_ ]/, "")
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}
