/**
 * Parsing of the (undocumented) OAuth usage and profile responses. Pure. Keeps every
 * bucket, including codename keys, and never throws on a missing or extra field.
 */
import {
  FIVE_HOURS_MS,
  SEVEN_DAYS_MS,
  type ExtraUsage,
  type PlanInfo,
  type WindowReading,
  type WindowStatus,
} from "../snapshot";
import {
  centsToUnits,
  finiteNumber,
  isRecord,
  isoToMs,
  modelSlug,
  percentToRatio,
  stringOrNull,
} from "../units";

export interface UsageBucket {
  utilizationRatio: number;
  resetsAtMs: number | null;
}

export interface UsageLimit {
  kind: string;
  group: string | null;
  utilizationRatio: number;
  severity: string | null;
  resetsAtMs: number | null;
  scopeModel: { id: string; displayName: string } | null;
  isActive: boolean;
}

export interface ParsedUsage {
  /** Every bucket by its own key; null for buckets the API sent as null. */
  buckets: Record<string, UsageBucket | null>;
  limits: UsageLimit[];
  extraUsage: ExtraUsage | null;
}

const NON_BUCKET_KEYS = new Set(["extra_usage", "limits"]);

/** Window length from a bucket name: codename buckets are assumed weekly. */
function windowLengthFor(name: string): number {
  return name.startsWith("five_hour") ? FIVE_HOURS_MS : SEVEN_DAYS_MS;
}

function parseBucket(value: unknown): UsageBucket | null | undefined {
  if (value === null) return null;
  if (!isRecord(value) || !("utilization" in value)) return undefined;
  const ratio = percentToRatio(value.utilization);
  if (ratio === null) return null;
  return { utilizationRatio: ratio, resetsAtMs: isoToMs(value.resets_at) };
}

function parseLimit(value: unknown): UsageLimit | null {
  if (!isRecord(value)) return null;
  const ratio = percentToRatio(value.percent);
  const kind = stringOrNull(value.kind);
  if (ratio === null || kind === null) return null;
  const scope = isRecord(value.scope) && isRecord(value.scope.model) ? value.scope.model : null;
  const scopeId = scope ? stringOrNull(scope.id) : null;
  const scopeName = scope ? (stringOrNull(scope.display_name) ?? scopeId) : null;
  return {
    kind,
    group: stringOrNull(value.group),
    utilizationRatio: ratio,
    severity: stringOrNull(value.severity),
    resetsAtMs: isoToMs(value.resets_at),
    scopeModel: scopeName !== null ? { id: scopeId ?? scopeName, displayName: scopeName } : null,
    isActive: value.is_active !== false,
  };
}

function parseExtraUsage(value: unknown): ExtraUsage | null {
  if (!isRecord(value)) return null;
  const utilization = finiteNumber(value.utilization);
  return {
    isEnabled: value.is_enabled === true,
    monthlyLimit: centsToUnits(value.monthly_limit),
    used: centsToUnits(value.used_credits),
    currency: stringOrNull(value.currency) ?? "USD",
    utilizationRatio: utilization === null ? null : utilization / 100,
  };
}

/** Throws only when the body is not a JSON object at all. */
export function parseUsageBody(body: unknown): ParsedUsage {
  if (!isRecord(body)) throw new Error("usage response is not a JSON object");
  const buckets: Record<string, UsageBucket | null> = {};
  for (const [key, value] of Object.entries(body)) {
    if (NON_BUCKET_KEYS.has(key)) continue;
    const bucket = parseBucket(value);
    if (bucket !== undefined) buckets[key] = bucket;
  }
  const limits = Array.isArray(body.limits)
    ? body.limits.map(parseLimit).filter((l): l is UsageLimit => l !== null)
    : [];
  return { buckets, limits, extraUsage: parseExtraUsage(body.extra_usage) };
}

/** Window name of a `limits[]` entry: session -> five_hour, weekly_all -> seven_day, weekly_scoped -> seven_day_<model>. */
export function limitWindowName(limit: UsageLimit): string | null {
  if (limit.kind === "session") return "five_hour";
  if (limit.kind === "weekly_all") return "seven_day";
  if (limit.kind === "weekly_scoped" && limit.scopeModel)
    return `seven_day_${modelSlug(limit.scopeModel.displayName)}`;
  return null;
}

function statusFromSeverity(severity: string | null): WindowStatus {
  if (severity === "normal") return "allowed";
  if (severity === "warning") return "warning";
  if (severity === "rejected" || severity === "blocked") return "rejected";
  return "unknown";
}

/**
 * Readings from a parsed response. Buckets come first (float utilization); a `limits[]`
 * entry for the same window adds its severity and model scope, and entries for windows
 * that have no bucket (per-model weeklies) become readings of their own. Inactive limits
 * and null buckets yield nothing.
 */
export function usageToReadings(
  parsed: ParsedUsage,
  observedAtMs: number,
  source = "oauth",
): WindowReading[] {
  const readings = new Map<string, WindowReading>();
  for (const [name, bucket] of Object.entries(parsed.buckets)) {
    if (!bucket) continue;
    readings.set(name, {
      window: name,
      utilizationRatio: bucket.utilizationRatio,
      resetsAtMs: bucket.resetsAtMs,
      windowLengthMs: windowLengthFor(name),
      status: "unknown",
      source,
      observedAtMs,
    });
  }
  for (const limit of parsed.limits) {
    const name = limitWindowName(limit);
    if (name === null || !limit.isActive) continue;
    const existing = readings.get(name);
    const status = statusFromSeverity(limit.severity);
    if (existing) {
      existing.status = status;
      if (limit.scopeModel) existing.scopeModel = limit.scopeModel;
      if (existing.resetsAtMs === null) existing.resetsAtMs = limit.resetsAtMs;
      continue;
    }
    readings.set(name, {
      window: name,
      utilizationRatio: limit.utilizationRatio,
      resetsAtMs: limit.resetsAtMs,
      windowLengthMs: windowLengthFor(name),
      status,
      ...(limit.scopeModel ? { scopeModel: limit.scopeModel } : {}),
      source,
      observedAtMs,
    });
  }
  return [...readings.values()];
}

/** Plan from `/api/oauth/profile`: only its type and tier (no email, no names: see `PlanInfo`). */
export function parseProfileBody(body: unknown): PlanInfo {
  if (!isRecord(body)) throw new Error("profile response is not a JSON object");
  const account = isRecord(body.account) ? body.account : {};
  const org = isRecord(body.organization) ? body.organization : {};
  const plan: PlanInfo = {};
  const subscriptionType =
    stringOrNull(org.organization_type) ??
    (account.has_claude_max === true ? "claude_max" : account.has_claude_pro === true ? "claude_pro" : null);
  if (subscriptionType) plan.subscriptionType = subscriptionType;
  const tier = stringOrNull(org.rate_limit_tier);
  if (tier) plan.rateLimitTier = tier;
  return plan;
}
