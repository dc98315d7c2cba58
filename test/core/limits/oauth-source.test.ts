import * as fs from "node:fs";
import * as path from "node:path";
import { nodeHttp, type LimitSource, type PollContext, nodeFiles } from "@quotacast/core";
import { createOAuthSource, OAUTH_DEFAULT_INTERVAL_MS } from "@quotacast/core/limits/sources/oauth";
import { keychainServiceName } from "@quotacast/core/limits/oauth/credentials";
import { FakeAnthropicServer, anthropicError } from "../../fakes/anthropic-server";
import { legacyUsageBody, modernUsageBody, profileBody } from "../../fakes/anthropic-fixtures";
import { writeCredentialsFile } from "../../fakes/credentials";
import { ManualClock, tempDir } from "../../fakes/ports";

const START_MS = Date.UTC(2026, 10, 22, 10, 0, 0);
const TOKEN = "test-token-not-real-abc123";

let server: FakeAnthropicServer;
let home: string;
let clock: ManualClock;
let source: LimitSource;

function writeCredentials(token = TOKEN, expiresAtMs = START_MS + 8 * 3600_000, extra: object = {}): void {
  writeCredentialsFile(path.join(home, ".claude"), {
    accessToken: token,
    refreshToken: "refresh-not-used",
    expiresAt: expiresAtMs,
    scopes: ["user:inference", "user:profile"],
    subscriptionType: "max",
    rateLimitTier: "default_claude_max_5x",
    ...extra,
  });
}

function ctx(overrides: Partial<PollContext> = {}, oauth: object = {}): PollContext {
  return {
    clock,
    files: nodeFiles,
    http: nodeHttp,
    env: {},
    homeDir: home,
    config: { oauth: { enabled: true, baseUrl: server.baseUrl, timeoutMs: 300, ...oauth } },
    version: "1.2.3",
    ...overrides,
  };
}

/** A poll with valid credentials on disk and the legacy usage body on the server. */
function pollLegacyUsage() {
  writeCredentials();
  server.on("/api/oauth/usage", { body: legacyUsageBody(START_MS) });
  return source.poll(ctx());
}

beforeAll(async () => {
  server = await FakeAnthropicServer.start();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  home = tempDir();
  clock = new ManualClock(START_MS);
  source = createOAuthSource();
  server.on("/api/oauth/profile", { body: profileBody() });
});

