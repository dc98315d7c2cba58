// Generated from core/src/limits/header-file.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * Parsing `~/.claude/usage-limits.json` as written by BudMon-style interceptors:
 * `{source: "interceptor", updated_at, headers_raw: {anthropic-ratelimit-unified-*}}`.
 * Utilizations there are FRACTIONS and resets unix SECONDS. Pure.
 */
import {
  FIVE_HOURS_MS,
  SEVEN_DAYS_MS,
  type ExtraUsage,
  type WindowReading,
  type WindowStatus,
} from "./snapshot";
import { fractionToRatio, isRecord, isoToMs, stringOrNull, unixSecondsToMs } from "./units";

const PREFIX = "anthropic-ratelimit-unified-";

export type HeaderFileParse =
  | {
      ok: true;
      updatedAtMs: number | null;
      windows: Omit<WindowReading, "observedAtMs" | "source">[];
      extraUsage: ExtraUsage | null;
    }
  | { ok: false; message: string };

function unifiedStatus(value: string | null): WindowStatus {
  if (value === "allowed") return "allowed";
  if (value === "allowed_warning") return "warning";
  if (value === "rejected") return "rejected";
  return "unknown";
}

const WINDOWS: Array<{ key: string; window: string; windowLengthMs: number }> = [
  { key: "5h", window: "five_hour", windowLengthMs: FIVE_HOURS_MS },
  { key: "7d", window: "seven_day", windowLengthMs: SEVEN_DAYS_MS },
];

export function parseHeaderFile(text: string): HeaderFileParse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: "is not valid JSON" };
  }
  if (!isRecord(json) || json.source !== "interceptor" || !isRecord(json.headers_raw)) {
    const source = isRecord(json) ? stringOrNull(json.source) : null;
    return {
      ok: false,
      message: `has another tool's format${source ? ` (source "${source}")` : ""}, not an interceptor's headers; ignored`,
    };
  }
  const headers: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(json.headers_raw)) {
    headers[name.toLowerCase()] = typeof value === "number" ? String(value) : stringOrNull(value);
  }
  const header = (suffix: string): string | null => headers[PREFIX + suffix] ?? null;
  const windows: Omit<WindowReading, "observedAtMs" | "source">[] = [];
  for (const w of WINDOWS) {
    const ratio = fractionToRatio(header(`${w.key}-utilization`));
    if (ratio === null) continue;
    windows.push({
      window: w.window,
      utilizationRatio: ratio,
      resetsAtMs: unixSecondsToMs(header(`${w.key}-reset`)),
      windowLengthMs: w.windowLengthMs,
      status: unifiedStatus(header(`${w.key}-status`)),
    });
  }
  const overageRatio = fractionToRatio(header("overage-utilization"));
  const overageStatus = header("overage-status");
  const extraUsage: ExtraUsage | null =
    overageRatio !== null || overageStatus !== null
      ? {
          isEnabled:
            overageStatus !== null &&
            overageStatus !== "rejected" &&
            header("overage-disabled-reason") === null,
          monthlyLimit: null,
          used: null,
          currency: "USD",
          utilizationRatio: overageRatio,
        }
      : null;
  return { ok: true, updatedAtMs: isoToMs(json.updated_at), windows, extraUsage };
}
