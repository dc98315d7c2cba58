export { shortModelName } from "../report/table";

/** `16:45` today, `Sat 09:00` further away; in `timezone` (empty: this machine's). */
export function formatClock(ms: number, timezone: string, nowMs = ms): string {
  const zone = timezone || undefined;
  const time = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(ms);
  if (Math.abs(ms - nowMs) < 20 * 3_600_000) return time;
  const day = new Intl.DateTimeFormat("en-US", { timeZone: zone, weekday: "short" }).format(ms);
  return `${day} ${time}`;
}