describe("oauth source: successful responses", () => {
  test("full modern response: every bucket, limits[], extra usage in currency units, plan", async () => {
    writeCredentials();
    server.on("/api/oauth/usage", { body: modernUsageBody(START_MS) });
    const result = await source.poll(ctx());

    expect(result.status).toMatchObject({ source: "oauth", state: "ok", lastErrorReason: "none" });
    expect(result.nextPollAtMs).toBe(START_MS + OAUTH_DEFAULT_INTERVAL_MS);
    const snapshot = result.snapshot!;
    const byName = Object.fromEntries(snapshot.windows.map((w) => [w.window, w]));
    expect(Object.keys(byName).sort()).toEqual(
      ["five_hour", "seven_day", "seven_day_cowork", "seven_day_opus", "seven_day_sonnet_4_5"].sort(),
    );
    expect(byName.five_hour.utilizationRatio).toBeCloseTo(0.425, 10);
    expect(byName.five_hour.resetsAtMs).toBe(START_MS + 2 * 3600_000);
    expect(byName.five_hour.windowLengthMs).toBe(5 * 3600_000);
    expect(byName.five_hour.status).toBe("allowed");
    expect(byName.seven_day.status).toBe("warning");
    expect(byName.seven_day.utilizationRatio).toBeCloseTo(0.1825, 10);
    expect(byName.seven_day_opus.utilizationRatio).toBeCloseTo(0.07, 10);
    expect(byName.seven_day_cowork).toMatchObject({ utilizationRatio: 0, resetsAtMs: null });
    // Per-model weekly that exists only in limits[], above 100 %.
    expect(byName.seven_day_sonnet_4_5).toMatchObject({
      utilizationRatio: 1.12,
      status: "warning",
      windowLengthMs: 7 * 86400_000,
      resetsAtMs: START_MS + 4 * 86400_000,
      scopeModel: { id: "claude-sonnet-4-5", displayName: "Sonnet 4.5" },
    });
    for (const w of snapshot.windows) expect(w).toMatchObject({ source: "oauth", observedAtMs: START_MS });
    expect(snapshot.extraUsage).toEqual({
      isEnabled: true,
      monthlyLimit: 50,
      used: 12.34,
      currency: "EUR",
      utilizationRatio: 0.2468,
    });
    // No email or names: only what a front shows.
    expect(snapshot.plan).toEqual({
      subscriptionType: "claude_max",
      rateLimitTier: "default_claude_max_20x",
    });
  });

  test("sends the token, the beta header and an honest user agent; the agent is configurable", async () => {
    await pollLegacyUsage();
    const [request] = server.requestsTo("/api/oauth/usage");
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.headers["anthropic-beta"]).toBe("oauth-2025-04-20");
    expect(request.headers["user-agent"]).toBe("quotacast/1.2.3");

    const other = createOAuthSource();
    await other.poll(ctx({}, { userAgent: "my-agent/9" }));
    expect(server.requestsTo("/api/oauth/usage")[1].headers["user-agent"]).toBe("my-agent/9");
  });

  test("legacy shape: buckets only", async () => {
    const result = await pollLegacyUsage();
    expect(result.snapshot!.windows).toEqual([
      {
        window: "five_hour",
        utilizationRatio: 0.78,
        resetsAtMs: START_MS + 3600_000,
        windowLengthMs: 5 * 3600_000,
        status: "unknown",
        source: "oauth",
        observedAtMs: START_MS,
      },
    ]);
    expect(result.snapshot!.extraUsage).toBeUndefined();
    // Credentials give the plan even without the profile.
    expect(result.snapshot!.plan?.rateLimitTier).toBe("default_claude_max_20x");
  });

  test("nulls everywhere: no windows, still ok, and the user is told why", async () => {
    writeCredentials();
    server.on("/api/oauth/usage", {
      body: {
        five_hour: null,
        seven_day: null,
        seven_day_opus: null,
        seven_day_sonnet: null,
        extra_usage: null,
        limits: null,
        five_hour_codename: { utilization: null, resets_at: null },
      },
    });
    server.on("/api/oauth/profile", { body: { account: null, organization: null } });
    const result = await source.poll(ctx());
    expect(result.snapshot!.windows).toEqual([]);
    expect(result.snapshot!.extraUsage).toBeUndefined();
    expect(result.status.state).toBe("ok");
    expect(result.status.message).toMatch(/no active windows/);
    expect(result.snapshot!.plan).toEqual({
      subscriptionType: "max",
      rateLimitTier: "default_claude_max_5x",
    });
  });

  test("profile is fetched rarely, not on every poll", async () => {
    await pollLegacyUsage();
    clock.advance(OAUTH_DEFAULT_INTERVAL_MS);
    await source.poll(ctx());
    expect(server.requestsTo("/api/oauth/usage")).toHaveLength(2);
    expect(server.requestsTo("/api/oauth/profile")).toHaveLength(1);
  });
});

