/** The zone a command reports in when none is given. */
import * as fs from "node:fs";
import * as path from "node:path";
import { systemTimeZone } from "@quotacast/core/io";
import { isUtcZone } from "@quotacast/core/time";
import { checkTimezone } from "./args";

/**
 * This machine's zone, checked: `systemTimeZone()` (found without ICU), or the zone ICU
 * resolves when the system names none that ICU knows (a `TZ` naming no zone), or UTC when ICU
 * has no usable answer either. A zone the system's own zone database has is taken without
 * asking ICU, whose first use costs ~40 ms.
 */
export function checkedSystemZone(
  zone: string = systemTimeZone(),
  icuZone: () => string | undefined = () => Intl.DateTimeFormat().resolvedOptions().timeZone,
): string {
  if (inSystemZoneDatabase(zone)) return zone;
  try {
    return checkTimezone(zone);
  } catch {
    const resolved = icuZone(); // none at all for some TZ values (TZ=Mars/Olympus)
    try {
      return resolved ? checkTimezone(resolved) : "UTC";
    } catch {
      return "UTC"; // Date's local time in a zone ICU does not know is UTC too
    }
  }
}

/**
 * A zone given on the command line, checked: UTC is taken without starting ICU (its days need
 * no Intl formatter); any other is checked by ICU, which computes its days anyway. Throws a
 * UsageError for a zone ICU does not know, even one the system's tz database has (`Factory`).
 */
export function checkGivenZone(zone: string): string {
  return isUtcZone(zone) ? zone : checkTimezone(zone);
}

/** Whether the system's tz database (`$TZDIR`, else /usr/share/zoneinfo) has a file for `zone`. */
function inSystemZoneDatabase(zone: string): boolean {
  if (isUtcZone(zone)) return true;
  const database = process.env.TZDIR || "/usr/share/zoneinfo";
  return (
    !zone.split("/").includes("..") &&
    fs.statSync(path.join(database, zone), { throwIfNoEntry: false })?.isFile() === true
  );
}
