import { nodeHttp, projectMonthEnd, samplesFromDays, type PollContext, nodeFiles } from "@quotacast/core";
import { createAdminSource } from "@quotacast/core/limits/sources/admin";
import { adminUsageRecord } from "../../fakes/anthropic-fixtures";
import { FakeAnthropicServer, anthropicError, type RecordedRequest } from "../../fakes/anthropic-server";
import { ManualClock, tempDir } from "../../fakes/ports";

const NOW_MS = Date.UTC(2026, 10, 10, 12, 0, 0); // Nov 10, 12:00 UTC
const KEY = "sk-ant-admin01-test-key-not-real";
const USAGE_PATH = "/v1/organizations/usage_report/claude_code";
const COST_PATH = "/v1/organizations/cost_report";

let server: FakeAnthropicServer;
let clock: ManualClock;

/** Alice $10/day on Opus, Bob $2.50/day on Sonnet; today (Nov 10) is half a day. Nov 5 comes in two pages. */
function usageResponder(request: RecordedRequest) {
  const date = request.query.starting_at;
  const day = Number(date.slice(8, 10));
  const factor = day === 10 ? 0.5 : 1;
  const alice = adminUsageRecord(date, "alice@example.com", "claude-opus-4-5", 1000 * factor);
  const bob = adminUsageRecord(date, "bob@example.com", "claude-sonnet-4-5", 250 * factor);
  if (day === 5 && !request.query.page)
    return { body: { data: [alice], has_more: true, next_page: "page-2" } };
  if (day === 5) return { body: { data: [bob], has_more: false, next_page: null } };
  return { body: { data: [alice, bob], has_more: false, next_page: null } };
}

function ctx(env: Record<string, string> = { ANTHROPIC_ADMIN_KEY: KEY }): PollContext {
  return {
    clock,
    files: nodeFiles,
    http: nodeHttp,
    env,
    homeDir: tempDir(),
    config: { admin: { baseUrl: server.baseUrl, timeoutMs: 300 } },
    version: "1.2.3",
  };
}

beforeAll(async () => {
  server = await FakeAnthropicServer.start();
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  clock = new ManualClock(NOW_MS);
  server.on(USAGE_PATH, usageResponder);
  server.on(COST_PATH, {
    body: {
      data: [
        {
          starting_at: "2026-11-01T00:00:00Z",
          ending_at: "2026-11-02T00:00:00Z",
          results: [{ amount: "12345.5", currency: "USD", model: null, token_type: null }],
        },
        {
          starting_at: "2026-11-02T00:00:00Z",
          ending_at: "2026-11-03T00:00:00Z",
          results: [
            { amount: "100", currency: "USD" },
            { amount: "0.5", currency: "USD" },
          ],
        },
      ],
      has_more: false,
      next_page: null,
    },
  });
});