describe("oauth source: refusals stop polling until the credentials change", () => {
  const cases = [
    {
      name: "401",
      response: { status: 401, body: anthropicError("authentication_error", "Invalid bearer token") },
      reason: "auth_expired",
      message: /run claude to log in again/,
    },
    {
      name: "403 revoked",
      response: { status: 403, body: anthropicError("permission_error", "OAuth token has been revoked") },
      reason: "forbidden",
      message: /access revoked/,
    },
    {
      name: "403 scope",
      response: {
        status: 403,
        body: anthropicError("permission_error", "OAuth token does not meet scope requirement user:profile", {
          details: { error_code: "oauth_scope_insufficient" },
        }),
      },
      reason: "scope",
      message: /token lacks user:profile scope \(tokens from claude setup-token cannot read usage\)/,
    },
  ];
  test.each(cases)("$name", async ({ response, reason, message }) => {
    writeCredentials();
    server.on("/api/oauth/usage", [response, { body: legacyUsageBody(START_MS) }]);
    const first = await source.poll(ctx());
    expect(first.snapshot).toBeNull();
    expect(first.status).toMatchObject({ state: "error", lastErrorReason: reason });
    expect(first.status.message).toMatch(message);

    // Same token: no request at all, same message, polls only the credentials file.
    for (let i = 0; i < 3; i++) {
      clock.advance(OAUTH_DEFAULT_INTERVAL_MS);
      const again = await source.poll(ctx());
      expect(again.status).toMatchObject({ state: "error", lastErrorReason: reason });
      expect(again.nextPollAtMs).toBe(clock.now + OAUTH_DEFAULT_INTERVAL_MS);
    }
    expect(server.requestsTo("/api/oauth/usage")).toHaveLength(1);

    // New token (the user ran claude): polling resumes.
    writeCredentials("test-token-new-456");
    const resumed = await source.poll(ctx());
    expect(server.requestsTo("/api/oauth/usage")).toHaveLength(2);
    expect(resumed.status.state).toBe("ok");
  });

  test("expired token: no request, told to run claude", async () => {
    writeCredentials(TOKEN, START_MS - 1000);
    server.on("/api/oauth/usage", { body: legacyUsageBody(START_MS) });
    const result = await source.poll(ctx());
    expect(result.status).toMatchObject({ state: "error", lastErrorReason: "auth_expired" });
    expect(result.status.message).toMatch(/run claude to log in again/);
    expect(server.requests).toHaveLength(0);
    // expiresAt is in milliseconds: a token valid for one more second is used.
    writeCredentials(TOKEN, START_MS + 1000);
    expect((await source.poll(ctx())).status.state).toBe("ok");
  });

  test("missing credentials", async () => {
    const result = await source.poll(ctx());
    expect(result.status).toMatchObject({ state: "missing", lastErrorReason: "no_credentials" });
    expect(result.status.message).toMatch(/run claude to log in/);
    expect(server.requests).toHaveLength(0);
  });

  test("credentials without a claude.ai login or not JSON", async () => {
    fs.mkdirSync(path.join(home, ".claude"), { recursive: true });
    fs.writeFileSync(path.join(home, ".claude", ".credentials.json"), "{not json");
    expect((await source.poll(ctx())).status).toMatchObject({
      state: "error",
      lastErrorReason: "no_credentials",
    });
    fs.writeFileSync(path.join(home, ".claude", ".credentials.json"), JSON.stringify({ other: {} }));
    expect((await source.poll(ctx())).status).toMatchObject({
      state: "missing",
      lastErrorReason: "no_credentials",
    });
    expect(server.requests).toHaveLength(0);
  });

  test("credentials of another shape: the message names the file and the field, never the value", async () => {
    const file = path.join(home, ".claude", ".credentials.json");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ claudeAiOauth: { accessToken: [TOKEN], expiresAt: 1 } }));
    const wrongType = (await source.poll(ctx())).status;
    expect(wrongType).toMatchObject({ state: "missing", lastErrorReason: "no_credentials" });
    expect(wrongType.message).toBe(
      `Claude Code's credentials file ${file} holds no claude.ai login: claudeAiOauth.accessToken: expected string`,
    );
    expect(wrongType.message).not.toContain(TOKEN);

    // Fields Claude Code adds are ignored; ones of another type read as absent.
    writeCredentials(TOKEN, START_MS + 3600_000, { scopes: "user:profile", newField: { nested: true } });
    server.on("/api/oauth/usage", { body: modernUsageBody(START_MS) });
    expect((await source.poll(ctx())).status.state).toBe("ok");
  });

  test("disabled unless opted in", async () => {
    writeCredentials();
    const result = await source.poll({ ...ctx(), config: {} });
    expect(result.status.state).toBe("disabled");
    expect(source.isEnabled({ ...ctx(), config: {} })).toBe(false);
    expect(server.requests).toHaveLength(0);
  });
});

