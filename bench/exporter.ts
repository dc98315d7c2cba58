/**
 * The exporter under load: `node exporter/dist/cli.js serve` over a generated ~500 MB
 * history (bench/data/, shared with bench/run.ts), a temp database, a loopback port. After
 * the first ingest, autocannon hits `/metrics` and `/api/v1/summary` with 50 connections
 * for 30 s each; p99 latency, requests/s and the exporter's RSS go to the exporter section
 * of bench/RESULTS.md.
 *
 *   npm run build && npx tsx bench/exporter.ts [--size-mb 500] [--seed 1] [--duration 30] [--connections 50]
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import {
  generateHistory,
  readMatchingManifest,
  MANIFEST_NAME,
  writeManifest,
  type HistoryManifest,
} from "../test/generators/transcripts";
import { machineDescription, writeResultsSection } from "./results";
import { freePort } from "../test/support/free-port";

const ROOT = path.resolve(__dirname, "..");
const DATA = path.join(ROOT, "bench", "data");
const CLI = path.join(ROOT, "exporter", "dist", "cli.js");
/** Same fixed end as bench/run.ts, so both benchmarks share one cached history. */
const HISTORY_END_MS = Date.parse("2026-11-20T12:00:00.000Z");
const TARGETS = { metricsP99Ms: 10, summaryP99Ms: 20, rssMb: 250 };
const FIRST_INGEST_TIMEOUT_MS = 15 * 60_000;
const SINGLE_CLIENT_SECONDS = 10;

/** The part of autocannon's result used here (the package ships no types). */
interface AutocannonResult {
  latency: { p50: number; p99: number; max: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: { url: string; connections: number; duration: number }) => Promise<AutocannonResult>;
const autocannon = require("autocannon") as Autocannon;

/**
 * The cached history (bench/run.ts's cache: same directory, options and manifest), generated
 * when absent. A directory that exists
 * without a matching manifest belongs to someone else's run in progress: never deleted here.
 */
function ensureHistory(sizeMb: number, seed: number): { dir: string; manifest: HistoryManifest } {
  const dir = path.join(DATA, `history-${sizeMb}mb-seed${seed}`);
  const opts = { dir, sizeMb, seed, endMs: HISTORY_END_MS };
  const cached = readMatchingManifest(opts);
  if (cached) return { dir, manifest: cached };
  if (fs.existsSync(dir)) {
    throw new Error(
      `${dir} exists without a matching ${MANIFEST_NAME}: let bench/run.ts finish (or remove it), then retry`,
    );
  }
  console.log(`generating a ${sizeMb} MB history in ${dir} ...`);
  return { dir, manifest: writeManifest(generateHistory(opts), opts) };
}

/** Current and peak RSS of a process in MB (Linux /proc; `ps` elsewhere, current only). */
function rssMb(pid: number): { currentMb: number; peakMb: number | null } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    return { currentMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
  } catch {
    const ps = spawnSync("ps", ["-o", "rss=", "-p", String(pid)], { encoding: "utf8" });
    return { currentMb: Number(ps.stdout.trim()) / 1024, peakMb: null };
  }
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  return res.json();
}

async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

interface Transcripts {
  lastSuccessMs: number | null;
}

/** Waits until the transcripts source has completed its first refresh (the cold ingest). */
async function waitForFirstIngest(baseUrl: string, child: ChildProcess, log: string[]): Promise<number> {
  const startedMs = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the exporter exited (${child.exitCode}):\n${log.join("")}`);
    try {
      const health = (await getJson(`${baseUrl}/healthz`)) as {
        sources: Array<Transcripts & { source: string }>;
      };
      const transcripts = health.sources.find((s) => s.source === "transcripts");
      if (transcripts?.lastSuccessMs) return Date.now() - startedMs;
    } catch {
      // not listening yet
    }
    if (Date.now() - startedMs > FIRST_INGEST_TIMEOUT_MS)
      throw new Error(`no first ingest after 15 min:\n${log.join("")}`);
    await sleep(250);
  }
}

/** Sum of a counter family's samples in a Prometheus text exposition. */
function sumSamples(exposition: string, name: string): number {
  let total = 0;
  for (const line of exposition.split("\n")) {
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `))
      total += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return total;
}

