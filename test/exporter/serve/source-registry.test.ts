/**
 * A rate-limit source is one file and one line: the fixture source (test/fakes/fixture-source.ts)
 * registered with one `registerSource` call shows up in the serve config (flag, environment,
 * config file, --help), in `quotacast status` (its flag, its window) and in /api/v1/summary,
 * with no other edit anywhere.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Summary } from "@quotacast/core";
import { registerSource, registeredSources } from "@quotacast/core/limits/sources";
import { defaultConfig, parseServeArgs, serveUsage } from "../../../exporter/src/config";
import { limitsConfig } from "../../../exporter/src/state/runtime";
import { run as runStatus } from "../../../exporter/src/commands/status";
import { FIXTURE_SOURCE, FIXTURE_WINDOW, fixtureSource } from "../../fakes/fixture-source";
import { captureStdout } from "../../support/capture-stdout";
import { startForTest, tempDir, testConfig } from "./helpers";

registerSource(fixtureSource); // the one line

function parse(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const parsed = parseServeArgs(argv, env);
  if (parsed.help) throw new Error("unexpected help");
  return parsed.config;
}

test("the list holds the built-in sources, then the registered one; a name registers once", () => {
  expect(registeredSources().map((d) => d.name)).toEqual([
    "statusline",
    "oauth",
    "header-file",
    "admin",
    FIXTURE_SOURCE,
  ]);
  expect(() => registerSource(fixtureSource)).toThrow(/already registered/);
});

test("serve config: its default, --sources.<name>, the environment, the config file, --help", () => {
  expect(defaultConfig().sources[FIXTURE_SOURCE]).toBe(false);
  expect(defaultConfig().sources.statusline).toBe(true);
  expect(parse([]).sources[FIXTURE_SOURCE]).toBe(false);
  expect(parse(["--sources.fixture"]).sources[FIXTURE_SOURCE]).toBe(true);
  expect(parse([], { QUOTACAST_SOURCES_FIXTURE: "true" }).sources[FIXTURE_SOURCE]).toBe(true);
  const file = path.join(tempDir(), "q.yaml");
  fs.writeFileSync(file, "sources:\n  fixture: true\n");
  expect(parse([`--config.file=${file}`]).sources[FIXTURE_SOURCE]).toBe(true);
  expect(serveUsage()).toContain("--sources.fixture");
  expect(serveUsage()).toContain("QUOTACAST_SOURCES_FIXTURE");
  // Its section of the sources' config goes through its schema: options it does not declare are dropped.
  const config = limitsConfig({
    sources: { ...defaultConfig().sources, [FIXTURE_SOURCE]: true },
    anthropicBaseUrl: "http://127.0.0.1:1",
  });
  expect(config.fixture).toEqual({ enabled: true });
  expect(config.oauth).toEqual({ enabled: false, baseUrl: "http://127.0.0.1:1" });
});

test("quotacast status: --fixture in --help, and with it the fixture's window", async () => {
  const help = await captureStdout(() => runStatus(["--help"]));
  expect(help.stdout).toMatch(/--fixture\s+also ask the test fixture source/);
  const dir = tempDir();
  const saved = { ...process.env };
  process.env.CLAUDE_CONFIG_DIR = dir;
  process.env.QUOTACAST_STATUSLINE_FILE = path.join(dir, "feed.json");
  try {
    const without = await captureStdout(() => runStatus(["--json"]));
    expect((JSON.parse(without.stdout) as Summary).windows).toEqual([]);
    const withIt = await captureStdout(() => runStatus(["--json", "--fixture"]));
    const summary = JSON.parse(withIt.stdout) as Summary;
    expect(
      summary.windows.map((w) => [w.reading.window, w.reading.source, w.reading.utilizationRatio]),
    ).toEqual([[FIXTURE_WINDOW, FIXTURE_SOURCE, 0.42]]);
  } finally {
    process.env = saved;
  }
});

test("/api/v1/summary: its status and its window", async () => {
  const home = tempDir();
  const exporter = await startForTest(testConfig(home, { sources: { [FIXTURE_SOURCE]: true } }), {
    homeDir: home,
  });
  try {
    expect(exporter.runtime.enabledSources).toContain(FIXTURE_SOURCE);
    await exporter.runtime.pollNow(FIXTURE_SOURCE);
    const res = await fetch(`${exporter.url}/api/v1/summary`);
    const summary = (await res.json()) as Summary;
    expect(summary.sources.find((s) => s.source === FIXTURE_SOURCE)).toMatchObject({ state: "ok" });
    expect(summary.windows.map((w) => [w.reading.window, w.reading.source])).toContainEqual([
      FIXTURE_WINDOW,
      FIXTURE_SOURCE,
    ]);
  } finally {
    await exporter.stop();
  }
});
