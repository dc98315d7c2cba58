/**
 * Secrets and personal data through a running exporter, against fake Anthropic servers on
 * loopback: a redirect never carries a credential to another origin, an error body that
 * echoes the token leaves it nowhere (log, routes, database files), and the profile's
 * email is neither stored nor served.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { limitsConfig } from "../../../exporter/src/state/runtime";
import { createLogger } from "../../../exporter/src/state/log";
import { FakeAnthropicServer, anthropicError } from "../../fakes/anthropic-server";
import { modernUsageBody, profileBody } from "../../fakes/anthropic-fixtures";
import { writeCredentialsFile } from "../../fakes/credentials";
import { realPollContext } from "../../fakes/ports";
import { startForTest, tempDir, testConfig } from "./helpers";
import type { RunningExporter } from "../../../exporter/src/commands/serve";

const USAGE = "/api/oauth/usage";
const PROFILE = "/api/oauth/profile";
const TOKEN = "sk-ant-oat01-SECRET-q8Wz3Lx0Pm5-TOKEN";
const REFRESH = "sk-ant-ort01-SECRET-refresh-Vb7";
const ADMIN_KEY = "sk-ant-admin01-SECRET-Kd2Nn9-KEY";
const EMAIL = "tester@example.com";
const ROUTES = ["/", "/metrics", "/api/v1/summary", "/api/v1/windows", "/api/v1/daily", "/healthz"];

let anthropic: FakeAnthropicServer;
/** Another origin (another port): where a redirect points. */
let elsewhere: FakeAnthropicServer;

beforeAll(async () => {
  anthropic = await FakeAnthropicServer.start();
  elsewhere = await FakeAnthropicServer.start();
});
afterAll(async () => {
  await anthropic.close();
  await elsewhere.close();
});
beforeEach(() => {
  anthropic.reset();
  elsewhere.reset();
});

interface Started {
  exporter: RunningExporter;
  logs: string[];
  dir: string;
}

/** An exporter with OAuth credentials and an admin key, every source aimed at `anthropic`. */
async function start(): Promise<Started> {
  const dir = tempDir();
  writeCredentialsFile(path.join(dir, ".claude"), {
    accessToken: TOKEN,
    refreshToken: REFRESH,
    expiresAt: Date.now() + 24 * 3600_000,
    scopes: ["user:inference", "user:profile"],
    subscriptionType: "max",
  });
  const config = limitsConfig({ sources: { oauth: true, admin: true }, anthropicBaseUrl: anthropic.baseUrl });
  config.oauth = { ...config.oauth, timeoutMs: 2000 };
  const ctx = realPollContext(dir, config, { ANTHROPIC_ADMIN_KEY: ADMIN_KEY });
  const logs: string[] = [];
  const exporter = await startForTest(testConfig(dir, { sources: { oauth: true, admin: true } }), {
    homeDir: dir,
    pollContext: ctx,
    // The real logger (with its redaction), writing into the test.
    log: createLogger((line) => logs.push(line)),
  });
  return { exporter, logs, dir };
}

async function everyRoute(url: string): Promise<string> {
  const bodies: string[] = [];
  for (const route of ROUTES) {
    const response = await fetch(`${url}${route}`);
    bodies.push(
      `${route} ${response.status} ${JSON.stringify([...response.headers])}\n${await response.text()}`,
    );
  }
  return bodies.join("\n");
}

/** The database files as bytes (latin1, so any ASCII secret shows as itself). */
function databaseBytes(dir: string): string {
  const stateDir = path.join(dir, "state");
  return fs
    .readdirSync(stateDir)
    .map((name) => fs.readFileSync(path.join(stateDir, name)).toString("latin1"))
    .join("\n");
}

function redirectTo(target: FakeAnthropicServer, to: string) {
  return { status: 302, headers: { location: `${target.baseUrl}${to}` } };
}

