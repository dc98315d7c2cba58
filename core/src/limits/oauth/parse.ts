/**
 * The (undocumented) OAuth usage and profile answers, as schemas. Pure. Keeps every bucket,
 * including codename keys; a missing, null or drifting field reads as null and never fails
 * the answer (only an answer that is not a JSON object does).
 */
import * as v from "valibot";
import {
  FIVE_HOURS_MS,
  SEVEN_DAYS_MS,
  type PlanInfo,
  type WindowReading,
  type WindowStatus,
} from "../snapshot";
import { anObject, orNull, parseWith, stringOrNull, validItems, type Parsed } from "../../schema";
import { centsAsUnits, isoAsMs, modelSlug, percentAsRatio } from "../units";

/** A bucket (`five_hour`, `seven_day_opus`, a codename); null when the API sent null or no utilization. */
const UsageBucketSchema = v.pipe(
  v.object({ utilization: orNull(percentAsRatio), resets_at: orNull(isoAsMs) }),
  v.transform(({ utilization, resets_at }) =>
    utilization === null ? null : { utilizationRatio: utilization, resetsAtMs: resets_at },
  ),
);

/** A `limits[]` entry; entries without a kind or a usable percent are left out. */
const UsageLimitSchema = v.pipe(
  v.object({
    kind: v.string(),
    percent: percentAsRatio,
    group: stringOrNull,
    severity: stringOrNull,
    resets_at: orNull(isoAsMs),
    scope: orNull(v.object({ model: v.object({ id: stringOrNull, display_name: stringOrNull }) })),
    is_active: v.fallback(v.boolean(), true),
  }),
  v.transform((limit) => {
    const id = limit.scope?.model.id ?? null;
    const displayName = limit.scope?.model.display_name ?? id;
    return {
      kind: limit.kind,
      group: limit.group,
      utilizationRatio: limit.percent,
      severity: limit.severity,
      resetsAtMs: limit.resets_at,
      scopeModel: displayName !== null ? { id: id ?? displayName, displayName } : null,
      isActive: limit.is_active,
    };
  }),
);
type UsageLimit = v.InferOutput<typeof UsageLimitSchema>;

/** `extra_usage`: amounts in cents, utilization in percent. */
const ExtraUsageSchema = v.pipe(
  v.object({
    is_enabled: v.fallback(v.boolean(), false),
    monthly_limit: orNull(centsAsUnits),
    used_credits: orNull(centsAsUnits),
    currency: v.fallback(v.string(), "USD"),
    utilization: orNull(percentAsRatio),
  }),
  v.transform((extra) => ({
    isEnabled: extra.is_enabled,
    monthlyLimit: extra.monthly_limit,
    used: extra.used_credits,
    currency: extra.currency,
    utilizationRatio: extra.utilization,
  })),
);

/** `/api/oauth/usage`: every key but `limits` and `extra_usage` is a bucket. */
const UsageResponseSchema = v.pipe(
  anObject,
  v.objectWithRest(
    { limits: v.fallback(validItems(UsageLimitSchema), []), extra_usage: orNull(ExtraUsageSchema) },
    orNull(UsageBucketSchema),
  ),
  v.transform(({ limits, extra_usage, ...buckets }) => ({ buckets, limits, extraUsage: extra_usage })),
);
type ParsedUsage = v.InferOutput<typeof UsageResponseSchema>;

/** Window length from a bucket name: codename buckets are assumed weekly. */
function windowLengthFor(name: string): number {
  return name.startsWith("five_hour") ? FIVE_HOURS_MS : SEVEN_DAYS_MS;
}

export function parseUsageBody(body: unknown): Parsed<ParsedUsage> {
  return parseWith(UsageResponseSchema, body, "Anthropic's usage answer (/api/oauth/usage)");
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

/**
 * `/api/oauth/profile`: only the plan's type and tier (no email, no names: see `PlanInfo`).
 * The organization's type wins; the account's flags are the fallback.
 */
const ProfileResponseSchema = v.pipe(
  anObject,
  v.object({
    account: orNull(
      v.object({
        has_claude_max: v.fallback(v.boolean(), false),
        has_claude_pro: v.fallback(v.boolean(), false),
      }),
    ),
    organization: orNull(v.object({ organization_type: stringOrNull, rate_limit_tier: stringOrNull })),
  }),
  v.transform(({ account, organization }) => {
    const plan: PlanInfo = {};
    const subscriptionType =
      organization?.organization_type ??
      (account?.has_claude_max ? "claude_max" : account?.has_claude_pro ? "claude_pro" : null);
    if (subscriptionType) plan.subscriptionType = subscriptionType;
    if (organization?.rate_limit_tier) plan.rateLimitTier = organization.rate_limit_tier;
    return plan;
  }),
);

export function parseProfileBody(body: unknown): Parsed<PlanInfo> {
  return parseWith(ProfileResponseSchema, body, "Anthropic's profile answer (/api/oauth/profile)");
}