test("month to date per user and per model in USD, cost report total, projection from the longest window", async () => {
  const result = await createAdminSource().poll(ctx());
  expect(result.status).toMatchObject({ source: "admin", state: "ok" });
  const org = result.orgUsage!;
  // 9 full days at $12.50 plus half of today.
  expect(org.monthToDateUsd).toBeCloseTo(9 * 12.5 + 6.25, 9);
  expect(org.perUser.map((u) => [u.actor, u.costUsd, u.sessions])).toEqual([
    ["alice@example.com", 95, 20],
    ["bob@example.com", 23.75, 20],
  ]);
  expect(org.perModel.map((m) => [m.model, m.costUsd, m.cacheReadTokens])).toEqual([
    ["claude-opus-4-5", 95, 10_000],
    ["claude-sonnet-4-5", 23.75, 10_000],
  ]);
  expect(org.perDay).toHaveLength(10);
  expect(org.costReportMonthToDateUsd).toBeCloseTo(124.46, 9);
  expect(org.projectionWindowMs).toBe(7 * 86400_000);
  // A steady $12.50/day over 30 days.
  expect(org.projectedMonthUsd).toBeCloseTo(375, 6);
  expect(org.projectionRateUsdPerHour).toBeCloseTo(12.5 / 24, 9);

  const usageRequests = server.requestsTo(USAGE_PATH);
  expect(usageRequests.map((r) => r.query.starting_at)).toEqual([
    "2026-11-01",
    "2026-11-02",
    "2026-11-03",
    "2026-11-04",
    "2026-11-05",
    "2026-11-05",
    "2026-11-06",
    "2026-11-07",
    "2026-11-08",
    "2026-11-09",
    "2026-11-10",
  ]);
  expect(usageRequests[5].query.page).toBe("page-2");
  for (const r of server.requests) {
    expect(r.headers["x-api-key"]).toBe(KEY);
    expect(r.headers["anthropic-version"]).toBe("2023-06-01");
    expect(r.headers.authorization).toBeUndefined();
  }
  expect(server.requestsTo(COST_PATH)[0].query).toMatchObject({
    starting_at: "2026-11-01T00:00:00Z",
    bucket_width: "1d",
  });
});

test("final days are fetched once; only recent days are fetched again", async () => {
  const source = createAdminSource();
  await source.poll(ctx());
  server.reset();
  server.on(USAGE_PATH, usageResponder);
  server.on(COST_PATH, { body: { data: [], has_more: false } });
  clock.advance(5 * 60_000);
  const second = await source.poll(ctx());
  expect(server.requestsTo(USAGE_PATH).map((r) => r.query.starting_at)).toEqual([
    "2026-11-08",
    "2026-11-09",
    "2026-11-10",
  ]);
  expect(second.orgUsage!.monthToDateUsd).toBeCloseTo(118.75, 9);
});

test("off without a key; a rejected key stops polling until it changes", async () => {
  const off = await createAdminSource().poll(ctx({}));
  expect(off.status.state).toBe("disabled");
  expect(server.requests).toHaveLength(0);

  server.on(USAGE_PATH, { status: 401, body: anthropicError("authentication_error", "invalid x-api-key") });
  const source = createAdminSource();
  const first = await source.poll(ctx());
  expect(first.status).toMatchObject({ state: "error", lastErrorReason: "auth_expired" });
  expect(first.status.message).toMatch(/admin key rejected/);
  await source.poll(ctx());
  expect(server.requestsTo(USAGE_PATH)).toHaveLength(1);
  server.on(USAGE_PATH, usageResponder);
  const resumed = await source.poll(ctx({ ANTHROPIC_ADMIN_KEY: `${KEY}-2` }));
  expect(resumed.status.state).toBe("ok");
});

test("429 honours retry-after; malformed pages are bad_response", async () => {
  server.on(USAGE_PATH, { status: 429, headers: { "retry-after": "1800" } });
  const limited = await createAdminSource().poll(ctx());
  expect(limited.status).toMatchObject({ state: "backoff", lastErrorReason: "rate_limited" });
  expect(limited.nextPollAtMs - NOW_MS).toBe(1800_000);

  server.on(USAGE_PATH, { body: { unexpected: true } });
  const bad = await createAdminSource().poll(ctx());
  expect(bad.status).toMatchObject({ state: "error", lastErrorReason: "bad_response" });
  expect(bad.status.message).toBe(
    "Admin API usage report (/v1/organizations/usage_report/claude_code): data: missing",
  );
});

