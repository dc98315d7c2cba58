/** promtool and a real Prometheus on loopback, for the backfill's end-to-end tests. */
import { execFile, spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { freePort } from "../../support/free-port";

const run = promisify(execFile);

/** Why the Prometheus tools cannot be used here, or null when both are on PATH. */
export function prometheusToolsMissing(): string | null {
  for (const tool of ["promtool", "prometheus"]) {
    const probe = spawnSync(tool, ["--version"], { stdio: "ignore" });
    if (probe.error || probe.status !== 0) {
      return `${tool} is not on PATH: install Debian's prometheus package (apt-get install -y prometheus) to run this test`;
    }
  }
  return null;
}

/** `promtool tsdb create-blocks-from openmetrics FILE DIR`; rejects with promtool's output on failure. */
export async function createBlocks(openMetricsFile: string, dataDir: string): Promise<string> {
  const { stdout, stderr } = await run("promtool", [
    "tsdb",
    "create-blocks-from",
    "openmetrics",
    openMetricsFile,
    dataDir,
  ]);
  return stdout + stderr;
}

export interface RunningPrometheus {
  baseUrl: string;
  /** Instant query at `atMs`; returns the vector's samples. */
  query(expr: string, atMs: number): Promise<Array<{ metric: Record<string, string>; value: number }>>;
  stop(): Promise<void>;
}

/** Starts Prometheus on a loopback port over `dataDir` (which holds the created blocks) and waits until ready. */
export async function startPrometheus(dataDir: string, workDir: string): Promise<RunningPrometheus> {
  const configFile = path.join(workDir, "prometheus.yml");
  fs.writeFileSync(configFile, "global:\n  scrape_interval: 1m\n");
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const log: string[] = [];
  const child: ChildProcess = spawn(
    "prometheus",
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${dataDir}`,
      "--storage.tsdb.retention.time=100y",
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout?.on("data", (d: Buffer) => log.push(d.toString()));
  child.stderr?.on("data", (d: Buffer) => log.push(d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
  };

  // Wait for readiness (loading blocks takes a moment); give up after 60 s.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited:\n${log.join("")}`);
    try {
      const res = await fetch(`${baseUrl}/-/ready`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus not ready after 60 s:\n${log.join("")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  const query: RunningPrometheus["query"] = async (expr, atMs) => {
    const url = `${baseUrl}/api/v1/query?query=${encodeURIComponent(expr)}&time=${atMs / 1000}`;
    const body = (await (await fetch(url)).json()) as {
      status: string;
      error?: string;
      data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
    };
    if (body.status !== "success") throw new Error(`query ${expr} failed: ${body.error}`);
    return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  };
  return { baseUrl, query, stop };
}
