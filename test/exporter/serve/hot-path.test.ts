/**
 * `/metrics` rendered once per state change and served from memory; the hot routes
 * answered before express on their exact paths, and alike by express on their variants,
 * with auth, web-config headers and gzip as before.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { hashSync } from "bcryptjs";
import { sourceStatus, type UsageEvent } from "@quotacast/core";
import { MetricsExposition } from "../../../exporter/src/metrics/exposition";
import { createMetricsRegistry } from "../../../exporter/src/metrics/registry";
import { acceptsGzip } from "../../../exporter/src/http/hot-routes";
import type { RunningExporter } from "../../../exporter/src/commands/serve";
import { ExporterState } from "../../../exporter/src/state/state";
import { UsageTotals } from "../../../exporter/src/state/usage-totals";
import { assistantLine } from "../../core/ingest/helpers";
import { usageEvent } from "../../fakes/usage-event";
import {
  appendTranscript,
  samples,
  scrape,
  seriesKey,
  startForTest,
  tempDir,
  testConfig,
  withExporter,
} from "./helpers";

const MINUTE_MS = 60_000;
const START_MS = Date.parse("2026-11-20T12:00:00.000Z");

function event(key: string, timestampMs: number, sessionId: string): UsageEvent {
  return usageEvent({
    key,
    timestampMs,
    sessionId,
    project: "-home-me-app",
    inputTokens: 100,
    outputTokens: 50,
  });
}

/** Writes one response of 1,000 input tokens, timestamped now, and has the exporter read it. */
async function readOneResponse(exporter: RunningExporter, dir: string): Promise<void> {
  appendTranscript(path.join(dir, "claude"), "-home-me-app", "s1", [
    assistantLine({
      id: "msg_1",
      requestId: "req_1",
      model: "claude-sonnet-4-5-20250929",
      input: 1000,
      timestamp: new Date().toISOString(),
    }),
  ]);
  await exporter.runtime.transcriptsJob.run();
}

/** A state, registry and exposition on one hand-moved clock. */
function fixture() {
  const clock = { nowMs: START_MS };
  const now = () => clock.nowMs;
  const usage = new UsageTotals("UTC", undefined, now);
  const state = new ExporterState(usage, "UTC");
  const registry = createMetricsRegistry(state, { projects: 0, processMetrics: false, nowMs: now });
  const exposition = new MetricsExposition(state, registry, now);
  const scrapeNow = async () => samples((await exposition.current()).body.toString("utf8"));
  return { clock, usage, state, exposition, scrapeNow };
}

describe("the metrics text, rendered once per state change", () => {
  test("is served as rendered until the state changes, then rendered again with the change", async () => {
    const { usage, state, exposition } = fixture();
    const first = await exposition.current();
    expect(exposition.current()).toBe(first);

    usage.add(event("m1:r1", START_MS - MINUTE_MS, "s1"));
    state.markChanged();
    expect(exposition.fresh()).toBeNull();
    const second = await exposition.current();
    expect(second).not.toBe(first);
    const all = samples(second.body.toString("utf8"));
    expect(all.get(seriesKey("quotacast_messages_total", { model: "claude-sonnet-4-5-20250929" }))).toBe(1);
    expect(exposition.current()).toBe(second);
  });

  test("scrapes that arrive during a rendering share it", async () => {
    const { exposition } = fixture();
    const [a, b] = await Promise.all([exposition.current(), exposition.current()]);
    expect(a).toBe(b);
  });

  test("a window's utilization disappears at its reset without any state change", async () => {
    const { clock, state, scrapeNow } = fixture();
    const resetsAtMs = START_MS + 30 * MINUTE_MS;
    state.sources.set("statusline", {
      name: "statusline",
      status: sourceStatus("statusline", "ok", "ok", START_MS),
      snapshot: {
        observedAtMs: START_MS,
        source: "statusline",
        windows: [
          {
            window: "five_hour",
            utilizationRatio: 0.42,
            resetsAtMs,
            windowLengthMs: 5 * 60 * MINUTE_MS,
            status: "allowed",
            source: "statusline",
            observedAtMs: START_MS,
          },
        ],
      },
      orgUsage: null,
      nextPollAtMs: START_MS + MINUTE_MS,
    });
    state.markChanged();
    const key = seriesKey("quotacast_window_utilization_ratio", {
      window: "five_hour",
      source: "statusline",
    });
    expect((await scrapeNow()).get(key)).toBe(0.42);
    clock.nowMs = resetsAtMs - 1;
    expect((await scrapeNow()).get(key)).toBe(0.42);
    clock.nowMs = resetsAtMs;
    expect((await scrapeNow()).has(key)).toBe(false);
  });

  test("a session leaves quotacast_active_sessions 5 minutes after its last message, without a state change", async () => {
    const { clock, usage, state, scrapeNow } = fixture();
    usage.add(event("m1:r1", START_MS - 4 * MINUTE_MS, "older"));
    usage.add(event("m2:r2", START_MS - 1 * MINUTE_MS, "newer"));
    state.markChanged();
    const key = seriesKey("quotacast_active_sessions");
    expect((await scrapeNow()).get(key)).toBe(2);
    clock.nowMs = START_MS + MINUTE_MS + 1;
    expect((await scrapeNow()).get(key)).toBe(1);
    clock.nowMs = START_MS + 4 * MINUTE_MS + 1;
    expect((await scrapeNow()).get(key)).toBe(0);
  });

  test("quotacast_scrape_duration_seconds is the time the previous rendering took", async () => {
    const { state, scrapeNow } = fixture();
    const key = seriesKey("quotacast_scrape_duration_seconds");
    expect((await scrapeNow()).get(key)).toBe(0);
    expect(state.lastScrapeDurationSeconds).toBeGreaterThan(0);
    const measured = state.lastScrapeDurationSeconds;
    state.markChanged();
    expect((await scrapeNow()).get(key)).toBe(measured);
  });
});

