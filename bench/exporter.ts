/**
 * `npm run bench:exporter`: the exporter as users run it (`quotacast serve`, the bundled
 * CLI, a temp database, a loopback port) on the real-shaped ~500 MB history of the cli
 * section. Measures the first ingest and every `/metrics` scrape during it (one scraper,
 * back to back with a 20 ms pause), then wrk (a separate process, not an in-process load
 * generator) with 50 connections for 30 s, after 5 s not reported, on `/metrics`, `/api/v1/summary` and
 * `/api/v1/daily`, one after the other, with the exporter's RSS, and the same wrk on a bare
 * node:http server answering `/metrics`'s bytes (what the machine allows). Writes the
 * `exporter` section of bench/RESULTS.md.
 *
 *   npx tsx bench/exporter.ts [--size-mb 500] [--seed 1] [--duration 30] [--connections 50]
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { freePort } from "../test/support/free-port";
import { builtCli, ensureRealHistory, fmtMs, log, realHistoryOptions } from "./real-history";
import { HISTORY_ARGS, loadAverages, machineDescription, median, writeResultsSection } from "./results";

const TARGETS = {
  scrapeDuringIngestMs: 100,
  p99Ms: { "/metrics": 5, "/api/v1/summary": 5, "/api/v1/daily": 20 },
};
const ENDPOINTS = ["/metrics", "/api/v1/summary", "/api/v1/daily"] as const;
const FIRST_INGEST_TIMEOUT_MS = 15 * 60_000;

interface WrkFigures {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  requestsPerSecond: number;
  errors: string | null;
  peakRssMb: number;
}

function rssMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN) / 1024;
  } catch {
    return NaN;
  }
}

function peakRssMb(pid: number): number {
  try {
    return (
      Number(/^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) / 1024
    );
  } catch {
    return NaN;
  }
}

/** wrk's `--latency` durations: `812.00us`, `1.23ms`, `1.02s`. */
function wrkMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!match) return NaN;
  const value = Number(match[1]);
  return { us: value / 1000, ms: value, s: value * 1000, m: value * 60_000 }[
    match[2] as "us" | "ms" | "s" | "m"
  ];
}

/** Seconds of wrk on a URL before the measured run, not reported: V8 compiles the request path meanwhile. */
const WARM_UP_SECONDS = 5;

/** The measured wrk run on `url`, after a warm-up run on it. */
async function measureWrk(
  url: string,
  pid: number,
  connections: number,
  duration: number,
): Promise<WrkFigures> {
  await runWrk(url, pid, connections, WARM_UP_SECONDS);
  return runWrk(url, pid, connections, duration);
}

async function runWrk(url: string, pid: number, connections: number, duration: number): Promise<WrkFigures> {
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 250);
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn("wrk", ["-t2", `-c${connections}`, `-d${duration}s`, "--latency", url], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let text = "";
    child.stdout.on("data", (d: Buffer) => (text += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}: ${text}`)),
    );
  });
  clearInterval(sampler);
  const percentile = (p: string) => wrkMs(new RegExp(`^\\s+${p}%\\s+(\\S+)`, "m").exec(out)?.[1] ?? "");
  const errors = /Socket errors:.*|Non-2xx or 3xx responses:.*/.exec(out)?.[0] ?? null;
  return {
    p50Ms: percentile("50"),
    p99Ms: percentile("99"),
    maxMs: wrkMs(/^\s+Latency\s+\S+\s+\S+\s+(\S+)/m.exec(out)?.[1] ?? ""),
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
    errors,
    peakRssMb: peak,
  };
}

/**
 * The machine's own bound for `/metrics` under wrk: a bare node:http server (no exporter, no
 * routing, no state) answering every request with the same bytes and headers, run right after
 * the exporter's `/metrics`. Latency here shifts a lot with the VM's load from minute to minute;
 * the exporter's figures read against this one.
 */
async function bareServerReference(
  baseUrl: string,
  tmp: string,
  connections: number,
  duration: number,
): Promise<WrkFigures> {
  const response = await fetch(`${baseUrl}/metrics`);
  const bodyFile = path.join(tmp, "metrics-body");
  fs.writeFileSync(bodyFile, Buffer.from(await response.arrayBuffer()));
  const headers = [
    "Content-Type",
    response.headers.get("content-type") ?? "text/plain",
    "Vary",
    "Accept-Encoding",
  ];
  const port = await freePort();
  const script =
    `const body = require("node:fs").readFileSync(${JSON.stringify(bodyFile)});` +
    `const headers = ${JSON.stringify(headers)}.concat(["Content-Length", String(body.length)]);` +
    `require("node:http").createServer((req, res) => { res.writeHead(200, headers); res.end(body); })` +
    `.listen(${port}, "127.0.0.1");`;
  // The exporter's own V8 flags (the bin's shebang), so only the server code differs.
  const child = spawn(process.execPath, ["--max-semi-space-size=2", "-e", script], { stdio: "ignore" });
  try {
    for (let i = 0; ; i++) {
      try {
        await fetch(`http://127.0.0.1:${port}/`);
        break;
      } catch {
        if (i > 100) throw new Error("the reference server did not start");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    return await measureWrk(`http://127.0.0.1:${port}/metrics`, child.pid as number, connections, duration);
  } finally {
    child.kill("SIGTERM");
  }
}

