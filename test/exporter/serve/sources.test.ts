import * as path from "node:path";
import type { PollContext } from "@quotacast/core";
import { limitsConfig } from "../../../exporter/src/state/runtime";
import { FakeAnthropicServer, anthropicError } from "../../fakes/anthropic-server";
import { modernUsageBody, profileBody } from "../../fakes/anthropic-fixtures";
import { writeCredentialsFile } from "../../fakes/credentials";
import { realPollContext } from "../../fakes/ports";
import { writeStatuslineFeed } from "../../fakes/statusline-feed";
import { samples, scrape, seriesKey, startForTest, tempDir, testConfig, withExporter } from "./helpers";
import type { RunningExporter } from "../../../exporter/src/commands/serve";

const USAGE = "/api/oauth/usage";
const PROFILE = "/api/oauth/profile";
const TOKEN = "sk-ant-oat01-test-token-not-real";

let server: FakeAnthropicServer;

beforeAll(async () => {
  server = await FakeAnthropicServer.start();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

/** A home with Claude Code credentials, and a poll context aimed at the fake server. */
function homeWithCredentials(): { home: string; ctx: PollContext } {
  const home = tempDir();
  writeCredentialsFile(path.join(home, ".claude"), {
    accessToken: TOKEN,
    refreshToken: "sk-ant-ort01-not-real",
    expiresAt: Date.now() + 24 * 3600_000,
    scopes: ["user:inference", "user:profile"],
    subscriptionType: "max",
    rateLimitTier: "default_claude_max_20x",
  });
  const config = limitsConfig({ sources: { oauth: true, admin: false }, anthropicBaseUrl: server.baseUrl });
  config.oauth = { ...config.oauth, timeoutMs: 400 };
  const ctx = realPollContext(home, config);
  return { home, ctx };
}

async function start(): Promise<{ exporter: RunningExporter; logs: string[] }> {
  const { home, ctx } = homeWithCredentials();
  const logs: string[] = [];
  const exporter = await startForTest(testConfig(home, { sources: { oauth: true } }), {
    homeDir: home,
    pollContext: ctx,
    log: (level, msg, fields) => logs.push(`${level} ${msg} ${JSON.stringify(fields ?? {})}`),
  });
  return { exporter, logs };
}

describe("rate-limit sources in the exporter", () => {
  test("an OAuth poll fills the window metrics, the Summary and the history", async () => {
    server.on(USAGE, { body: modernUsageBody(Date.now()) }).on(PROFILE, { body: profileBody() });
    const { exporter } = await start();
    try {
      await exporter.runtime.pollNow("oauth");
      const all = samples(await scrape(exporter.url));
      expect(all.get(seriesKey("quotacast_source_up", { source: "oauth" }))).toBe(1);
      expect(
        all.get(seriesKey("quotacast_source_last_error_info", { source: "oauth", reason: "none" })),
      ).toBe(1);
      expect(
        all.get(seriesKey("quotacast_window_utilization_ratio", { window: "five_hour", source: "oauth" })),
      ).toBeCloseTo(0.425, 9);
      expect(all.get(seriesKey("quotacast_window_length_seconds", { window: "five_hour" }))).toBe(18000);
      expect(
        all.get(seriesKey("quotacast_window_resets_at_timestamp_seconds", { window: "five_hour" })),
      ).toBeGreaterThan(Date.now() / 1000);
      expect(all.get(seriesKey("quotacast_extra_usage_enabled"))).toBe(1);
      expect(all.get(seriesKey("quotacast_extra_usage_limit", { currency: "EUR" }))).toBe(50);
      expect(
        [...all.keys()].some(
          (k) => k.startsWith("quotacast_account_info{") && k.includes("default_claude_max_20x"),
        ),
      ).toBe(true);
      expect(all.get(seriesKey("quotacast_source_polls_total", { source: "oauth" }))).toBeGreaterThanOrEqual(
        1,
      );

      const windows = (await (await fetch(`${exporter.url}/api/v1/windows`)).json()) as Array<{
        reading: { window: string };
      }>;
      expect(windows.map((w) => w.reading.window)).toContain("five_hour");
      const readings = await exporter.runtime.history.readings({
        window: "five_hour",
        fromMs: 0,
        toMs: Date.now(),
      });
      expect(readings.length).toBeGreaterThanOrEqual(1);
      // The token went only to the configured base URL, and never into the state.
      expect(server.requestsTo(USAGE)[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(exporter.runtime.state.summaryJson).not.toContain(TOKEN);
    } finally {
      await exporter.stop();
    }
  });

  test.each([
    ["server_error", { status: 500, body: anthropicError("api_error", "boom") }],
    [
      "rate_limited",
      {
        status: 429,
        headers: { "retry-after": "1800" },
        body: anthropicError("rate_limit_error", "slow down"),
      },
    ],
  ])(
    "a failing source (%s) is down with its reason; the last limits stay visible",
    async (reason, failure) => {
      server.on(USAGE, [{ body: modernUsageBody(Date.now()) }, failure]).on(PROFILE, { body: profileBody() });
      const { exporter, logs } = await start();
      try {
        await exporter.runtime.pollNow("oauth");
        await exporter.runtime.pollNow("oauth");
        const all = samples(await scrape(exporter.url));
        expect(all.get(seriesKey("quotacast_source_up", { source: "oauth" }))).toBe(0);
        expect(all.get(seriesKey("quotacast_source_last_error_info", { source: "oauth", reason }))).toBe(1);
        expect(all.get(seriesKey("quotacast_source_failures_total", { source: "oauth", reason }))).toBe(1);
        expect(
          all.get(seriesKey("quotacast_window_utilization_ratio", { window: "five_hour", source: "oauth" })),
        ).toBeCloseTo(0.425, 9);
        const next = exporter.runtime.state.sources.get("oauth")?.nextPollAtMs ?? 0;
        if (reason === "rate_limited") expect(next).toBeGreaterThanOrEqual(Date.now() + 1700_000); // retry-after honoured
        expect(logs.some((l) => l.includes("source poll failed") && l.includes(reason))).toBe(true);
        expect(logs.join("\n")).not.toContain(TOKEN);
      } finally {
        await exporter.stop();
      }
    },
  );

  test("a hanging source never delays /metrics and ends as a timeout", async () => {
    server.on(USAGE, { hang: true });
    const { exporter } = await start();
    try {
      let settled = false;
      const poll = exporter.runtime.pollNow("oauth").then(() => {
        settled = true;
      });
      // Scrapes are answered while the poll is still waiting on the fake server.
      for (let i = 0; i < 3; i++) {
        const text = await scrape(exporter.url);
        expect(text).toContain("quotacast_source_up");
      }
      expect(settled).toBe(false);
      await poll;
      const all = samples(await scrape(exporter.url));
      expect(all.get(seriesKey("quotacast_source_up", { source: "oauth" }))).toBe(0);
      expect(
        all.get(seriesKey("quotacast_source_last_error_info", { source: "oauth", reason: "timeout" })),
      ).toBe(1);
    } finally {
      await exporter.stop();
    }
  });

  test("poll and failure counters and the last snapshot survive a restart", async () => {
    server
      .on(USAGE, [{ body: modernUsageBody(Date.now()) }, { status: 500 }])
      .on(PROFILE, { body: profileBody() });
    const { home, ctx } = homeWithCredentials();
    const config = testConfig(home, { sources: { oauth: true } });
    let exporter = await startForTest(config, { homeDir: home, pollContext: ctx });
    await exporter.runtime.pollNow("oauth");
    await exporter.runtime.pollNow("oauth");
    const before = samples(await scrape(exporter.url));
    await exporter.stop();
    server.on(USAGE, { hang: true });
    exporter = await startForTest(config, { homeDir: home, pollContext: ctx });
    try {
      const after = samples(await scrape(exporter.url));
      for (const name of ["quotacast_source_polls_total", "quotacast_source_failures_total"]) {
        for (const [key, value] of before)
          if (key.startsWith(name)) expect(after.get(key)).toBeGreaterThanOrEqual(value);
      }
      // The restored snapshot shows the limits at once, and the backoff is not forgotten.
      expect(
        after.get(seriesKey("quotacast_window_utilization_ratio", { window: "five_hour", source: "oauth" })),
      ).toBeCloseTo(0.425, 9);
      expect(exporter.runtime.state.sources.get("oauth")?.nextPollAtMs ?? 0).toBeGreaterThan(Date.now());
    } finally {
      await exporter.stop();
    }
  });
});

describe("file sources", () => {
  function writeFeed(home: string, observedAtMs: number, percent: number): void {
    const resetsAt = Math.floor(observedAtMs / 1000) + 3600;
    writeStatuslineFeed(home, observedAtMs, { five_hour: { used_percentage: percent, resets_at: resetsAt } });
  }

  /** Runs `use` with an exporter over a home whose statusline feed read 30% a minute ago. */
  function withFeedAt30Percent(
    use: (exporter: RunningExporter, home: string, nowMs: number) => Promise<void>,
  ) {
    const home = tempDir();
    const nowMs = Date.now();
    writeFeed(home, nowMs - 60_000, 30);
    return withExporter(testConfig(home), { homeDir: home }, (exporter) => use(exporter, home, nowMs));
  }

  test("an unchanged statusline feed is stored once, a new observation again", async () => {
    await withFeedAt30Percent(async (exporter, home, nowMs) => {
      await exporter.runtime.pollNow("statusline");
      await exporter.runtime.pollNow("statusline");
      const query = { window: "five_hour", fromMs: 0, toMs: nowMs + 1 };
      expect(await exporter.runtime.history.readings(query)).toHaveLength(1);
      writeFeed(home, nowMs, 35);
      await exporter.runtime.pollNow("statusline");
      const readings = await exporter.runtime.history.readings(query);
      expect(readings.map((r) => r.utilizationRatio)).toEqual([0.3, 0.35]);
      const all = samples(await scrape(exporter.url));
      expect(all.get(seriesKey("quotacast_source_up", { source: "statusline" }))).toBe(1);
      expect(
        all.get(
          seriesKey("quotacast_window_utilization_ratio", { window: "five_hour", source: "statusline" }),
        ),
      ).toBe(0.35);
    });
  });

  test("a poll that brings nothing new does not rebuild the Summary; its counters still move", async () => {
    await withFeedAt30Percent(async (exporter, home, nowMs) => {
      await exporter.runtime.pollNow("statusline");
      const builds = exporter.runtime.summaryBuilds;
      const summaryJson = exporter.runtime.state.summaryJson;
      await exporter.runtime.pollNow("statusline");
      await exporter.runtime.pollNow("statusline");
      expect(exporter.runtime.summaryBuilds).toBe(builds);
      expect(exporter.runtime.state.summaryJson).toBe(summaryJson);
      const polls = seriesKey("quotacast_source_polls_total", { source: "statusline" });
      expect(samples(await scrape(exporter.url)).get(polls)).toBe(3);

      writeFeed(home, nowMs, 35);
      await exporter.runtime.pollNow("statusline");
      expect(exporter.runtime.summaryBuilds).toBe(builds + 1);
      const summary = JSON.parse(exporter.runtime.state.summaryJson) as {
        windows: { reading: { window: string; utilizationRatio: number } }[];
      };
      expect(summary.windows.find((w) => w.reading.window === "five_hour")?.reading.utilizationRatio).toBe(
        0.35,
      );
    });
  });
});