describe("oauth source: transient failures back off", () => {
  test("429 with retry-after 0 uses capped exponential backoff; success resets it", async () => {
    writeCredentials();
    server.on("/api/oauth/usage", {
      status: 429,
      headers: { "retry-after": "0" },
      body: anthropicError("rate_limit_error", "slow down"),
    });
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      const result = await source.poll(ctx());
      expect(result.status).toMatchObject({ state: "backoff", lastErrorReason: "rate_limited" });
      delays.push(result.nextPollAtMs - clock.now);
      clock.now = result.nextPollAtMs;
    }
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]);
    expect(delays[1]).toBeGreaterThan(delays[0]);
    expect(delays[0]).toBeGreaterThan(OAUTH_DEFAULT_INTERVAL_MS);
    expect(Math.max(...delays)).toBe(3600_000);
    expect(delays[delays.length - 1]).toBe(3600_000);

    server.on("/api/oauth/usage", { body: legacyUsageBody(clock.now) });
    const ok = await source.poll(ctx());
    expect(ok.nextPollAtMs - clock.now).toBe(OAUTH_DEFAULT_INTERVAL_MS);
    server.on("/api/oauth/usage", { status: 429, headers: { "retry-after": "0" } });
    const again = await source.poll(ctx());
    expect(again.nextPollAtMs - clock.now).toBe(delays[0]);
  });

  test("429 with retry-after 3600 is honoured", async () => {
    writeCredentials();
    server.on("/api/oauth/usage", { status: 429, headers: { "retry-after": "3600" } });
    const result = await source.poll(ctx());
    expect(result.nextPollAtMs - START_MS).toBe(3600_000);
    expect(result.status.message).toMatch(/rate limited/);
    server.on("/api/oauth/usage", { status: 429, headers: { "retry-after": "7200" } });
    const longer = await source.poll(ctx());
    expect(longer.nextPollAtMs - START_MS).toBe(7200_000);
  });

  test("500 backs off with server_error", async () => {
    writeCredentials();
    server.on("/api/oauth/usage", { status: 500, body: anthropicError("api_error", "boom") });
    const first = await source.poll(ctx());
    const second = await source.poll(ctx());
    expect(first.status).toMatchObject({ state: "backoff", lastErrorReason: "server_error" });
    expect(second.nextPollAtMs).toBeGreaterThan(first.nextPollAtMs);
  });

  test("a server that never answers times out (short configurable timeout)", async () => {
    writeCredentials();
    server.on("/api/oauth/usage", { hang: true });
    const result = await source.poll(ctx({}, { timeoutMs: 150 }));
    expect(result.status).toMatchObject({ state: "backoff", lastErrorReason: "timeout" });
    expect(result.status.message).toMatch(/no answer/);
    expect(result.nextPollAtMs).toBeGreaterThan(START_MS + OAUTH_DEFAULT_INTERVAL_MS);
  });

  test("malformed JSON and non-object bodies are bad_response, with backoff", async () => {
    writeCredentials();
    server.on("/api/oauth/usage", { body: '{"five_hour": {"utilization": 4' });
    const first = await source.poll(ctx());
    expect(first.status).toMatchObject({ state: "error", lastErrorReason: "bad_response" });
    expect(first.status.message).toMatch(/not valid JSON/);
    server.on("/api/oauth/usage", { body: "[1,2,3]" });
    const second = await source.poll(ctx());
    expect(second.status).toMatchObject({ state: "error", lastErrorReason: "bad_response" });
    expect(second.nextPollAtMs).toBeGreaterThan(first.nextPollAtMs);
  });
});

describe("oauth credentials: Keychain and CLAUDE_CONFIG_DIR", () => {
  test("on macOS, reads the Keychain through the injected function with the suffixed service name", async () => {
    const asked: string[] = [];
    const readKeychain = async (service: string) => {
      asked.push(service);
      return JSON.stringify({ claudeAiOauth: { accessToken: TOKEN, expiresAt: START_MS + 3600_000 } });
    };
    server.on("/api/oauth/usage", { body: legacyUsageBody(START_MS) });
    const env = { CLAUDE_CONFIG_DIR: path.join(home, "cfg") };
    const result = await source.poll(ctx({ platform: "darwin", readKeychain, env }));
    expect(result.status.state).toBe("ok");
    expect(asked).toEqual([keychainServiceName(env)]);
    expect(asked[0]).toMatch(/^Claude Code-credentials-[0-9a-f]{8}$/);
    expect(keychainServiceName({})).toBe("Claude Code-credentials");
  });

  test("CLAUDE_CONFIG_DIR: credentials come from its first directory", async () => {
    const dir = path.join(home, "first");
    writeCredentialsFile(dir, { accessToken: TOKEN, expiresAt: START_MS + 3600_000 });
    server.on("/api/oauth/usage", { body: legacyUsageBody(START_MS) });
    const result = await source.poll(
      ctx({ env: { CLAUDE_CONFIG_DIR: ` ${dir} , ${path.join(home, "second")}` } }),
    );
    expect(result.status.state).toBe("ok");
  });
});