test("a redirect to another origin is not followed: no credential arrives there, and the status says so", async () => {
  anthropic
    .on(USAGE, redirectTo(elsewhere, "/steal"))
    .on(PROFILE, redirectTo(elsewhere, "/steal"))
    .on("/v1/organizations/usage_report/claude_code", redirectTo(elsewhere, "/steal"))
    .on("/v1/organizations/cost_report", redirectTo(elsewhere, "/steal"));
  // Were a request to arrive, the recorder keeps its headers.
  elsewhere.on("/steal", { body: modernUsageBody(Date.now()) });
  const { exporter } = await start();
  try {
    await exporter.runtime.pollNow("oauth");
    await exporter.runtime.pollNow("admin");
    expect(anthropic.requestsTo(USAGE).length).toBeGreaterThan(0);
    expect(anthropic.requestsTo("/v1/organizations/usage_report/claude_code").length).toBeGreaterThan(0);
    const leaked = elsewhere.requests.map((r) => r.headers);
    expect(leaked.filter((h) => h.authorization !== undefined || h["x-api-key"] !== undefined)).toEqual([]);
    expect(elsewhere.requests).toEqual([]);

    const summary = (await (await fetch(`${exporter.url}/api/v1/summary`)).json()) as {
      sources: Array<{ source: string; state: string; message: string }>;
    };
    for (const source of ["oauth", "admin"]) {
      const status = summary.sources.find((s) => s.source === source);
      expect(status?.state).toBe("error");
      expect(status?.message).toContain("redirect (HTTP 302)");
      expect(status?.message).toContain(elsewhere.baseUrl);
    }
  } finally {
    await exporter.stop();
  }
});

test("an error body echoing the token and the key leaves them nowhere: log, routes, database files", async () => {
  const echo = (secret: string) => ({
    status: 400,
    body: anthropicError(`invalid_request_error: ${secret}`, `bad header Bearer ${secret}`, {
      echoed: secret,
    }),
  });
  anthropic
    .on(USAGE, echo(TOKEN))
    .on(PROFILE, echo(TOKEN))
    .on("/v1/organizations/usage_report/claude_code", echo(ADMIN_KEY))
    .on("/v1/organizations/cost_report", echo(ADMIN_KEY));
  const { exporter, logs, dir } = await start();
  let routes: string;
  try {
    await exporter.runtime.pollNow("oauth");
    await exporter.runtime.pollNow("admin");
    expect(anthropic.requestsTo(USAGE).length).toBeGreaterThan(0);
    routes = await everyRoute(exporter.url);
    // The failure is reported (HTTP status), without the server's free text.
    expect(routes).toContain("unexpected HTTP 400");
  } finally {
    await exporter.stop();
  }
  const everywhere = [logs.join(""), routes, databaseBytes(dir)].join("\n");
  for (const secret of [TOKEN, REFRESH, ADMIN_KEY, "SECRET"]) expect(everywhere).not.toContain(secret);
});

test("the profile's email is neither stored nor served; the plan is", async () => {
  anthropic.on(USAGE, { body: modernUsageBody(Date.now()) }).on(PROFILE, { body: profileBody() });
  const { exporter, dir } = await start();
  let summaryText: string;
  let metricsText: string;
  try {
    await exporter.runtime.pollNow("oauth");
    summaryText = await (await fetch(`${exporter.url}/api/v1/summary`)).text();
    metricsText = await (await fetch(`${exporter.url}/metrics`)).text();
  } finally {
    await exporter.stop();
  }
  expect(JSON.parse(summaryText).plan).toEqual({
    subscriptionType: "claude_max",
    rateLimitTier: "default_claude_max_20x",
  });
  expect(metricsText).toContain('rate_limit_tier="default_claude_max_20x"');
  for (const personal of [EMAIL, "Test User", "Tester", "Test Org"]) {
    expect(summaryText).not.toContain(personal);
    expect(databaseBytes(dir)).not.toContain(personal);
  }
});
