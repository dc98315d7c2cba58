import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { limitsConfig } from "../../../exporter/src/state/runtime";
import { generateHistory } from "../../generators/transcripts";
import { FakeAnthropicServer } from "../../fakes/anthropic-server";
import { modernUsageBody, profileBody } from "../../fakes/anthropic-fixtures";
import { writeCredentialsFile } from "../../fakes/credentials";
import { realPollContext } from "../../fakes/ports";
import { writeStatuslineFeed } from "../../fakes/statusline-feed";
import { samples, scrape, startForTest, tempDir, testConfig } from "./helpers";

const hasPromtool = spawnSync("promtool", ["--version"]).status === 0;
const maybe = hasPromtool ? test : test.skip;

function adminRecord(date: string, email: string, model: string, cents: number): unknown {
  return {
    date: `${date}T00:00:00Z`,
    actor: { type: "user_actor", email_address: email },
    core_metrics: {
      num_sessions: 1,
      lines_of_code: { added: 1, removed: 0 },
      commits_by_claude_code: 0,
      pull_requests_by_claude_code: 0,
    },
    model_breakdown: [
      {
        model,
        tokens: { input: 1, output: 1, cache_read: 0, cache_creation: 0 },
        estimated_cost: { currency: "USD", amount: cents },
      },
    ],
  };
}

/** The table of docs/metrics.md: metric name -> label names. */
function documentedMetrics(): { doc: string; metrics: Map<string, Set<string>> } {
  const doc = fs.readFileSync(path.resolve(__dirname, "../../../docs/metrics.md"), "utf8");
  const out = new Map<string, Set<string>>();
  for (const line of doc.split("\n")) {
    const m = /^\| `(quotacast_\w+)` \| (\w+) \|([^|]*)\|/.exec(line);
    if (!m) continue;
    const labels = m[3]
      .split(",")
      .map((l) => l.replace(/\(.*$/, "").trim())
      .filter((l) => l !== "");
    out.set(m[1], new Set(labels));
  }
  return { doc, metrics: out };
}

/** Every documented family is exposed, and every quotacast_ sample uses only its documented labels. */
function expectMatchesDocs(text: string): void {
  const { doc, metrics: documented } = documentedMetrics();
  expect(documented.size).toBe(doc.split("\n").filter((l) => l.startsWith("| `quotacast_")).length);
  for (const name of documented.keys()) expect(text).toContain(`# HELP ${name} `);
  for (const [key] of samples(text)) {
    const name = key.slice(0, key.indexOf("{"));
    if (name.startsWith("quotacast_process_") || name.startsWith("quotacast_nodejs_")) continue;
    const labels = [...key.matchAll(/(\w+)="/g)].map((m) => m[1]);
    expect({ name, labels: labels.filter((l) => !documented.get(name)?.has(l)) }).toEqual({
      name,
      labels: [],
    });
    expect(documented.has(name)).toBe(true);
  }
}

describe("promtool check metrics", () => {
  maybe("a scrape with a generated history and every source active passes", async () => {
    const server = await FakeAnthropicServer.start();
    const home = tempDir();
    const nowMs = Date.now();
    try {
      server
        .on("/api/oauth/usage", { body: modernUsageBody(nowMs) })
        .on("/api/oauth/profile", { body: profileBody() });
      server.on("/v1/organizations/usage_report/claude_code", (req) => ({
        body: {
          data: [adminRecord(req.query.starting_at, "alice@example.com", "claude-opus-4-5", 1234)],
          has_more: false,
          next_page: null,
        },
      }));
      server.on("/v1/organizations/cost_report", { body: { data: [], has_more: false, next_page: null } });
      const claudeDir = path.join(home, ".claude");
      generateHistory({ dir: claudeDir, sizeMb: 1, seed: 9, endMs: nowMs, days: 3, medianFileBytes: 30_000 });
      writeCredentialsFile(claudeDir, {
        accessToken: "sk-ant-oat01-not-real",
        expiresAt: nowMs + 3600_000,
        scopes: ["user:profile"],
        subscriptionType: "max",
      });
      // The interceptor file (header-file source) and the statusline feed.
      fs.writeFileSync(
        path.join(claudeDir, "usage-limits.json"),
        JSON.stringify({
          source: "interceptor",
          updated_at: new Date(nowMs).toISOString(),
          headers_raw: {
            "anthropic-ratelimit-unified-status": "allowed",
            "anthropic-ratelimit-unified-5h-utilization": "0.41",
            "anthropic-ratelimit-unified-5h-reset": String(Math.floor(nowMs / 1000) + 7200),
            "anthropic-ratelimit-unified-7d-utilization": "0.2",
            "anthropic-ratelimit-unified-7d-reset": String(Math.floor(nowMs / 1000) + 3 * 86400),
          },
        }),
      );
      writeStatuslineFeed(home, nowMs, {
        five_hour: { used_percentage: 42, resets_at: Math.floor(nowMs / 1000) + 7200 },
      });
      const config = limitsConfig({
        sources: { oauth: true, admin: true },
        anthropicBaseUrl: server.baseUrl,
      });
      config.admin = { ...config.admin, apiKey: "sk-ant-admin01-not-real", timeoutMs: 2000 };
      const ctx = realPollContext(home, config);
      const exporter = await startForTest(
        testConfig(home, {
          claudeConfigDirs: [claudeDir],
          sources: { oauth: true, admin: true },
          metricsProjects: 5,
          processMetrics: true,
        }),
        { homeDir: home, pollContext: ctx },
      );
      try {
        for (const source of ["statusline", "oauth", "header-file", "admin"])
          await exporter.runtime.pollNow(source);
        await exporter.runtime.refitJob.run();
        const text = await scrape(exporter.url);
        const all = samples(text);
        // Every source is up, and each family the docs promise for them is there.
        for (const source of ["transcripts", "statusline", "oauth", "header-file", "admin"]) {
          expect(all.get(`quotacast_source_up{source=${JSON.stringify(source)}}`)).toBe(1);
        }
        for (const family of [
          "quotacast_window_utilization_ratio",
          "quotacast_window_forecast_utilization_ratio",
          "quotacast_tokens_total",
          "quotacast_project_cost_usd_total",
          "quotacast_org_user_cost_usd",
          "quotacast_org_model_cost_usd",
          "quotacast_source_poll_interval_seconds",
          "quotacast_extra_usage_used",
          "quotacast_account_info",
          "quotacast_process_cpu_seconds_total",
        ]) {
          expect([...all.keys()].some((k) => k.startsWith(`${family}{`))).toBe(true);
        }
        expectMatchesDocs(text);
        const check = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
        expect({ status: check.status, out: check.stdout + check.stderr }).toEqual({ status: 0, out: "" });
      } finally {
        await exporter.stop();
      }
    } finally {
      await server.close();
    }
  });
});
