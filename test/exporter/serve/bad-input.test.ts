/**
 * Input that cannot break numbers: a history with a 1e308 token count, a line dated 2200 and
 * a valid line spelled `"usage": {` still gives a clean scrape and a healthy exporter.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Metric } from "prom-client";
import type { UsageEvent } from "@quotacast/core";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { createApp } from "../../../exporter/src/http/app";
import { MetricsExposition } from "../../../exporter/src/metrics/exposition";
import { createMetricsRegistry } from "../../../exporter/src/metrics/registry";
import { ExporterState } from "../../../exporter/src/state/state";
import { UsageTotals } from "../../../exporter/src/state/usage-totals";
import { assistantLine } from "../../core/ingest/helpers";
import { usageEvent } from "../../fakes/usage-event";
import { samples, sumOf, startForTest, tempDir, testConfig } from "./helpers";

const hasPromtool = spawnSync("promtool", ["--version"]).status === 0;

/** The line as Python's json.dumps writes it: a space after every colon and comma. */
function spacedLine(line: string): string {
  return JSON.stringify(JSON.parse(line), null, 1)
    .replace(/\n\s*/g, " ")
    .replace(/([[{]) /g, "$1")
    .replace(/ ([\]}])/g, "$1");
}

describe("a history with absurd and unusual lines", () => {
  test("/metrics is 200 and clean, the spaced line counted, the others skipped, /healthz ok", async () => {
    const home = tempDir();
    const claudeDir = path.join(home, ".claude");
    const dir = path.join(claudeDir, "projects", "-home-me-app");
    fs.mkdirSync(dir, { recursive: true });
    const now = new Date().toISOString();
    const spaced = spacedLine(assistantLine({ id: "spaced", output: 7, timestamp: now }));
    expect(spaced).toContain('"usage": {');
    fs.writeFileSync(
      path.join(dir, "s.jsonl"),
      [
        assistantLine({ id: "normal", output: 5, timestamp: now }),
        assistantLine({ id: "huge", timestamp: now }).replace('"output_tokens":5', '"output_tokens":1e308'),
        assistantLine({ id: "future", timestamp: "2200-01-01T00:00:00.000Z" }),
        spaced,
      ].join("\n") + "\n",
    );
    const exporter = await startForTest(testConfig(home, { claudeConfigDirs: [claudeDir] }), {
      homeDir: home,
    });
    try {
      const response = await fetch(`${exporter.url}/metrics`);
      expect(response.status).toBe(200);
      const text = await response.text();
      const all = samples(text);
      expect(sumOf(all, "quotacast_messages_total")).toBe(2);
      expect(sumOf(all, "quotacast_tokens_total", { type: "output" })).toBe(12);
      expect(sumOf(all, "quotacast_ingest_lines_skipped_total", { reason: "malformed" })).toBe(2);
      if (hasPromtool) {
        const check = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
        expect({ status: check.status, out: check.stdout + check.stderr }).toEqual({ status: 0, out: "" });
      }
      const daily = (await (await fetch(`${exporter.url}/api/v1/daily`)).json()) as unknown;
      expect(JSON.stringify(daily)).not.toContain("2200-");
      const health = await fetch(`${exporter.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: "ok", metrics: "ok" });
    } finally {
      await exporter.stop();
    }
  });
});

function event(outputTokens: number): UsageEvent {
  return usageEvent({ timestampMs: Date.now() - 60_000, inputTokens: 1, outputTokens });
}

describe("the metrics text never breaks on a bad value", () => {
  test("a non-finite total is left out, not handed to prom-client", async () => {
    const usage = new UsageTotals("UTC");
    usage.add(event(Number.MAX_VALUE));
    usage.add({ ...event(Number.MAX_VALUE), key: "k2" });
    const state = new ExporterState(usage, "UTC");
    const exposition = new MetricsExposition(
      state,
      createMetricsRegistry(state, { projects: 0, processMetrics: false }),
    );
    const text = (await exposition.current()).body.toString("utf8");
    expect(text).not.toMatch(/Inf|NaN/);
    expect(text).toContain("quotacast_messages_total");
  });

  test("a rendering that fails is logged and makes /healthz unhealthy until one succeeds", async () => {
    const state = new ExporterState(new UsageTotals("UTC"), "UTC");
    const registry = createMetricsRegistry(state, { projects: 0, processMetrics: false });
    let broken = true;
    registry.registerMetric({
      name: "quotacast_test_broken",
      help: "fails when asked",
      reset() {},
      async get() {
        if (broken) throw new Error("collect failed");
        return { name: "quotacast_test_broken", help: "fails when asked", type: "gauge", values: [] };
      },
    } as unknown as Metric);
    const logged: string[] = [];
    const server = http.createServer(
      createApp(state, registry, undefined, (level, msg, fields) =>
        logged.push(`${level} ${msg} ${fields?.error}`),
      ),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${url}/metrics`)).status).toBe(500);
      const sick = await fetch(`${url}/healthz`);
      expect(sick.status).toBe(503);
      expect(await sick.json()).toMatchObject({ status: "unhealthy", metrics: "collect failed" });
      expect(logged).toEqual(["error rendering /metrics failed collect failed"]);
      broken = false;
      state.markChanged();
      expect((await fetch(`${url}/metrics`)).status).toBe(200);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
