/** The zone a command reports in when none is given. */
import * as fs from "node:fs";
import * as path from "node:path";
import { systemTimeZone } from "@quotacast/core/io";
import { checkTimezone } from "./args";

/**
 * This machine's zone, checked: `systemTimeZone()` (found without ICU), or the zone ICU
 * resolves when the system names none that ICU knows (a `TZ` naming no zone), or UTC when ICU
 * cannot use its own answer either. A zone the system's own zone database has is taken without
 * asking ICU, whose first use costs ~40 ms; except `Factory`, the database's placeholder for a
 * zone never set, which ICU does not know (it answers `Etc/Unknown`, which it rejects too).
 */
export function checkedSystemZone(zone: string = systemTimeZone()): string {
  if (zone !== "Factory" && inSystemZoneDatabase(zone)) return zone;
  try {
    return checkTimezone(zone);
  } catch {
    const resolved = Intl.DateTimeFormat().resolvedOptions().timeZone;
    try {
      return checkTimezone(resolved);
    } catch {
      return "UTC"; // Date's local time in such a zone is UTC too
    }
  }
}

/**
 * A zone given on the command line, checked: UTC is taken without starting ICU (its days need
 * no Intl formatter); any other is checked by ICU, which computes its days anyway. Throws a
 * UsageError for a zone ICU does not know, even one the system's tz database has (`Factory`).
 */
export function checkGivenZone(zone: string): string {
  return zone === "UTC" || zone === "Etc/UTC" ? zone : checkTimezone(zone);
}

/** Whether the system's tz database (`$TZDIR`, else /usr/share/zoneinfo) has a file for `zone`. */
function inSystemZoneDatabase(zone: string): boolean {
  if (zone === "UTC") return true;
  const database = process.env.TZDIR || "/usr/share/zoneinfo";
  return (
    !zone.split("/").includes("..") &&
    fs.statSync(path.join(database, zone), { throwIfNoEntry: false })?.isFile() === true
  );
}
