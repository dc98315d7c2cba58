/** The zone a command reports in when none is given. */
import { systemTimeZone } from "@quotacast/core/io";
import { checkTimezone } from "./args";

/**
 * This machine's zone, checked: `systemTimeZone()` (found without ICU), or the zone ICU
 * resolves when the system names none that ICU knows (a `TZ` naming no zone).
 */
export function checkedSystemZone(zone: string = systemTimeZone()): string {
  try {
    return checkTimezone(zone);
  } catch {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  }
}
