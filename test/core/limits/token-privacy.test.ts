/**
 * The OAuth token and the admin key must never show up in output, statuses, snapshots or
 * saved files, and must only ever be sent to the configured base URL.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as util from "node:util";
import {
  FileSnapshotHistory,
  nodeHttp,
  pollAll,
  type PollContext,
  type PollResult,
  nodeFiles,
} from "@quotacast/core";
import { createAdminSource } from "@quotacast/core/limits/sources/admin";
import { createOAuthSource } from "@quotacast/core/limits/sources/oauth";
import { parseCredentialsText } from "@quotacast/core/limits/oauth/credentials";
import { FakeAnthropicServer, anthropicError, type FakeResponse } from "../../fakes/anthropic-server";
import { legacyUsageBody, modernUsageBody, profileBody } from "../../fakes/anthropic-fixtures";
import { ManualClock, MemoryState, recordingHttpPort, tempDir } from "../../fakes/ports";

const TOKEN = "sk-ant-oat01-DISTINCTIVE-Zq9xW7vK3pL0-TOKEN";
const ADMIN_KEY = "sk-ant-admin01-DISTINCTIVE-Hh4Jj8Ss2-KEY";
const NOW_MS = Date.UTC(2026, 10, 22, 12, 0, 0);

const ERROR_PATHS: FakeResponse[] = [
  { body: modernUsageBody(NOW_MS) },
  { body: legacyUsageBody(NOW_MS) },
  { status: 401, body: anthropicError("authentication_error", `Invalid token ${TOKEN}`) },
  { status: 403, body: anthropicError("permission_error", "OAuth token has been revoked") },
  { status: 403, body: anthropicError("permission_error", "oauth_scope_insufficient") },
  { status: 429, headers: { "retry-after": "0" } },
  { status: 429, headers: { "retry-after": "3600" } },
  { status: 500, body: `internal error echoing ${TOKEN}` },
  { body: `{"five_hour": ${TOKEN}` },
  { hang: true },
];

test("no token in output, statuses, snapshots or files; sent only to the base URL", async () => {
  const server = await FakeAnthropicServer.start();
  const home = tempDir();
  fs.mkdirSync(path.join(home, ".claude"));
  const credentialsFile = path.join(home, ".claude", ".credentials.json");
  const writeCredentials = (token: string, expiresAtMs: number) =>
    fs.writeFileSync(
      credentialsFile,
      JSON.stringify({
        claudeAiOauth: { accessToken: token, expiresAt: expiresAtMs, scopes: ["user:profile"] },
      }),
    );

  const captured: string[] = [];
  const spies = [
    jest
      .spyOn(process.stdout, "write")
      .mockImplementation((chunk: unknown) => (captured.push(String(chunk)), true)),
    jest
      .spyOn(process.stderr, "write")
      .mockImplementation((chunk: unknown) => (captured.push(String(chunk)), true)),
    ...(["log", "info", "warn", "error", "debug"] as const).map((m) =>
      jest
        .spyOn(console, m)
        .mockImplementation((...args: unknown[]) => void captured.push(util.format(...args))),
    ),
  ];

  const http = recordingHttpPort(nodeHttp);
  const clock = new ManualClock(NOW_MS);
  const ctx: PollContext = {
    clock,
    files: nodeFiles,
    http,
    env: { ANTHROPIC_ADMIN_KEY: ADMIN_KEY },
    homeDir: home,
    config: {
      oauth: { enabled: true, baseUrl: server.baseUrl, timeoutMs: 100 },
      admin: { baseUrl: server.baseUrl, timeoutMs: 100 },
      statusline: { feedFile: path.join(home, "feed.json") },
    },
  };
  const historyState = new MemoryState();
  const history = new FileSnapshotHistory(historyState);
  const state = new MemoryState();
  const oauth = createOAuthSource();
  const admin = createAdminSource();
  const results: PollResult[] = [];
  try {
    server.on("/api/oauth/profile", { body: profileBody() });
    for (const [i, response] of ERROR_PATHS.entries()) {
      // A fresh token digest each round, so 401/403 do not stop later rounds.
      writeCredentials(`${TOKEN}${i}`, NOW_MS + 3600_000);
      server.on("/api/oauth/usage", response);
      server.on("/v1/organizations/usage_report/claude_code", response);
      server.on("/v1/organizations/cost_report", response);
      const all = await pollAll([oauth, admin], { ...ctx, env: { ANTHROPIC_ADMIN_KEY: `${ADMIN_KEY}${i}` } });
      for (const { result } of all.results) {
        results.push(result);
        console.log("status", result.status, result.snapshot);
        if (result.snapshot) await history.append(result.snapshot);
      }
      await state.save("statuses", JSON.stringify(all.statuses));
      clock.advance(3600_000);
    }
    writeCredentials(TOKEN, NOW_MS - 1); // expired
    results.push(await oauth.poll(ctx));
    fs.rmSync(credentialsFile); // missing
    results.push(await oauth.poll(ctx));

    const parsed = parseCredentialsText(JSON.stringify({ claudeAiOauth: { accessToken: TOKEN } }), "file");
    console.log(parsed, JSON.stringify(parsed));
    console.error(util.inspect(parsed, { depth: 5 }));
  } finally {
    spies.forEach((s) => s.mockRestore());
    await server.close();
  }

  const reasons = new Set(results.map((r) => r.status.lastErrorReason));
  for (const reason of [
    "none",
    "auth_expired",
    "forbidden",
    "scope",
    "rate_limited",
    "server_error",
    "bad_response",
    "timeout",
    "no_credentials",
  ]) {
    expect(reasons).toContain(reason);
  }

  const secretPart = /DISTINCTIVE/;
  expect(captured.join("\n")).not.toMatch(secretPart);
  expect(captured.length).toBeGreaterThan(10);
  expect(JSON.stringify(results)).not.toMatch(secretPart);
  for (const value of state.values.values()) expect(value).not.toMatch(secretPart);
  const historyText = [...historyState.values.values()].join("\n");
  expect(historyText.length).toBeGreaterThan(0);
  expect(historyText).not.toMatch(secretPart);
  for (const file of fs.readdirSync(home, { recursive: true }) as string[]) {
    const full = path.join(home, file);
    if (fs.statSync(full).isFile()) expect(fs.readFileSync(full, "utf8")).not.toMatch(secretPart);
  }

  // Credentials went out with every request, and only to the configured base URL.
  expect(http.calls.length).toBeGreaterThan(10);
  for (const call of http.calls) {
    expect(call.url.startsWith(`${server.baseUrl}/`)).toBe(true);
  }
  expect(http.calls.some((c) => c.headers.authorization?.includes(TOKEN))).toBe(true);
  expect(http.calls.some((c) => c.headers["x-api-key"]?.includes(ADMIN_KEY))).toBe(true);
});
