import * as v from "valibot";
import { nextAfterFailure, parseRetryAfterMs } from "@quotacast/core";
import {
  limitWindowName,
  parseProfileBody,
  parseUsageBody,
  usageToReadings,
} from "@quotacast/core/limits/oauth/parse";
import { orNull } from "@quotacast/core/schema";
import { isoAsMs, modelSlug, percentAsRatio, unixSecondsAsMs } from "../../../core/src/limits/units";

const NOW_MS = Date.UTC(2026, 10, 22, 12, 0, 0);

/** A field's value through its unit schema, as an answer's drifting field reads. */
const read = (schema: v.GenericSchema, value: unknown): unknown => v.parse(orNull(schema), value);

test("units are converted once: percent, ISO with microseconds and offsets, unix seconds", () => {
  expect(read(percentAsRatio, 112.5)).toBeCloseTo(1.125, 12);
  expect(read(percentAsRatio, "42")).toBeCloseTo(0.42, 12);
  expect(read(percentAsRatio, null)).toBeNull();
  expect(read(percentAsRatio, Number.NaN)).toBeNull();
  expect(read(percentAsRatio, " ")).toBeNull();
  expect(read(percentAsRatio, true)).toBeNull();
  expect(read(isoAsMs, "2026-11-22T14:00:00.123456+02:00")).toBe(Date.UTC(2026, 10, 22, 12, 0, 0, 123));
  expect(read(isoAsMs, "2026-11-22T12:00:00+00:00")).toBe(NOW_MS);
  expect(read(isoAsMs, "soon")).toBeNull();
  expect(read(isoAsMs, "")).toBeNull();
  expect(read(unixSecondsAsMs, 1763812800)).toBe(1763812800_000);
  expect(read(unixSecondsAsMs, "1763812800.5")).toBe(1763812800_500);
  expect(modelSlug("Sonnet 4.5")).toBe("sonnet_4_5");
  expect(modelSlug("claude-opus-4-5")).toBe("opus_4_5");
});

/** The parsed answer; a test fails with the parser's message when it is refused. */
function usage(body: unknown) {
  const parsed = parseUsageBody(body);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value;
}

test("codename buckets keep their own name; unknown shapes inside are skipped", () => {
  const parsed = usage({
    tangelo_lime: { utilization: 3, resets_at: "2026-11-25T00:00:00+00:00" },
    five_hour_fennec: { utilization: 10, resets_at: null },
    not_a_bucket: { something: 1 },
    also_not: 7,
    limits: [{ kind: "weekly_scoped", percent: 5, scope: null }, { kind: "monthly", percent: 5 }, "junk"],
  });
  const readings = usageToReadings(parsed, NOW_MS);
  expect(readings.map((r) => [r.window, r.utilizationRatio, r.windowLengthMs])).toEqual([
    ["tangelo_lime", 0.03, 7 * 86400_000],
    ["five_hour_fennec", 0.1, 5 * 3600_000],
  ]);
  expect(parsed.limits.map(limitWindowName)).toEqual([null, null]);
});

test("a limits[] entry adds status and scope to its bucket and fills a missing reset", () => {
  const parsed = usage({
    seven_day: { utilization: 50, resets_at: null },
    limits: [
      {
        kind: "weekly_all",
        percent: 51,
        severity: "warning",
        resets_at: "2026-11-25T00:00:00Z",
        is_active: true,
      },
    ],
  });
  expect(usageToReadings(parsed, NOW_MS)).toEqual([
    {
      window: "seven_day",
      utilizationRatio: 0.5,
      resetsAtMs: Date.UTC(2026, 10, 25),
      windowLengthMs: 7 * 86400_000,
      status: "warning",
      source: "oauth",
      observedAtMs: NOW_MS,
    },
  ]);
});

test("fields of another type read as absent; new fields are ignored; only a non-object answer is refused", () => {
  const parsed = usage({
    five_hour: { utilization: "high", resets_at: 12 },
    seven_day: { utilization: 30, resets_at: "2026-11-25T00:00:00Z", new_field: { x: 1 } },
    extra_usage: { is_enabled: "yes", monthly_limit: "5000", used_credits: null, currency: 7 },
    limits: "not a list",
    brand_new_section: [1, 2],
  });
  expect(usageToReadings(parsed, NOW_MS).map((r) => [r.window, r.utilizationRatio, r.resetsAtMs])).toEqual([
    ["seven_day", 0.3, Date.UTC(2026, 10, 25)],
  ]);
  expect(parsed.limits).toEqual([]);
  expect(parsed.extraUsage).toEqual({
    isEnabled: false,
    monthlyLimit: 50,
    used: null,
    currency: "USD",
    utilizationRatio: null,
  });
  for (const body of [[1, 2], "nope", null]) {
    const refused = parseUsageBody(body);
    expect(refused).toMatchObject({ ok: false });
    expect(!refused.ok && refused.message).toMatch(
      /^Anthropic's usage answer \(\/api\/oauth\/usage\): expected an object$/,
    );
  }
});

test("profile: plan from the organization, flags as a fallback", () => {
  // The email is not kept (only what a front shows).
  expect(parseProfileBody({ account: { has_claude_pro: true, email: "a@b" } })).toEqual({
    ok: true,
    value: { subscriptionType: "claude_pro" },
  });
  expect(
    parseProfileBody({ account: null, organization: { organization_type: 3, rate_limit_tier: "t" } }),
  ).toEqual({
    ok: true,
    value: { rateLimitTier: "t" },
  });
  expect(parseProfileBody("nope")).toMatchObject({ ok: false });
});

test("retry-after: seconds, HTTP dates, junk; backoff never shorter than the interval", () => {
  expect(parseRetryAfterMs("0", NOW_MS)).toBe(0);
  expect(parseRetryAfterMs("120", NOW_MS)).toBe(120_000);
  expect(parseRetryAfterMs(new Date(NOW_MS + 90_000).toUTCString(), NOW_MS)).toBe(90_000);
  expect(parseRetryAfterMs("later", NOW_MS)).toBeNull();
  expect(parseRetryAfterMs(undefined, NOW_MS)).toBeNull();
  // A tiny retry-after does not make us poll faster than the normal interval.
  expect(nextAfterFailure(NOW_MS, 300_000, { consecutiveFailures: 0 }, 5_000).nextPollAtMs).toBe(
    NOW_MS + 300_000,
  );
});