describe("Accept-Encoding", () => {
  test.each([
    ["gzip", true],
    ["gzip, deflate, br", true],
    ["deflate, x-gzip", true],
    ["GZIP;q=0.5", true],
    ["gzip;q=0", false],
    ["deflate", false],
    ["", false],
    [undefined, false],
  ])("%p accepts gzip: %p", (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });
});

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A request with exactly these headers (fetch would add Accept-Encoding and decompress). */
function request(url: string, opts: { method?: string; headers?: Record<string, string> } = {}) {
  return new Promise<RawResponse>((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? "GET", headers: opts.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the hot routes over HTTP", () => {
  test("/metrics: Prometheus text, gzip when asked for, and the same body on HEAD, ?query and /metrics/", async () => {
    const dir = tempDir();
    await withExporter(testConfig(dir), async (exporter) => {
      const plain = await request(`${exporter.url}/metrics`);
      expect(plain.status).toBe(200);
      expect(plain.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
      expect(plain.headers["content-encoding"]).toBeUndefined();
      expect(Number(plain.headers["content-length"])).toBe(plain.body.length);
      const text = plain.body.toString("utf8");
      expect(samples(text).get(seriesKey("quotacast_source_up", { source: "transcripts" }))).toBe(1);

      const gzipped = await request(`${exporter.url}/metrics`, { headers: { "accept-encoding": "gzip" } });
      expect(gzipped.headers["content-encoding"]).toBe("gzip");
      expect(gzipped.headers["vary"]).toBe("Accept-Encoding");
      expect(gunzipSync(gzipped.body).toString("utf8")).toBe(text);

      const head = await request(`${exporter.url}/metrics`, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(head.headers["content-length"]).toBe(plain.headers["content-length"]);
      expect(head.body.length).toBe(0);
      for (const variant of ["/metrics?format=text", "/metrics/"]) {
        const res = await request(`${exporter.url}${variant}`);
        expect(res.headers["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
        expect(res.body.toString("utf8")).toBe(text);
      }
    });
  });

  test("the JSON bodies follow the state: a new refresh is served at once", async () => {
    const dir = tempDir();
    await withExporter(testConfig(dir), async (exporter) => {
      const todayCostUsd = (res: RawResponse) =>
        (JSON.parse(res.body.toString("utf8")) as { today: { costUsd: number } }).today.costUsd;
      const before = await request(`${exporter.url}/api/v1/summary`);
      expect(before.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(Number(before.headers["content-length"])).toBe(before.body.length);
      expect(todayCostUsd(before)).toBe(0);
      await readOneResponse(exporter, dir);
      const after = await request(`${exporter.url}/api/v1/summary`);
      expect(todayCostUsd(after)).toBeGreaterThan(0);
      expect(after.body.toString("utf8")).toBe(exporter.runtime.state.summaryJson);
      const windows = await request(`${exporter.url}/api/v1/windows`);
      expect(windows.body.toString("utf8")).toBe(exporter.runtime.state.windowsJson);
      const health = JSON.parse((await request(`${exporter.url}/healthz`)).body.toString("utf8")) as {
        status: string;
      };
      expect(health.status).toBe("ok");
    });
  });

  test("each hot route serves the same bytes and ETag until the state changes, 304 to a matching If-None-Match", async () => {
    const dir = tempDir();
    await withExporter(testConfig(dir), async (exporter) => {
      const routes = ["/metrics", "/api/v1/summary", "/api/v1/windows", "/api/v1/daily"];
      const fetchAll = () => Promise.all(routes.map((route) => request(`${exporter.url}${route}`)));
      const first = await fetchAll();
      const second = await fetchAll();
      for (const [i, res] of first.entries()) {
        expect(res.status).toBe(200);
        expect(res.headers.etag).toMatch(/^"[\w-]+"$/);
        expect(second[i].body.equals(res.body)).toBe(true);
        expect(second[i].headers.etag).toBe(res.headers.etag);
        const cached = await request(`${exporter.url}${routes[i]}`, {
          headers: { "if-none-match": res.headers.etag as string },
        });
        expect(cached.status).toBe(304);
        expect(cached.body.length).toBe(0);
      }

      await readOneResponse(exporter, dir);
      const after = await fetchAll();
      for (const i of [0, 1, 3]) {
        expect(after[i].body.equals(first[i].body)).toBe(false);
        expect(after[i].headers.etag).not.toBe(first[i].headers.etag);
      }
      const daily = JSON.parse(after[3].body.toString("utf8")) as { inputTokens: number }[];
      expect(daily.reduce((sum, day) => sum + day.inputTokens, 0)).toBe(1000);
    });
  });

  test("each hot route answers alike on its exact path (the front handler) and its variants (express)", async () => {
    const dir = tempDir();
    const exporter = await startForTest(testConfig(dir));
    try {
      for (const route of ["/metrics", "/api/v1/summary", "/api/v1/windows", "/api/v1/daily", "/healthz"]) {
        const exact = await request(`${exporter.url}${route}`);
        expect([route, exact.status]).toEqual([route, 200]);
        for (const variant of [`${route}?x=1`, `${route}/`, route.toUpperCase()]) {
          const res = await request(`${exporter.url}${variant}`);
          expect([variant, res.status]).toEqual([variant, 200]);
          expect(res.headers["content-type"]).toBe(exact.headers["content-type"]);
          expect(res.headers.etag).toBe(exact.headers.etag);
          if (route !== "/healthz") expect(res.body.equals(exact.body)).toBe(true); // healthz carries times
        }
        const head = await request(`${exporter.url}${route}`, { method: "HEAD" });
        expect([route, head.status, head.body.length]).toEqual([route, 200, 0]);
        expect(head.headers["content-length"]).toBe(exact.headers["content-length"]);
        const post = await request(`${exporter.url}${route}`, { method: "POST" });
        expect([route, post.status]).toEqual([route, 404]);
      }
    } finally {
      await exporter.stop();
    }
  });

  test("with --metrics.process the process metrics change on every scrape, the exporter's series stay", async () => {
    const dir = tempDir();
    await withExporter(testConfig(dir, { processMetrics: true }), async (exporter) => {
      const first = samples(await scrape(exporter.url));
      const cpuKey = seriesKey("quotacast_process_cpu_seconds_total");
      expect(first.get(seriesKey("quotacast_source_up", { source: "transcripts" }))).toBe(1);
      expect(first.has(cpuKey)).toBe(true);
      // Burn a little CPU so the process counter moves.
      const until = process.cpuUsage().user + 20_000;
      while (process.cpuUsage().user < until);
      const second = samples(await scrape(exporter.url));
      expect(second.get(cpuKey)).toBeGreaterThan(first.get(cpuKey) as number);
      expect(second.get(seriesKey("quotacast_source_up", { source: "transcripts" }))).toBe(1);
    });
  });

  test("basic auth and the configured headers apply to the hot routes and to express's alike", async () => {
    const dir = tempDir();
    const file = path.join(dir, "web.yml");
    fs.writeFileSync(
      file,
      `basic_auth_users:\n  prometheus: ${hashSync("s3cret", 4)}\n` +
        "http_server_config:\n  headers:\n    X-Content-Type-Options: nosniff\n",
    );
    const exporter = await startForTest(testConfig(dir, { webConfigFile: file }));
    const routes = ["/metrics", "/api/v1/summary", "/api/v1/windows", "/healthz", "/metrics?x=1", "/"];
    try {
      for (const route of routes) {
        const denied = await request(`${exporter.url}${route}`);
        expect([route, denied.status]).toEqual([route, 401]);
        expect(denied.headers["x-content-type-options"]).toBe("nosniff");
      }
      const authorization = `Basic ${Buffer.from("prometheus:s3cret").toString("base64")}`;
      for (const route of routes) {
        const ok = await request(`${exporter.url}${route}`, { headers: { authorization } });
        expect([route, ok.status]).toEqual([route, 200]);
        expect(ok.headers["x-content-type-options"]).toBe("nosniff");
      }
      const gzipped = await request(`${exporter.url}/metrics`, {
        headers: { authorization, "accept-encoding": "gzip" },
      });
      expect(gzipped.headers["x-content-type-options"]).toBe("nosniff");
      expect(gzipped.headers["content-encoding"]).toBe("gzip");
    } finally {
      await exporter.stop();
    }
  });
});