test("records of another shape are left out, fields of another type count as none, new fields are ignored", async () => {
  const alice = adminUsageRecord("2026-11-01", "alice@example.com", "claude-opus-4-5", 1000) as Record<
    string,
    unknown
  >;
  server.on(USAGE_PATH, (request) =>
    request.query.starting_at === "2026-11-01"
      ? {
          body: {
            data: [
              { ...alice, core_metrics: { num_sessions: "3", lines_of_code: "many" }, new_metric: 1 },
              { actor: { type: "user_actor", email_address: "no-date@example.com" } },
              "junk",
            ],
            has_more: "yes",
          },
        }
      : { body: { data: [] } },
  );
  const result = await createAdminSource().poll(ctx());
  expect(result.status.state).toBe("ok");
  expect(result.orgUsage!.perUser).toEqual([
    {
      actor: "alice@example.com",
      actorType: "user",
      costUsd: 10,
      sessions: 3,
      linesAdded: 0,
      linesRemoved: 0,
      commits: 0,
      pullRequests: 0,
    },
  ]);
});

describe("projectMonthEnd: progressive window fallback", () => {
  const endMs = NOW_MS + 10 * 3600_000;
  test("uses the longest window the samples cover", () => {
    const samples = [
      { atMs: NOW_MS - 2 * 3600_000, monthToDateUsd: 10 },
      { atMs: NOW_MS - 3600_000, monthToDateUsd: 11 },
      { atMs: NOW_MS, monthToDateUsd: 14 },
    ];
    // 2 h of data: the 1 h window ($3/h) wins over 30 min; 3 h and longer are not covered.
    expect(projectMonthEnd(samples, NOW_MS, endMs)).toEqual({
      projectedMonthUsd: 44,
      windowMs: 3600_000,
      rateUsdPerHour: 3,
    });
  });

  test("falls back to 30 minutes, and gives up with less", () => {
    const samples = [
      { atMs: NOW_MS - 40 * 60_000, monthToDateUsd: 0 },
      { atMs: NOW_MS, monthToDateUsd: 4 },
    ];
    expect(projectMonthEnd(samples, NOW_MS, endMs)?.windowMs).toBe(30 * 60_000);
    expect(
      projectMonthEnd(
        [
          { atMs: NOW_MS - 60_000, monthToDateUsd: 1 },
          { atMs: NOW_MS, monthToDateUsd: 2 },
        ],
        NOW_MS,
        endMs,
      ),
    ).toBeNull();
    expect(projectMonthEnd([], NOW_MS, endMs)).toBeNull();
  });

  test("samplesFromDays starts at zero on the month's first instant and fills days without records", () => {
    const monthStart = Date.UTC(2026, 10, 1);
    const samples = samplesFromDays(
      [{ date: "2026-11-02", costUsd: 5 }],
      monthStart,
      Date.UTC(2026, 10, 3, 6),
    );
    expect(samples).toEqual([
      { atMs: monthStart, monthToDateUsd: 0 },
      { atMs: Date.UTC(2026, 10, 2), monthToDateUsd: 0 },
      { atMs: Date.UTC(2026, 10, 3), monthToDateUsd: 5 },
      { atMs: Date.UTC(2026, 10, 3, 6), monthToDateUsd: 5 },
    ]);
  });
});

test.each([
  {
    name: "403",
    response: { status: 403, body: anthropicError("permission_error", "no access") },
    state: "error",
    reason: "forbidden",
    message: /no access to this organization/,
  },
  { name: "500", response: { status: 500 }, state: "backoff", reason: "server_error", message: /HTTP 500/ },
  { name: "timeout", response: { hang: true }, state: "backoff", reason: "timeout", message: /no answer/ },
  {
    name: "malformed JSON",
    response: { body: "{oops" },
    state: "error",
    reason: "bad_response",
    message: /not valid JSON/,
  },
])(
  "admin $name: told what happened, next poll later than the interval unless refused",
  async ({ response, state, reason, message }) => {
    server.on(USAGE_PATH, response);
    const result = await createAdminSource().poll(ctx());
    expect(result.status).toMatchObject({ state, lastErrorReason: reason });
    expect(result.status.message).toMatch(message);
    expect(result.orgUsage).toBeUndefined();
    if (reason !== "forbidden") expect(result.nextPollAtMs - NOW_MS).toBeGreaterThan(5 * 60_000);
  },
);