interface IngestFigures {
  ingestMs: number;
  scrapesMs: number[];
}

/** Scrapes /metrics back to back until the transcripts source reports its first success. */
async function firstIngest(
  baseUrl: string,
  exited: () => boolean,
  startedMs: number,
): Promise<IngestFigures> {
  const scrapesMs: number[] = [];
  for (let i = 0; ; i++) {
    if (exited()) throw new Error("the exporter exited during the first ingest");
    const t0 = performance.now();
    let answered = false;
    try {
      await (await fetch(`${baseUrl}/metrics`)).text();
      answered = true;
    } catch {
      // not listening yet
    }
    if (answered) {
      scrapesMs.push(performance.now() - t0);
      if (i % 5 === 0) {
        const health = (await (await fetch(`${baseUrl}/healthz`)).json()) as {
          sources: { source: string; lastSuccessMs: number | null }[];
        };
        if (health.sources.find((s) => s.source === "transcripts")?.lastSuccessMs)
          return { ingestMs: performance.now() - startedMs, scrapesMs };
      }
    }
    if (performance.now() - startedMs > FIRST_INGEST_TIMEOUT_MS)
      throw new Error("no first ingest after 15 min");
    await new Promise((resolve) => setTimeout(resolve, answered ? 20 : 50));
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ...HISTORY_ARGS,
      duration: { type: "string", default: "30" },
      connections: { type: "string", default: "50" },
    },
  });
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  if (spawnSync("wrk", ["--version"]).error) throw new Error("wrk not found (apt-get install wrk)");
  const opts = realHistoryOptions(Number(values["size-mb"]), Number(values.seed));
  const { manifest } = ensureRealHistory(opts);
  const cli = builtCli();

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "qc-bench-exporter-"));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const startedMs = performance.now();
  const child = spawn(
    cli,
    [
      "serve",
      `--web.listen-address=127.0.0.1:${port}`,
      `--db.path=${path.join(tmp, "quotacast.db")}`,
      `--claude.config-dir=${opts.dir}`,
      "--timezone=UTC",
    ],
    {
      // An empty HOME: no real credentials or config dirs are found, whatever the machine has.
      env: { PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}`, HOME: tmp },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    const pid = child.pid as number;
    log(`exporter pid ${pid} on ${baseUrl}; first ingest of ${opts.dir} ...`);
    const ingest = await firstIngest(baseUrl, () => child.exitCode !== null, startedMs).catch(
      (err: Error) => {
        throw new Error(`${err.message}\n${stderr}`);
      },
    );
    const idleRss = rssMb(pid);
    log(
      `first ingest ${fmtMs(ingest.ingestMs)}, ${ingest.scrapesMs.length} scrapes, max ${fmtMs(Math.max(...ingest.scrapesMs))}`,
    );
    const load: Record<string, WrkFigures> = {};
    let reference: WrkFigures | null = null;
    for (const endpoint of ENDPOINTS) {
      log(`wrk ${endpoint}`);
      load[endpoint] = await measureWrk(`${baseUrl}${endpoint}`, pid, connections, duration);
      if (endpoint === "/metrics") {
        log("wrk on a bare node:http server with the same /metrics bytes (reference)");
        reference = await bareServerReference(baseUrl, tmp, connections, duration);
      }
    }
    const section = renderSection({
      manifest,
      ingest,
      idleRss,
      load,
      reference,
      connections,
      duration,
      peakMb: peakRssMb(pid),
    });
    writeResultsSection("exporter", section);
    process.stdout.write(section + "\n");
  } finally {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function renderSection(run: {
  manifest: { files: number; bytesWritten: number; events: number };
  ingest: IngestFigures;
  idleRss: number;
  load: Record<string, WrkFigures>;
  reference: WrkFigures | null;
  connections: number;
  duration: number;
  peakMb: number;
}): string {
  const ok = (pass: boolean) => (pass ? "yes" : "**no**");
  const scrapes = run.ingest.scrapesMs;
  const maxScrape = Math.max(...scrapes);
  const sorted = [...scrapes].sort((a, b) => a - b);
  const lines = [
    "## Exporter (`npm run bench:exporter`)",
    "",
    `Run: ${new Date().toISOString()}. Machine: ${machineDescription()}. Load average at the end: ` +
      `${loadAverages()} (2 cores shared with other jobs, and wrk's own two ` +
      "threads compete with the exporter for them: latencies are upper bounds).",
    "",
    `Data: the real-shaped history of the cli section (${run.manifest.files} files, ` +
      `${(run.manifest.bytesWritten / 1e6).toFixed(0)} MB, ${run.manifest.events} messages). \`quotacast serve\` ` +
      "(the bundled CLI, executed as the installed bin) with an empty database. During the first ingest one client " +
      "scrapes `/metrics` back to back (20 ms apart); after it, `wrk -t2 " +
      `-c${run.connections} -d${run.duration}s --latency\` on each endpoint in turn, each after ${WARM_UP_SECONDS} s of the same wrk ` +
      "not reported (a warm-up: the first seconds of a Node server under load run its request path unoptimized).",
    "",
    "| measure | value | target | met |",
    "|---|---|---|---|",
    `| first ingest (spawn to the transcripts source's first success) | ${fmtMs(run.ingest.ingestMs)} | | |`,
    `| \`/metrics\` scrapes during the first ingest: count / median / p99 / max | ${scrapes.length} / ${fmtMs(median(scrapes))} / ${fmtMs(sorted[Math.floor(0.99 * (sorted.length - 1))])} / ${fmtMs(maxScrape)} | max <= ${TARGETS.scrapeDuringIngestMs} ms | ${ok(maxScrape <= TARGETS.scrapeDuringIngestMs)} |`,
  ];
  const figures = (f: WrkFigures) =>
    `${f.p50Ms.toFixed(2)} / ${f.p99Ms.toFixed(2)} / ${f.maxMs.toFixed(1)} ms, ${Math.round(f.requestsPerSecond).toLocaleString("en-US")}/s${f.errors ? ` (${f.errors})` : ""}`;
  for (const endpoint of ENDPOINTS) {
    const f = run.load[endpoint];
    const target = TARGETS.p99Ms[endpoint];
    lines.push(
      `| \`${endpoint}\`, wrk ${run.connections} connections: p50 / p99 / max, req/s | ${figures(f)} | p99 <= ${target} ms | ${ok(f.p99Ms <= target)} |`,
    );
    if (endpoint === "/metrics" && run.reference)
      lines.push(
        `| reference, right after: a bare \`node:http\` server (no exporter) answering the same \`/metrics\` bytes, same wrk | ${figures(run.reference)} | | |`,
      );
  }
  lines.push(
    `| exporter RSS: after the first ingest / peak under wrk / peak of the run | ${run.idleRss.toFixed(0)} / ${Math.max(...ENDPOINTS.map((e) => run.load[e].peakRssMb)).toFixed(0)} / ${run.peakMb.toFixed(0)} MB | | |`,
  );
  return lines.join("\n");
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
