/** Parsing of the backfill command's durations, instants and labels, with clear errors. */

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** `30s`, `5m`, `1h30m`, `1d` (Prometheus style) in milliseconds. */
export function parseDurationMs(text: string): number {
  const trimmed = text.trim();
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(trimmed); m !== null; m = re.exec(trimmed)) {
    total += Number(m[1]) * UNIT_MS[m[2]];
    matched = re.lastIndex;
  }
  if (trimmed === "" || matched !== trimmed.length || !(total > 0)) {
    throw new Error(`invalid duration '${text}' (examples: 30s, 5m, 1h, 1d)`);
  }
  return total;
}

/**
 * An instant: `now`, `now-3h`, epoch seconds (`1763800000`), or an ISO 8601 date/time
 * (`2026-11-20`, `2026-11-20T12:00:00Z`; without a zone, JavaScript reads a date-time as local).
 */
export function parseInstantMs(text: string, nowMs: number): number {
  const trimmed = text.trim();
  const relative = /^now(?:-(.+))?$/.exec(trimmed);
  if (relative) return relative[1] === undefined ? nowMs : nowMs - parseDurationMs(relative[1]);
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const parsed = Date.parse(trimmed);
  if (Number.isNaN(parsed)) {
    throw new Error(
      `invalid time '${text}' (use now, now-3h, epoch seconds or ISO 8601 such as 2026-11-20T12:00:00Z)`,
    );
  }
  return parsed;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** Labels the backfilled series already carry; overriding them would merge distinct series. */
const RESERVED_LABELS = new Set(["model", "type", "window", "source", "__name__"]);

/** `--label name=value` flags as a label set. */
export function parseLabels(flags: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const flag of flags) {
    const eq = flag.indexOf("=");
    const name = eq > 0 ? flag.slice(0, eq) : "";
    if (!LABEL_NAME.test(name) || name.startsWith("__")) {
      throw new Error(
        `invalid --label '${flag}' (expected name=value with a Prometheus label name, e.g. instance=localhost:9847)`,
      );
    }
    if (RESERVED_LABELS.has(name))
      throw new Error(`--label ${name} is set by the metric itself and cannot be overridden`);
    labels[name] = flag.slice(eq + 1);
  }
  return labels;
}
