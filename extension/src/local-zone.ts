/**
 * The system's time zone name without starting ICU on every run. `Intl.DateTimeFormat()
 * .resolvedOptions().timeZone` builds a formatter: ~20 ms in a fresh process, as much as the
 * rest of a warm menu-bar refresh. ICU takes the zone from the TZ variable, else from where
 * /etc/localtime points; so Intl's answer is kept in the cache with those two, and asked again
 * only when either changes.
 */
import * as fs from "node:fs";
import type { TextCache } from "./data";

const ZONE_CACHE_KEY = "quotacast-local-zone-v1";
const LOCALTIME_FILE = "/etc/localtime";

interface ZoneRecord {
  /** What ICU reads the zone from, as seen when `timezone` was asked. */
  source: string;
  timezone: string;
}

/** TZ and the /etc/localtime link (or, when it is a copy, its inode and mtime). */
export function zoneSource(env: Record<string, string | undefined> = process.env): string {
  let localtime = "";
  try {
    localtime = fs.readlinkSync(LOCALTIME_FILE);
  } catch {
    try {
      const stat = fs.statSync(LOCALTIME_FILE);
      localtime = `file ${stat.ino} ${stat.mtimeMs}`;
    } catch {
      // no /etc/localtime: ICU falls back to UTC, and so does the source
    }
  }
  return JSON.stringify([env.TZ ?? null, localtime]);
}

/** The IANA name of the system's zone: from the cache while its source is unchanged, else from Intl. */
export function localTimeZone(cache: TextCache, intlZone: () => string = intlTimeZone): string {
  const source = zoneSource();
  const cached = readRecord(cache.get(ZONE_CACHE_KEY));
  if (cached !== null && cached.source === source) return cached.timezone;
  const timezone = intlZone();
  const record: ZoneRecord = { source, timezone };
  cache.set(ZONE_CACHE_KEY, JSON.stringify(record));
  return timezone;
}

function intlTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC";
}

function readRecord(text: string | undefined): ZoneRecord | null {
  if (!text) return null;
  try {
    const record = JSON.parse(text) as Partial<ZoneRecord>;
    return typeof record.source === "string" && typeof record.timezone === "string" ? (record as ZoneRecord) : null;
  } catch {
    return null;
  }
}
