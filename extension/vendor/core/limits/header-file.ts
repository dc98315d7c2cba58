// Generated from core/src/limits/header-file.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * `~/.claude/usage-limits.json` as written by BudMon-style interceptors:
 * `{source: "interceptor", updated_at, headers_raw: {anthropic-ratelimit-unified-*}}`, as a
 * schema. Header names are case-insensitive; utilizations there are FRACTIONS and resets
 * unix SECONDS (numbers or strings). Pure.
 */
import * as v from "valibot";
import {
  FIVE_HOURS_MS,
  SEVEN_DAYS_MS,
  type ExtraUsage,
  type WindowReading,
  type WindowStatus,
} from "./snapshot";
import { orNull, parseJsonWith, stringOrNull, type Parsed } from "../schema";
import { fractionAsRatio, isoAsMs, unixSecondsAsMs } from "./units";

const PREFIX = "anthropic-ratelimit-unified-";

function unifiedStatus(value: string | null): WindowStatus {
  if (value === "allowed") return "allowed";
  if (value === "allowed_warning") return "warning";
  if (value === "rejected") return "rejected";
  return "unknown";
}

/** `anthropic-ratelimit-unified-<suffix>` headers by suffix (`5h-utilization`), any case. */
const unifiedHeaders = v.pipe(
  v.record(v.string(), v.unknown()),
  v.transform((headers) => {
    const bySuffix: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(headers)) {
      const lower = name.toLowerCase();
      if (lower.startsWith(PREFIX)) bySuffix[lower.slice(PREFIX.length)] = value;
    }
    return bySuffix;
  }),
);

const WINDOWS = [
  { key: "5h", window: "five_hour", windowLengthMs: FIVE_HOURS_MS },
  { key: "7d", window: "seven_day", windowLengthMs: SEVEN_DAYS_MS },
] as const;

const InterceptorFileSchema = v.object({
  source: v.literal("interceptor"),
  updated_at: orNull(isoAsMs),
  headers_raw: v.pipe(
    unifiedHeaders,
    v.object({
      "5h-utilization": orNull(fractionAsRatio),
      "5h-reset": orNull(unixSecondsAsMs),
      "5h-status": stringOrNull,
      "7d-utilization": orNull(fractionAsRatio),
      "7d-reset": orNull(unixSecondsAsMs),
      "7d-status": stringOrNull,
      "overage-utilization": orNull(fractionAsRatio),
      "overage-status": stringOrNull,
      "overage-disabled-reason": stringOrNull,
    }),
  ),
});

export interface InterceptorHeaders {
  updatedAtMs: number | null;
  windows: Omit<WindowReading, "observedAtMs" | "source">[];
  extraUsage: ExtraUsage | null;
}

/**
 * The file's readings, or why it cannot be used (`where` names the file). A file of another
 * tool with the same name says so, with that tool's `source` when it has one.
 */
export function parseHeaderFile(text: string, where = "header file"): Parsed<InterceptorHeaders> {
  const parsed = parseJsonWith(InterceptorFileSchema, text, where);
  if (!parsed.ok) {
    const issue = parsed.issue;
    const atTop = issue !== null && (issue.path === undefined || issue.path[0].key === "source");
    if (!atTop) return parsed;
    const source = typeof issue.input === "string" ? ` (source "${issue.input}")` : "";
    return {
      ...parsed,
      message: `${where} has another tool's format${source}, not an interceptor's headers; ignored`,
    };
  }
  const { updated_at, headers_raw: headers } = parsed.value;
  const windows: InterceptorHeaders["windows"] = [];
  for (const w of WINDOWS) {
    const ratio = headers[`${w.key}-utilization`];
    if (ratio === null) continue;
    windows.push({
      window: w.window,
      utilizationRatio: ratio,
      resetsAtMs: headers[`${w.key}-reset`],
      windowLengthMs: w.windowLengthMs,
      status: unifiedStatus(headers[`${w.key}-status`]),
    });
  }
  const overageRatio = headers["overage-utilization"];
  const overageStatus = headers["overage-status"];
  const extraUsage: ExtraUsage | null =
    overageRatio !== null || overageStatus !== null
      ? {
          isEnabled:
            overageStatus !== null &&
            overageStatus !== "rejected" &&
            headers["overage-disabled-reason"] === null,
          monthlyLimit: null,
          used: null,
          currency: "USD",
          utilizationRatio: overageRatio,
        }
      : null;
  return { ok: true, value: { updatedAtMs: updated_at, windows, extraUsage } };
}
