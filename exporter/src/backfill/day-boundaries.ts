/**
 * Midnights in a time zone, as epoch milliseconds: the instants at which a day-keyed
 * `increase(...[1d])` must find a sample to be exact. Days are core's `dayKey` days, the
 * same that `aggregateByPeriod` groups by.
 */

import { DAY_MS, dayKey as localDayKey, MINUTE_MS } from "@quotacast/core";

/** UTC offsets range from -12 h to +14 h: every local midnight lies within this of UTC midnight. */
const MAX_OFFSET_MS = 15 * 3600_000;

/** Throws a clear error for a time zone that Intl does not know. */
export function assertTimezone(timezone: string): void {
  try {
    localDayKey(0, timezone);
  } catch {
    throw new Error(`unknown time zone '${timezone}' (use an IANA name such as Europe/Paris or UTC)`);
  }
}

function utcMidnightOfKey(dayKey: string): number {
  const [year, month, day] = dayKey.split("-").map(Number);
  return Date.UTC(year, month - 1, day);
}

function nextDayKey(dayKey: string): string {
  return new Date(utcMidnightOfKey(dayKey) + DAY_MS).toISOString().slice(0, 10);
}

/**
 * First minute at which the local date is `dayKey` or later. Searching for the date change
 * (rather than assuming 00:00 exists) also handles zones whose DST shift skips midnight.
 */
function startOfLocalDayMs(dayKey: string, timezone: string): number {
  let lowMinute = (utcMidnightOfKey(dayKey) - MAX_OFFSET_MS) / MINUTE_MS;
  let highMinute = (utcMidnightOfKey(dayKey) + MAX_OFFSET_MS) / MINUTE_MS;
  while (lowMinute < highMinute) {
    const mid = Math.floor((lowMinute + highMinute) / 2);
    if (localDayKey(mid * MINUTE_MS, timezone) >= dayKey) highMinute = mid;
    else lowMinute = mid + 1;
  }
  return lowMinute * MINUTE_MS;
}

/** Local midnights in (fromMs, toMs], oldest first. */
export function dayBoundariesBetween(fromMs: number, toMs: number, timezone: string): number[] {
  const boundaries: number[] = [];
  let key = nextDayKey(localDayKey(fromMs, timezone));
  for (;;) {
    const startMs = startOfLocalDayMs(key, timezone);
    if (startMs > toMs) return boundaries;
    if (startMs > fromMs) boundaries.push(startMs);
    key = nextDayKey(key);
  }
}
