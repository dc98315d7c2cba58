import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { hashSync } from "bcryptjs";
import { aggregateByPeriod, costUsd, type UsageEvent } from "@quotacast/core";
import type { ServeConfig } from "../../../exporter/src/config";
import { openDatabase } from "../../../exporter/src/db/open";
import type { Logger } from "../../../exporter/src/state/log";
import { generateHistory, type GeneratedHistory } from "../../generators/transcripts";
import { assistantLine } from "../../core/ingest/helpers";
import {
  appendTranscript,
  samples,
  scrape,
  seriesKey,
  startForTest,
  sumOf,
  tempDir,
  testConfig,
  truthByModel,
  withExporter,
} from "./helpers";

const DAY_MS = 86_400_000;
const NOW_MS = Date.now();

function asUsageEvents(history: GeneratedHistory): UsageEvent[] {
  return history.events.map((e) => ({ ...e }));
}

/** Messages, tokens and cost per model from the ground truth and from a scrape agree. */
function expectCountersMatchTruth(all: Map<string, number>, history: GeneratedHistory): void {
  const truth = truthByModel(history.events);
  expect(truth.size).toBeGreaterThan(1);
  for (const [model, t] of truth) {
    expect(all.get(seriesKey("quotacast_messages_total", { model }))).toBe(t.messages);
    expect(all.get(seriesKey("quotacast_tokens_total", { model, type: "input" }))).toBe(t.input);
    expect(all.get(seriesKey("quotacast_tokens_total", { model, type: "output" }))).toBe(t.output);
    expect(all.get(seriesKey("quotacast_tokens_total", { model, type: "cache_creation" }))).toBe(
      t.cacheCreation,
    );
    expect(all.get(seriesKey("quotacast_tokens_total", { model, type: "cache_read" }))).toBe(t.cacheRead);
  }
  expect(sumOf(all, "quotacast_messages_total")).toBe(history.events.length);
  const truthCost = asUsageEvents(history).reduce((sum, e) => sum + (costUsd(e) ?? 0), 0);
  expect(sumOf(all, "quotacast_cost_usd_total")).toBeCloseTo(truthCost, 6);
}

describe("quotacast serve with an empty or missing history", () => {
  test("serves /metrics, the API, /healthz and the landing page without errors", async () => {
    const dir = tempDir();
    // Schedules on, as `npm start` runs it.
    await withExporter(testConfig(dir), { manual: false }, async (exporter) => {
      const text = await scrape(exporter.url);
      const all = samples(text);
      expect(sumOf(all, "quotacast_messages_total")).toBe(0);
      expect([...all.keys()].some((k) => k.startsWith("quotacast_tokens_total"))).toBe(false);
      expect(all.get(seriesKey("quotacast_today_cost_usd"))).toBe(0);
      expect(all.get(seriesKey("quotacast_block_cost_usd"))).toBe(0);
      expect(all.get(seriesKey("quotacast_active_sessions"))).toBe(0);
      expect(all.get(seriesKey("quotacast_source_up", { source: "transcripts" }))).toBe(1);
      expect(
        all.get(seriesKey("quotacast_build_info", { version: "0.1.0", nodejs_version: process.version })),
      ).toBe(1);
      // Absent, not zero, when there is nothing to say.
      for (const name of [
        "quotacast_block_end_timestamp_seconds",
        "quotacast_extra_usage_enabled",
        "quotacast_org_projected_cost_usd",
        "quotacast_window_utilization_ratio",
      ]) {
        expect(text).toContain(`# HELP ${name} `);
        expect([...all.keys()].some((k) => k.startsWith(`${name}{`))).toBe(false);
      }
      if (spawnSync("promtool", ["--version"]).status === 0) {
        const check = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
        expect(check.stdout + check.stderr).toBe("");
        expect(check.status).toBe(0);
      }
      // Opt-in sources are absent, not down.
      expect([...all.keys()].some((k) => k.includes('source="oauth"'))).toBe(false);

      const health = await fetch(`${exporter.url}/healthz`);
      expect(health.status).toBe(200);
      const healthBody = (await health.json()) as { sources: Array<{ source: string; state: string }> };
      expect(healthBody.sources.map((s) => s.source)).toContain("transcripts");

      const summary = (await (await fetch(`${exporter.url}/api/v1/summary`)).json()) as {
        today: { costUsd: number };
        lastDays: unknown[];
      };
      expect(summary.today.costUsd).toBe(0);
      expect(summary.lastDays.length).toBeGreaterThan(0);
      expect(await (await fetch(`${exporter.url}/api/v1/windows`)).json()).toEqual([]);
      expect(await (await fetch(`${exporter.url}/api/v1/daily`)).json()).toEqual([]);
      expect((await fetch(`${exporter.url}/api/v1/daily?since=yesterday`)).status).toBe(400);
      const landing = await (await fetch(`${exporter.url}/`)).text();
      for (const link of ["metrics", "api/v1/summary", "api/v1/windows", "api/v1/daily", "healthz"]) {
        expect(landing).toContain(`href="${link}"`);
      }
      expect((await fetch(`${exporter.url}/nope`)).status).toBe(404);
    });
  });
});

