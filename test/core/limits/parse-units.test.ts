import {
  limitWindowName,
  nextAfterFailure,
  parseProfileBody,
  parseRetryAfterMs,
  parseUsageBody,
  usageToReadings,
} from "@quotacast/core";
import { isoToMs, modelSlug, percentToRatio, unixSecondsToMs } from "../../../core/src/limits/units";

const NOW_MS = Date.UTC(2026, 10, 22, 12, 0, 0);

test("units are converted once: percent, ISO with microseconds and offsets, unix seconds", () => {
  expect(percentToRatio(112.5)).toBeCloseTo(1.125, 12);
  expect(percentToRatio("42")).toBeCloseTo(0.42, 12);
  expect(percentToRatio(null)).toBeNull();
  expect(percentToRatio(Number.NaN)).toBeNull();
  expect(isoToMs("2026-11-22T14:00:00.123456+02:00")).toBe(Date.UTC(2026, 10, 22, 12, 0, 0, 123));
  expect(isoToMs("2026-11-22T12:00:00+00:00")).toBe(NOW_MS);
  expect(isoToMs("soon")).toBeNull();
  expect(unixSecondsToMs(1763812800)).toBe(1763812800_000);
  expect(modelSlug("Sonnet 4.5")).toBe("sonnet_4_5");
  expect(modelSlug("claude-opus-4-5")).toBe("opus_4_5");
});

test("codename buckets keep their own name; unknown shapes inside are skipped", () => {
  const parsed = parseUsageBody({
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
  const parsed = parseUsageBody({
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

test("profile: plan from the organization, flags as a fallback", () => {
  // The email is not kept (only what a front shows).
  expect(parseProfileBody({ account: { has_claude_pro: true, email: "a@b" } })).toEqual({
    subscriptionType: "claude_pro",
  });
  expect(() => parseProfileBody("nope")).toThrow();
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