interface EndpointFigures {
  path: string;
  result: AutocannonResult;
  peakRssDuringMb: number;
}

/** autocannon on one path while sampling the exporter's RSS every 250 ms. */
async function load(baseUrl: string, urlPath: string, pid: number, connections: number, duration: number) {
  let peak = rssMb(pid).currentMb;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid).currentMb)), 250);
  try {
    const result = await autocannon({ url: `${baseUrl}${urlPath}`, connections, duration });
    return {
      path: urlPath,
      result,
      peakRssDuringMb: Math.max(peak, rssMb(pid).currentMb),
    } satisfies EndpointFigures;
  } finally {
    clearInterval(sampler);
  }
}

/** autocannon's latency percentiles have a resolution of 1 ms. */
const ms = (value: number): string => (value < 1 ? "< 1 ms" : `${Math.round(value)} ms`);
const yesNo = (ok: boolean): string => (ok ? "yes" : "**no**");

function renderSection(run: {
  startedIso: string;
  manifest: HistoryManifest;
  connections: number;
  duration: number;
  ingestMs: number;
  messagesCounted: number;
  idleRss: { currentMb: number; peakMb: number | null };
  endpoints: EndpointFigures[];
  singleClient: EndpointFigures[];
  finalPeakMb: number | null;
}): string {
  const [metrics, summary] = run.endpoints;
  const maxRssUnderLoad = Math.max(...run.endpoints.map((e) => e.peakRssDuringMb));
  const row = (e: EndpointFigures, target: number) =>
    `| \`${e.path}\` | ${ms(e.result.latency.p99)} | ${ms(e.result.latency.p50)} | ${Math.round(e.result.requests.average).toLocaleString("en-US")} | ` +
    `${e.result.requests.total.toLocaleString("en-US")} | ${e.result.non2xx + e.result.errors + e.result.timeouts} | < ${target} ms | ${yesNo(e.result.latency.p99 < target)} |`;
  return [
    "## Exporter under load (`npx tsx bench/exporter.ts`)",
    "",
    `Run: ${run.startedIso}. Machine: ${machineDescription()}. Shared machine (other engineers' jobs may run at the same time).`,
    "",
    `Data: generated history (seed ${run.manifest.seed}, ${run.manifest.sizeMb} MB target): ${run.manifest.files} transcript files, ` +
      `${(run.manifest.bytesWritten / 1e6).toFixed(0)} MB, ${run.manifest.events.toLocaleString("en-US")} deduplicated responses over ${run.manifest.days} days. ` +
      `\`node exporter/dist/cli.js serve\` on 127.0.0.1 with a fresh temp database; first ingest took ${(run.ingestMs / 1000).toFixed(1)} s ` +
      `and counted ${run.messagesCounted.toLocaleString("en-US")} messages (quotacast_messages_total). ` +
      `Load: autocannon, ${run.connections} connections, ${run.duration} s per endpoint, one endpoint after the other.`,
    "",
    "| endpoint | p99 | p50 | requests/s | requests | errors + non-2xx | p99 target | met |",
    "|---|---|---|---|---|---|---|---|",
    row(metrics, TARGETS.metricsP99Ms),
    row(summary, TARGETS.summaryP99Ms),
    "",
    `With ${run.connections} clients that each send the next request as soon as the previous answer arrives, a ` +
      `single-threaded server's latency is mostly queueing: mean latency = clients / throughput (Little's law), so a ` +
      `${TARGETS.metricsP99Ms} ms p99 at ${run.connections} connections needs well over ${Math.round((run.connections * 1000) / TARGETS.metricsP99Ms).toLocaleString("en-US")} requests/s. ` +
      `For reference, one client alone (${SINGLE_CLIENT_SECONDS} s per endpoint, after the runs above; ` +
      "the mean time per request is 1 / requests per second, finer than autocannon's 1 ms percentiles):",
    "",
    "| endpoint, one client | p99 | mean per request | requests/s |",
    "|---|---|---|---|",
    ...run.singleClient.map(
      (e) =>
        `| \`${e.path}\` | ${ms(e.result.latency.p99)} | ${(1000 / e.result.requests.average).toFixed(2)} ms | ` +
        `${Math.round(e.result.requests.average).toLocaleString("en-US")} |`,
    ),
    "",
    "| exporter RSS | MB | target | met |",
    "|---|---|---|---|",
    `| after the first ingest, idle | ${run.idleRss.currentMb.toFixed(0)} | < ${TARGETS.rssMb} | ${yesNo(run.idleRss.currentMb < TARGETS.rssMb)} |`,
    `| highest while under load (sampled every 250 ms) | ${maxRssUnderLoad.toFixed(0)} | < ${TARGETS.rssMb} | ${yesNo(maxRssUnderLoad < TARGETS.rssMb)} |`,
    ...(run.finalPeakMb !== null
      ? [
          `| peak over the whole run, cold ingest included (VmHWM) | ${run.finalPeakMb.toFixed(0)} | < ${TARGETS.rssMb} | ${yesNo(run.finalPeakMb < TARGETS.rssMb)} |`,
        ]
      : []),
  ].join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      "size-mb": { type: "string", default: "500" },
      seed: { type: "string", default: "1" },
      duration: { type: "string", default: "30" },
      connections: { type: "string", default: "50" },
      "no-write": { type: "boolean", default: false },
    },
  });
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} not found: run npm run build first`);
  const { dir, manifest } = ensureHistory(Number(values["size-mb"]), Number(values.seed));

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "quotacast-bench-exporter-"));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const log: string[] = [];
  const startedIso = new Date().toISOString();
  const child = spawn(
    process.execPath,
    [
      CLI,
      "serve",
      `--web.listen-address=127.0.0.1:${port}`,
      `--db.path=${path.join(tmp, "quotacast.db")}`,
      `--claude.config-dir=${dir}`,
      "--timezone=UTC",
    ],
    // An empty HOME: no real credentials or config dirs are found, whatever the machine has.
    { env: { PATH: process.env.PATH ?? "", HOME: tmp }, stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout?.on("data", (d: Buffer) => log.push(d.toString()));
  child.stderr?.on("data", (d: Buffer) => log.push(d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    const pid = child.pid as number;
    console.log(`exporter pid ${pid} on ${baseUrl}; waiting for the first ingest of ${dir} ...`);
    const ingestMs = await waitForFirstIngest(baseUrl, child, log);
    const exposition = await (await fetch(`${baseUrl}/metrics`)).text();
    const messagesCounted = sumSamples(exposition, "quotacast_messages_total");
    const idleRss = rssMb(pid);
    console.log(
      `first ingest: ${(ingestMs / 1000).toFixed(1)} s, ${messagesCounted} messages, RSS ${idleRss.currentMb.toFixed(0)} MB`,
    );

    const endpoints: EndpointFigures[] = [];
    for (const urlPath of ["/metrics", "/api/v1/summary"]) {
      const figures = await load(baseUrl, urlPath, pid, connections, duration);
      console.log(
        `${urlPath}: p99 ${ms(figures.result.latency.p99)}, ${Math.round(figures.result.requests.average)} req/s, ` +
          `peak RSS ${figures.peakRssDuringMb.toFixed(0)} MB`,
      );
      endpoints.push(figures);
    }
    // One client: the time a request takes when it does not queue behind 49 others.
    const singleClient: EndpointFigures[] = [];
    for (const urlPath of ["/metrics", "/api/v1/summary"]) {
      const figures = await load(baseUrl, urlPath, pid, 1, SINGLE_CLIENT_SECONDS);
      console.log(`${urlPath}, one client: p99 ${ms(figures.result.latency.p99)}`);
      singleClient.push(figures);
    }
    const section = renderSection({
      singleClient,
      startedIso,
      manifest,
      connections,
      duration,
      ingestMs,
      messagesCounted,
      idleRss,
      endpoints,
      finalPeakMb: rssMb(pid).peakMb,
    });
    console.log(`\n${section}\n`);
    if (!values["no-write"]) {
      writeResultsSection("exporter", section);
      console.log("written to bench/RESULTS.md");
    }
  } finally {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