describe("quotacast serve with a generated history", () => {
  let dir: string;
  let configDir: string;
  let history: GeneratedHistory;

  beforeEach(() => {
    dir = tempDir();
    configDir = path.join(dir, "claude");
    history = generateHistory({
      dir: configDir,
      sizeMb: 1.5,
      seed: 21,
      endMs: NOW_MS,
      days: 6,
      projects: 6,
      medianFileBytes: 30_000,
    });
  });

  test("counters equal the ground truth; restarting continues them; deleting transcripts changes nothing", async () => {
    const config = testConfig(dir, { claudeConfigDirs: [configDir] });
    let exporter = await startForTest(config);
    let first: Map<string, number>;
    try {
      first = samples(await scrape(exporter.url));
      expectCountersMatchTruth(first, history);

      // /api/v1/daily equals core's aggregation of the truth.
      const sinceDay = new Date(NOW_MS - 3 * DAY_MS).toISOString().slice(0, 10);
      const daily = (await (await fetch(`${exporter.url}/api/v1/daily?since=${sinceDay}`)).json()) as Array<{
        period: string;
        costUsd: number;
        totalTokens: number;
      }>;
      const expected = aggregateByPeriod(asUsageEvents(history), {
        period: "day",
        timezone: "UTC",
        sinceDay,
      });
      expect(daily.map((d) => [d.period, d.totalTokens])).toEqual(
        expected.map((d) => [d.period, d.totalTokens]),
      );
      daily.forEach((d, i) => expect(d.costUsd).toBeCloseTo(expected[i].costUsd, 6));
    } finally {
      await exporter.stop();
    }

    // Restart: the same totals before and after the first refresh (nothing counted twice).
    exporter = await startForTest(config);
    try {
      const second = samples(await scrape(exporter.url));
      expectCountersMatchTruth(second, history);
      // Identical, not just close: a counter that dipped by a rounding error would read as a reset.
      for (const [key, value] of first) {
        if (/^quotacast_(cost_usd|tokens|messages)_total\{/.test(key))
          expect([key, second.get(key)]).toEqual([key, value]);
      }

      // Claude Code deletes old transcripts: totals stay.
      fs.rmSync(path.join(configDir, "projects"), { recursive: true, force: true });
      await exporter.runtime.transcriptsJob.run();
      const third = samples(await scrape(exporter.url));
      expectCountersMatchTruth(third, history);

      // /api/v1/daily is rendered once per state version: a change shows on the next request.
      const today = new Date(NOW_MS).toISOString().slice(0, 10);
      const dailyOutput = async () =>
        (
          (await (await fetch(`${exporter.url}/api/v1/daily?since=${today}`)).json()) as {
            outputTokens: number;
          }[]
        )
          .map((d) => d.outputTokens)
          .reduce((a, b) => a + b, 0);
      const outputBefore = await dailyOutput();
      expect(await dailyOutput()).toBe(outputBefore);

      // New lines count exactly once, added to what was there.
      appendTranscript(configDir, "-home-me-new", "s-new", [
        assistantLine({
          id: "msg_new1",
          requestId: "req_new1",
          model: "claude-sonnet-4-5-20250929",
          input: 100,
          output: 10,
          timestamp: new Date(NOW_MS).toISOString(),
        }),
        assistantLine({
          id: "msg_new1",
          requestId: "req_new1",
          model: "claude-sonnet-4-5-20250929",
          input: 100,
          output: 40,
          timestamp: new Date(NOW_MS).toISOString(),
        }),
      ]);
      await exporter.runtime.transcriptsJob.run();
      const fourth = samples(await scrape(exporter.url));
      expect(sumOf(fourth, "quotacast_messages_total")).toBe(history.events.length + 1);
      expect(sumOf(fourth, "quotacast_tokens_total", { type: "output" })).toBe(
        sumOf(third, "quotacast_tokens_total", { type: "output" }) + 40,
      );
      expect(await dailyOutput()).toBe(outputBefore + 40);
      expect(fourth.get(seriesKey("quotacast_active_sessions"))).toBeGreaterThanOrEqual(1);
      expect(fourth.get(seriesKey("quotacast_block_cost_usd"))).toBeGreaterThan(0);
    } finally {
      await exporter.stop();
    }
  });

  test("per-project series are opt-in and capped, the rest summed as other", async () => {
    const plain = await startForTest(testConfig(dir, { claudeConfigDirs: [configDir] }));
    try {
      expect(await scrape(plain.url)).not.toContain("quotacast_project_cost_usd_total");
    } finally {
      await plain.stop();
    }
    await withExporter(
      testConfig(dir, { claudeConfigDirs: [configDir], metricsProjects: 2 }),
      async (exporter) => {
        const all = samples(await scrape(exporter.url));
        const projects = [...all.keys()].filter((k) => k.startsWith("quotacast_project_cost_usd_total"));
        const truthProjects = new Set(history.events.map((e) => e.project));
        expect(truthProjects.size).toBeGreaterThan(3);
        expect(projects).toHaveLength(3);
        expect(projects.some((k) => k.includes('project="other"'))).toBe(true);
        expect(sumOf(all, "quotacast_project_cost_usd_total")).toBeCloseTo(
          sumOf(all, "quotacast_cost_usd_total"),
          6,
        );
      },
    );
  });

  test("a full disk is reported (healthz 503, transcripts down with reason disk) and the state in memory is kept", async () => {
    const localDir = tempDir();
    const localConfig = path.join(localDir, "claude");
    appendTranscript(localConfig, "-p", "s1", [
      assistantLine({ id: "msg_a", requestId: "req_a", output: 5 }),
    ]);
    await withExporter(testConfig(localDir, { claudeConfigDirs: [localConfig] }), async (exporter) => {
      const before = samples(await scrape(exporter.url));
      expect(sumOf(before, "quotacast_messages_total")).toBe(1);
      const db = exporter.runtime.db;
      db.pragma(`max_page_count = ${db.pragma("page_count", { simple: true }) as number}`);
      const lines = Array.from({ length: 400 }, (_, i) =>
        assistantLine({ id: `msg_${i}_${"x".repeat(80)}`, requestId: `req_${i}`, output: 5 }),
      );
      appendTranscript(localConfig, "-p", "s2", lines);
      await exporter.runtime.transcriptsJob.run();
      const health = await fetch(`${exporter.url}/healthz`);
      expect(health.status).toBe(503);
      expect(((await health.json()) as { database: string }).database).toMatch(/disk full/);
      const after = samples(await scrape(exporter.url));
      expect(after.get(seriesKey("quotacast_source_up", { source: "transcripts" }))).toBe(0);
      expect(
        after.get(seriesKey("quotacast_source_last_error_info", { source: "transcripts", reason: "disk" })),
      ).toBe(1);
      expect(sumOf(after, "quotacast_messages_total")).toBe(1);

      // Space again: the next refresh stores and counts everything once.
      db.pragma("max_page_count = 1073741823");
      await exporter.runtime.transcriptsJob.run();
      expect((await fetch(`${exporter.url}/healthz`)).status).toBe(200);
      expect(sumOf(samples(await scrape(exporter.url)), "quotacast_messages_total")).toBe(401);
    });
  });
});

describe("startup and shutdown", () => {
  test("a corrupt database stops the start with a clear error and is left as it was", async () => {
    const dir = tempDir();
    const config = testConfig(dir);
    fs.mkdirSync(path.dirname(config.dbPath as string), { recursive: true });
    fs.writeFileSync(config.dbPath as string, "not a database");
    await expect(startForTest(config)).rejects.toThrow(/is not a SQLite database/);
    expect(fs.readFileSync(config.dbPath as string, "utf8")).toBe("not a database");
  });

  test("stop closes the port and the database", async () => {
    const exporter = await startForTest(testConfig(tempDir()));
    const url = exporter.url;
    await exporter.stop();
    expect(exporter.runtime.db.open).toBe(false);
    await expect(fetch(`${url}/metrics`)).rejects.toThrow();
  });
});

describe("background work", () => {
  /** A config with the watch on, over one transcript that holds one response. */
  function watchedHistory(): { configDir: string; config: ServeConfig } {
    const dir = tempDir();
    const configDir = path.join(dir, "claude");
    appendResponse(configDir, "first");
    return { configDir, config: testConfig(dir, { claudeConfigDirs: [configDir], watch: true }) };
  }

  function appendResponse(configDir: string, id: string): void {
    appendTranscript(configDir, "-p", "s1", [
      assistantLine({ id: `msg_${id}`, requestId: `req_${id}`, output: 5 }),
    ]);
  }

  const messages = async (url: string) => sumOf(samples(await scrape(url)), "quotacast_messages_total");

  /** Scrapes until `count` messages are counted or 20 s have passed; the last count seen. */
  async function waitForMessages(url: string, count: number): Promise<number> {
    const deadline = Date.now() + 20_000;
    let seen = await messages(url);
    while (seen < count && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      seen = await messages(url);
    }
    return seen;
  }

  test("a new transcript is picked up by the watch, without waiting for the schedule", async () => {
    const { configDir, config } = watchedHistory();
    await withExporter(config, { manual: false }, async (exporter) => {
      expect(await messages(exporter.url)).toBe(1);
      appendResponse(configDir, "second");
      expect(await waitForMessages(exporter.url, 2)).toBe(2);
    });
  });

  test("a .jsonl symlink to itself (ELOOP) does not stop the watch", async () => {
    const { configDir, config } = watchedHistory();
    const logs: string[] = [];
    const log: Logger = (level, msg, fields) => logs.push(`${level} ${msg} ${JSON.stringify(fields ?? {})}`);
    await withExporter(config, { manual: false, log }, async (exporter) => {
      expect(await messages(exporter.url)).toBe(1);
      // The loop appears next to a transcript that then grows, in the same directory.
      fs.symlinkSync("loop.jsonl", path.join(configDir, "projects", "-p", "loop.jsonl"));
      appendResponse(configDir, "second");
      expect(await waitForMessages(exporter.url, 2)).toBe(2);
      // And the watch still sees what comes after.
      appendResponse(configDir, "third");
      expect(await waitForMessages(exporter.url, 3)).toBe(3);
      expect(logs.filter((l) => l.includes("watch stopped"))).toEqual([]);
    });
  });

  test("retention pruning deletes rate-limit readings older than --retention.days", async () => {
    await withExporter(testConfig(tempDir(), { retentionDays: 10 }), async (exporter) => {
      const nowMs = Date.now();
      for (const ageDays of [30, 11, 9, 1]) {
        const observedAtMs = nowMs - ageDays * DAY_MS;
        await exporter.runtime.history.append({
          observedAtMs,
          source: "oauth",
          windows: [
            {
              window: "seven_day",
              utilizationRatio: 0.1,
              resetsAtMs: observedAtMs + DAY_MS,
              windowLengthMs: 7 * DAY_MS,
              status: "allowed",
              source: "oauth",
              observedAtMs,
            },
          ],
        });
      }
      await exporter.runtime.pruneJob.run();
      const left = await exporter.runtime.history.readings({ window: "seven_day", fromMs: 0, toMs: nowMs });
      expect(left.map((r) => Math.round((nowMs - r.observedAtMs) / DAY_MS))).toEqual([9, 1]);
    });
  });

  test("basic auth from the web config file guards every path", async () => {
    const dir = tempDir();
    const file = path.join(dir, "web.yml");
    fs.writeFileSync(file, `basic_auth_users:\n  prometheus: ${hashSync("s3cret", 4)}\n`);
    await withExporter(testConfig(dir, { webConfigFile: file }), async (exporter) => {
      for (const route of ["/metrics", "/api/v1/summary", "/healthz"]) {
        expect((await fetch(`${exporter.url}${route}`)).status).toBe(401);
      }
      const auth = { authorization: `Basic ${Buffer.from("prometheus:s3cret").toString("base64")}` };
      expect((await fetch(`${exporter.url}/metrics`, { headers: auth })).status).toBe(200);
      const wrong = { authorization: `Basic ${Buffer.from("prometheus:nope").toString("base64")}` };
      expect((await fetch(`${exporter.url}/metrics`, { headers: wrong })).status).toBe(401);
    });
  });
});

describe("one server per database", () => {
  test("a second serve on the same database is refused, naming the first; after it stops, a new one starts", async () => {
    const dir = tempDir();
    const config = testConfig(dir);
    const first = await startForTest(config);
    try {
      const second = startForTest(config);
      // Never leave a second server running if the refusal regresses.
      second.then(
        (s) => s.stop(),
        () => undefined,
      );
      await expect(second).rejects.toThrow(
        new RegExp(`in use by another quotacast serve \\(pid ${process.pid} on `),
      );
    } finally {
      await first.stop();
    }
    const next = await startForTest(config);
    await next.stop();
  });

  test("the claim of a process that is gone (killed) is taken over", async () => {
    const dir = tempDir();
    const config = testConfig(dir);
    const db = openDatabase(config.dbPath as string);
    // A pid above the kernel's pid_max cannot belong to a live process.
    db.prepare(
      "INSERT INTO server_owner (id, instance, pid, hostname, started_at_ms, heartbeat_ms) VALUES (1, 'x', ?, ?, ?, ?)",
    ).run(2 ** 22 + 7, os.hostname(), Date.now(), Date.now());
    db.close();
    const exporter = await startForTest(config);
    await exporter.stop();
  });
});
