import * as fs from "node:fs";
import * as path from "node:path";
import {
  nodeHttp,
  isDue,
  mergeSnapshots,
  mergeWindows,
  pollAll,
  type LimitSource,
  type PollContext,
  type RateLimitSnapshot,
  nodeFiles,
} from "@quotacast/core";
import {
  createSources,
  limitsConfigFor,
  pollConfiguredSources,
  registeredSources,
} from "@quotacast/core/limits/sources";
import { FakeAnthropicServer } from "../../fakes/anthropic-server";
import { modernUsageBody, profileBody } from "../../fakes/anthropic-fixtures";
import { writeCredentialsFile } from "../../fakes/credentials";
import { ManualClock, tempDir } from "../../fakes/ports";

const NOW_MS = Date.UTC(2026, 10, 22, 12, 0, 0);

function snapshot(
  source: string,
  observedAtMs: number,
  windows: Array<[string, number, number | null]>,
): RateLimitSnapshot {
  return {
    observedAtMs,
    source,
    windows: windows.map(([window, ratio, resetsAtMs]) => ({
      window,
      utilizationRatio: ratio,
      resetsAtMs,
      windowLengthMs: 1,
      status: "unknown" as const,
      source,
      observedAtMs,
    })),
  };
}

describe("mergeWindows", () => {
  test("freshest valid reading per window wins and keeps its source", () => {
    const merged = mergeWindows(
      [
        snapshot("oauth", NOW_MS - 60_000, [
          ["five_hour", 0.5, NOW_MS + 1000],
          ["seven_day_opus", 0.1, NOW_MS + 5000],
        ]),
        snapshot("statusline", NOW_MS - 1000, [
          ["five_hour", 0.52, NOW_MS + 1000],
          ["seven_day", NaN, null],
        ]),
        snapshot("header-file", NOW_MS - 500, [["seven_day", 0.3, NOW_MS - 1]]),
      ],
      NOW_MS,
    );
    expect(merged.map((r) => [r.window, r.source, r.utilizationRatio])).toEqual([
      ["five_hour", "statusline", 0.52],
      ["seven_day_opus", "oauth", 0.1],
    ]);
  });

  test("mergeSnapshots merges plan field by field (only type and tier) and takes the freshest extra usage", () => {
    const a = {
      ...snapshot("oauth", 1, []),
      // An email as older versions stored it: never carried on.
      plan: { subscriptionType: "max", email: "x@y" },
      extraUsage: { isEnabled: true, monthlyLimit: 50, used: 1, currency: "USD", utilizationRatio: 0.02 },
    };
    const b = {
      ...snapshot("header-file", 2, []),
      plan: { rateLimitTier: "t" },
      extraUsage: {
        isEnabled: false,
        monthlyLimit: null,
        used: null,
        currency: "USD",
        utilizationRatio: 0.5,
      },
    };
    const merged = mergeSnapshots([a, b])!;
    expect(merged.plan).toEqual({ subscriptionType: "max", rateLimitTier: "t" });
    expect(merged.extraUsage?.utilizationRatio).toBe(0.5);
    expect(merged.source).toBe("merged");
    expect(mergeSnapshots([])).toBeNull();
  });
});

describe("isDue", () => {
  test("a source never polled is due; one polled is due from the time its last poll gave, or earlyMs before", () => {
    expect(isDue(undefined, 1_000)).toBe(true);
    expect(isDue(1_000, 999)).toBe(false);
    expect(isDue(1_000, 1_000)).toBe(true);
    expect(isDue(1_000, 900, 50)).toBe(false);
    expect(isDue(1_000, 950, 50)).toBe(true);
  });
});

describe("pollAll", () => {
  let server: FakeAnthropicServer;
  beforeAll(async () => {
    server = await FakeAnthropicServer.start();
  });
  afterAll(() => server.close());

  test("one list of sources; a throwing source does not break the others", async () => {
    expect(registeredSources().map((d) => d.name)).toEqual(["statusline", "oauth", "header-file", "admin"]);
    const broken: LimitSource = {
      name: "broken",
      description: "throws",
      defaultIntervalMs: 1000,
      isEnabled: () => true,
      poll: () => Promise.reject(new Error("boom")),
    };
    const home = tempDir();
    const ctx: PollContext = {
      clock: new ManualClock(NOW_MS),
      files: nodeFiles,
      http: nodeHttp,
      env: {},
      homeDir: home,
      config: {},
    };
    const result = await pollAll([...createSources(), broken], ctx);
    expect(result.statuses.map((s) => [s.source, s.state])).toEqual([
      ["statusline", "missing"],
      ["oauth", "disabled"],
      ["header-file", "missing"],
      ["admin", "disabled"],
      ["broken", "error"],
    ]);
    expect(result.merged).toBeNull();
    expect(result.results[4].result.nextPollAtMs).toBe(NOW_MS + 1000);
  });

  test("each source's options go through its schema: unknown keys dropped, a wrong type refused by name", () => {
    const config = limitsConfigFor(
      { oauth: true },
      { baseUrl: "http://127.0.0.1:1" },
      { admin: { userEmails: ["a@b"] } },
    );
    expect(config.oauth).toEqual({ enabled: true, baseUrl: "http://127.0.0.1:1" });
    expect(config.admin).toEqual({ baseUrl: "http://127.0.0.1:1", userEmails: ["a@b"] });
    // baseUrl is no option of the file sources: dropped.
    expect(config.statusline).toEqual({});
    expect(() => limitsConfigFor({}, {}, { admin: { timeoutMs: "soon" } })).toThrow(
      "options of the rate-limit source 'admin': timeoutMs: expected number",
    );
  });

  test("pollConfiguredSources merges the statusline feed and OAuth, freshest first", async () => {
    const home = tempDir();
    writeCredentialsFile(path.join(home, ".claude"), {
      accessToken: "tok-merge",
      expiresAt: NOW_MS + 3600_000,
    });
    const feed = path.join(home, "feed.json");
    fs.writeFileSync(
      feed,
      JSON.stringify({
        version: 1,
        updatedAtMs: NOW_MS - 5000,
        rateLimitsObservedAtMs: NOW_MS - 5000,
        rateLimits: { five_hour: { used_percentage: 99, resets_at: NOW_MS / 1000 + 600 } },
        sessions: {},
      }),
    );
    server.on("/api/oauth/usage", { body: modernUsageBody(NOW_MS) });
    server.on("/api/oauth/profile", { body: profileBody() });
    const result = await pollConfiguredSources({
      clock: new ManualClock(NOW_MS),
      files: nodeFiles,
      http: nodeHttp,
      env: { QUOTACAST_STATUSLINE_FILE: feed },
      homeDir: home,
      config: { oauth: { enabled: true, baseUrl: server.baseUrl } },
    });
    const windows = Object.fromEntries(result.merged!.windows.map((w) => [w.window, w]));
    // OAuth observed now (fresher) beats the 5 s old feed.
    expect(windows.five_hour).toMatchObject({ source: "oauth", utilizationRatio: 0.425 });
    expect(windows.seven_day_opus.source).toBe("oauth");
    // The profile's type and tier only: its email and names are not kept.
    expect(result.merged!.plan).toEqual({
      subscriptionType: "claude_max",
      rateLimitTier: "default_claude_max_20x",
    });
    expect(result.statuses.find((s) => s.source === "statusline")?.state).toBe("ok");
  });
});
