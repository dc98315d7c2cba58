/** Shared helpers for the exporter tests: temp dirs, a config, an exporter on port 0, scrapes. */
import * as fs from "node:fs";
import * as path from "node:path";
import { defaultConfig, type ServeConfig } from "../../../exporter/src/config";
import { startExporter, type RunningExporter, type StartOptions } from "../../../exporter/src/commands/serve";
import { silentLogger } from "../../../exporter/src/state/log";
import { tempDir } from "../../fakes/ports";
import type { TruthEvent } from "../../generators/transcripts";

export { tempDir };

/** A config whose daily and hourly schedules do not fire during a test. */
export function testConfig(dir: string, overrides: Partial<ServeConfig> = {}): ServeConfig {
  return {
    ...defaultConfig(),
    listenAddress: "127.0.0.1:0",
    dbPath: path.join(dir, "state", "quotacast.db"),
    claudeConfigDirs: [path.join(dir, "claude")],
    timezone: "UTC",
    transcriptsSchedule: "0 0 1 1 *",
    adminSchedule: "0 0 1 1 *",
    pruneSchedule: "0 0 1 1 *",
    refitSchedule: "0 0 1 1 *",
    watch: false,
    ...overrides,
    sources: { ...defaultConfig().sources, ...overrides.sources },
  };
}

/**
 * Starts an exporter and waits for its first transcript read. `manual` (the default here):
 * no schedules, the test runs the jobs, so what happens is what the test did. Its home is
 * an empty temp dir unless given: never the real one (a statusline feed or credentials there
 * would show up in the test).
 */
export async function startForTest(config: ServeConfig, opts: StartOptions = {}): Promise<RunningExporter> {
  const exporter = await startExporter(config, {
    log: silentLogger,
    env: {},
    manual: true,
    homeDir: tempDir("quotacast-home-"),
    ...opts,
  });
  if (exporter.runtime.transcriptsJob.isRunning) await exporter.runtime.transcriptsJob.idle();
  else await exporter.runtime.transcriptsJob.run();
  return exporter;
}

type UseExporter<T> = (exporter: RunningExporter) => Promise<T>;

/** Runs `use` with an exporter started by `startForTest`, and stops it afterwards, pass or fail. */
export async function withExporter<T>(config: ServeConfig, use: UseExporter<T>): Promise<T>;
export async function withExporter<T>(
  config: ServeConfig,
  opts: StartOptions,
  use: UseExporter<T>,
): Promise<T>;
export async function withExporter<T>(
  config: ServeConfig,
  optsOrUse: StartOptions | UseExporter<T>,
  use?: UseExporter<T>,
): Promise<T> {
  const [opts, body] = typeof optsOrUse === "function" ? [{}, optsOrUse] : [optsOrUse, use as UseExporter<T>];
  const exporter = await startForTest(config, opts);
  try {
    return await body(exporter);
  } finally {
    await exporter.stop();
  }
}

export async function scrape(url: string): Promise<string> {
  const response = await fetch(`${url}/metrics`);
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  return response.text();
}

/** `name{labels} value` lines of a scrape, as a map from `name{sorted labels}` to value. */
export function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][\w:]*)(\{.*\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`unparseable sample line: ${line}`);
    const labels = match[2] ? parseLabels(match[2]) : {};
    out.set(seriesKey(match[1], labels), Number(match[3]));
  }
  return out;
}

export function seriesKey(name: string, labels: Record<string, string> = {}): string {
  const body = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(",");
  return `${name}{${body}}`;
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const re = /(\w+)="((?:[^"\\]|\\.)*)"/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) labels[m[1]] = JSON.parse(`"${m[2]}"`) as string;
  return labels;
}

/** Sum of the samples of one metric, optionally filtered by labels. */
export function sumOf(all: Map<string, number>, name: string, where: Record<string, string> = {}): number {
  let total = 0;
  for (const [key, value] of all) {
    if (!key.startsWith(`${name}{`)) continue;
    if (Object.entries(where).every(([k, v]) => key.includes(`${k}=${JSON.stringify(v)}`))) total += value;
  }
  return total;
}

/** Per model: messages and token sums of the generator's ground truth. */
export function truthByModel(
  events: readonly TruthEvent[],
): Map<
  string,
  { messages: number; input: number; output: number; cacheCreation: number; cacheRead: number }
> {
  const out = new Map<
    string,
    { messages: number; input: number; output: number; cacheCreation: number; cacheRead: number }
  >();
  for (const e of events) {
    let t = out.get(e.model);
    if (!t) {
      t = { messages: 0, input: 0, output: 0, cacheCreation: 0, cacheRead: 0 };
      out.set(e.model, t);
    }
    t.messages++;
    t.input += e.inputTokens;
    t.output += e.outputTokens;
    t.cacheCreation += e.cacheCreationTokens;
    t.cacheRead += e.cacheReadTokens;
  }
  return out;
}

/** Writes transcript lines to `<configDir>/projects/<project>/<session>.jsonl` (appending). */
export function appendTranscript(
  configDir: string,
  project: string,
  session: string,
  lines: string[],
): string {
  const file = path.join(configDir, "projects", project, `${session}.jsonl`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, lines.map((l) => `${l}\n`).join(""));
  return file;
}
