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

/** The IANA zone of this process's local time, when a front has declared it (declareLocalTimeZone). */
let localTimeZone: string | null = null;

/**
 * Declares `timezone` to be this process's own zone (what `Intl.DateTimeFormat().resolvedOptions()`
 * answers), so that calendar work in it reads Date's local time instead of building an Intl
 * formatter: the first formatter costs ~20 ms of ICU start-up in a fresh process, most of a
 * Raycast menu-bar refresh. Date's local time and Intl read the same ICU zone, so the days are
 * the same. Null withdraws the declaration.
 */
export function declareLocalTimeZone(timezone: string | null): void {
  localTimeZone = timezone;
}

/**
 * Minutes east of UTC of `timezone` at `atMs` when known without an Intl formatter (UTC, or the
 * declared local zone); null otherwise.
 */
export function utcOffsetMinutesWithoutIntl(timezone: string, atMs: number): number | null {
  if (isUtcZone(timezone)) return 0;
  if (timezone === localTimeZone) return -new Date(atMs).getTimezoneOffset();
  return null;
}

/** Whether `zone` names UTC itself: its calendar needs no Intl formatter. */
export function isUtcZone(zone: string): boolean {
  return zone === "UTC" || zone === "Etc/UTC";
}

/**
 * The IANA zone named by a `TZ` value (`Europe/Paris`, `:Europe/Paris`, `UTC`), or null for
 * anything else (unset, empty, a POSIX rule such as `CET-1CEST`), which ICU resolves its own way.
 * `Factory`, the tz database's placeholder for a zone never set (offset 0), reads as UTC: ICU
 * knows no such zone, nor its own answer for it (`Etc/Unknown`).
 */
export function zoneFromTzVariable(tz: string | undefined): string | null {
  const name = (tz ?? "").replace(/^:/, "").replace(/^(posix|right)\//, "");
  if (name === "Factory") return "UTC";
  return /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name) && !/\d/.test(name.split("/")[0])
    ? name
    : null;
}

/** The IANA zone of an `/etc/localtime` link target (`/usr/share/zoneinfo/Europe/Paris`), or null. */
export function zoneFromLocaltimeLink(target: string): string | null {
  const at = target.lastIndexOf("zoneinfo/");
  return at < 0 ? null : zoneFromTzVariable(target.slice(at + "zoneinfo/".length));
}
