// Generated from core/src/usage/daykey.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/** Calendar keys in a time zone, fast: one Intl formatter per zone, results cached per 15 minutes. */
import { MINUTE_MS, utcOffsetMinutesWithoutIntl, zonedFormatter } from "../time";

const SLOT_MS = 15 * 60 * 1000; // every tz offset in use is a multiple of 15 minutes
const MAX_CACHED_SLOTS = 200_000;
const CALENDAR_DAY: Intl.DateTimeFormatOptions = { year: "numeric", month: "2-digit", day: "2-digit" };
const slotCaches = new Map<string, Map<number, string>>();

/** `YYYY-MM-DD` of an instant in an IANA time zone. Throws RangeError on an unknown zone. */
export function dayKey(ms: number, timezone: string): string {
  let cache = slotCaches.get(timezone);
  if (!cache) {
    cache = new Map();
    slotCaches.set(timezone, cache);
  }
  const slot = Math.floor(ms / SLOT_MS);
  let key = cache.get(slot);
  if (key === undefined) {
    key = formatDay(ms, timezone);
    if (cache.size >= MAX_CACHED_SLOTS) cache.clear();
    cache.set(slot, key);
  }
  return key;
}

function formatDay(ms: number, timezone: string): string {
  const offsetMinutes = utcOffsetMinutesWithoutIntl(timezone, ms);
  if (offsetMinutes !== null) return new Date(ms + offsetMinutes * MINUTE_MS).toISOString().slice(0, 10);
  // en-CA formats as YYYY-MM-DD.
  const parts = zonedFormatter("en-CA", timezone, CALENDAR_DAY).formatToParts(ms);
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/** 0 = Sunday ... 6 = Saturday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** The first day (`YYYY-MM-DD`) of the week that contains `day`. */
export function weekStartKey(day: string, weekStartsOn: Weekday): string {
  const utc = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
  const back = (new Date(utc).getUTCDay() - weekStartsOn + 7) % 7;
  return new Date(utc - back * 86_400_000).toISOString().slice(0, 10);
}

/** Accepts `YYYY-MM-DD` or `YYYYMMDD` (ccusage's --since form); null when neither. */
export function normalizeDayKey(day: string): string | null {
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(day);
  if (compact) return `${compact[1]}-${compact[2]}-${compact[3]}`;
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : null;
}
