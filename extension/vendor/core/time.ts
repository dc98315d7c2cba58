// Generated from core/src/time.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/** Lengths of time in milliseconds and zoned date formatters: defined here once, used by every layer and front. */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const zonedFormatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The `Intl.DateTimeFormat` of `locale` in the IANA zone `timezone` with `fields`, built once
 * (building one costs far more than formatting with it). Throws RangeError on an unknown zone.
 */
export function zonedFormatter(
  locale: string,
  timezone: string,
  fields: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${locale}|${timezone}|${JSON.stringify(fields)}`;
  let formatter = zonedFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { ...fields, timeZone: timezone });
    zonedFormatters.set(key, formatter);
  }
  return formatter;
}
