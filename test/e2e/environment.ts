/**
 * The end-to-end setting: a generated Claude history with past rate-limit readings, its
 * backfill loaded into a fresh Prometheus TSDB, the real exporter (exporter/dist/cli.js)
 * polling a fake Anthropic API, and a real Prometheus scraping it every second with the
 * repository's rules. Everything listens on 127.0.0.1, on free ports, in a temp dir.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { costUsd, type RateLimitSnapshot, type WindowReading } from "@quotacast/core";
import { openDatabase } from "../../exporter/src/db/open";
import { SqliteSnapshotHistory } from "../../exporter/src/db/snapshot-history";
import { adminUsageRecord, apiIso, modernUsageBody, profileBody } from "../fakes/anthropic-fixtures";
import { FakeAnthropicServer, type RecordedRequest } from "../fakes/anthropic-server";
import { type TruthEvent, generateHistory } from "../generators/transcripts";
import { REPO_ROOT } from "../prometheus/promql";
import { freePort } from "../support/free-port";
import { ruleFilePaths } from "../prometheus/rule-files";

export const EXPORTER_CLI = path.join(REPO_ROOT, "exporter", "dist", "cli.js");
export const SCRAPE_INTERVAL_SECONDS = 1;
const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

/** One counted response, as the test knows it: what the panels must add up. */
export interface TruthMessage {
  timestampMs: number;
  model: string;
  totalTokens: number;
  /** API-equivalent cost by the bundled price table; null for an unpriced model. */
  costUsd: number | null;
}

/** What the panels must show, known without the exporter or Prometheus. */
export interface Truth {
  /** Every counted response: the generated history's (deduplicated) and the live session's. */
  messages: TruthMessage[];
  /** Weekly windows that have reset, with the utilization they ended at. */
  weeklyFinals: Array<{ resetsAtMs: number; utilizationRatio: number }>;
  /** The five_hour utilization the fake OAuth API answers. */
  fiveHourUtilizationRatio: number;
  /** Month-to-date cost the fake Admin API has answered, per user and per model. */
  orgCostUsd(): { byUser: Map<string, number>; byModel: Map<string, number> };
}

export interface Environment {
  prometheusUrl: string;
  exporterUrl: string;
  /** The `instance` label of the exporter's series (scraped and backfilled alike). */
  instance: string;
  startedAtMs: number;
  truth: Truth;
  /** Output of the processes, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs` saying what it waited for. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const RECENT_USAGE = {
  input_tokens: 1200,
  output_tokens: 800,
  cache_creation_input_tokens: 5000,
  cache_read_input_tokens: 40000,
};
const RECENT_MODEL = "claude-sonnet-4-5-20250929";
const RECENT_MINUTES_AGO = [40, 25, 10];

/** A session of three responses in the last hour, so a 5-hour block is active now. */
function writeRecentSession(configDir: string, nowMs: number): TruthMessage[] {
  const sessionId = "e2e00000-0000-4000-8000-000000000001";
  const file = path.join(configDir, "projects", "-home-e2e-src-live", `${sessionId}.jsonl`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const lines = RECENT_MINUTES_AGO.map((minutesAgo, i) =>
    JSON.stringify({
      parentUuid: null,
      isSidechain: false,
      userType: "external",
      cwd: "/home/e2e/src/live",
      sessionId,
      version: "2.1.0",
      type: "assistant",
      uuid: `e2e-uuid-${i}`,
      timestamp: new Date(nowMs - minutesAgo * 60_000).toISOString(),
      requestId: `req_e2e_${i}`,
      message: {
        id: `msg_e2e_${i}`,
        type: "message",
        role: "assistant",
        model: RECENT_MODEL,
        content: [{ type: "text", text: "done" }],
        usage: RECENT_USAGE,
      },
    }),
  );
  // A line cut in the middle (a crash while writing), between valid ones: counted as skipped.
  lines.splice(
    1,
    0,
    '{"type":"assistant","message":{"model":"claude-sonnet-4-5-20250929","usage":{"input_tokens":',
  );
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
  const totalTokens = Object.values(RECENT_USAGE).reduce((a, b) => a + b, 0);
  const cost = costUsd({
    model: RECENT_MODEL,
    inputTokens: RECENT_USAGE.input_tokens,
    outputTokens: RECENT_USAGE.output_tokens,
    cacheCreationTokens: RECENT_USAGE.cache_creation_input_tokens,
    cacheCreation1hTokens: 0,
    cacheReadTokens: RECENT_USAGE.cache_read_input_tokens,
    speed: "standard",
  });
  return RECENT_MINUTES_AGO.map((minutesAgo) => ({
    timestampMs: nowMs - minutesAgo * 60_000,
    model: RECENT_MODEL,
    totalTokens,
    costUsd: cost,
  }));
}

/**
 * Readings of completed windows, as the exporter would have stored them: a five_hour window
 * around each of the last days with messages (utilization growing with each message), and
 * three weekly windows. They give the forecast its history and the learned limit its data.
 */
function pastReadings(events: readonly TruthEvent[], nowMs: number): WindowReading[] {
  const readings: WindowReading[] = [];
  const reading = (
    window: string,
    utilizationRatio: number,
    observedAtMs: number,
    resetsAtMs: number,
    lengthMs: number,
  ) =>
    readings.push({
      window,
      utilizationRatio,
      observedAtMs,
      resetsAtMs,
      windowLengthMs: lengthMs,
      status: "allowed",
      source: "oauth",
    });
  const byDay = new Map<number, TruthEvent[]>();
  for (const event of events) {
    if (event.timestampMs > nowMs - 6 * HOUR_MS) continue;
    const day = Math.floor(event.timestampMs / DAY_MS);
    byDay.set(day, [...(byDay.get(day) ?? []), event]);
  }
  for (const dayEvents of byDay.values()) {
    const sorted = dayEvents.sort((a, b) => a.timestampMs - b.timestampMs);
    const startMs = sorted[0].timestampMs - 60_000;
    const resetsAtMs = startMs + 5 * HOUR_MS;
    reading("five_hour", 0.01, startMs, resetsAtMs, 5 * HOUR_MS);
    sorted
      .filter((e) => e.timestampMs < resetsAtMs)
      .forEach((e, i) =>
        reading("five_hour", Math.min(1, 0.05 * (i + 1)), e.timestampMs + 1000, resetsAtMs, 5 * HOUR_MS),
      );
  }
  for (const { resetsAtMs, utilizationRatio: finalRatio } of weeklyFinals(nowMs)) {
    for (let step = 0; step < 28; step++) {
      const observedAtMs = resetsAtMs - 7 * DAY_MS + (step + 1) * 6 * HOUR_MS;
      reading("seven_day", (finalRatio * (step + 1)) / 28, observedAtMs, resetsAtMs, 7 * DAY_MS);
    }
  }
  return readings;
}

/** Three weekly windows that reset 2, 9 and 16 days ago at 60%, 70% and 80%. */
function weeklyFinals(nowMs: number): Truth["weeklyFinals"] {
  return [1, 2, 3].map((week) => ({
    resetsAtMs: nowMs - (week - 1) * 7 * DAY_MS - 2 * DAY_MS,
    utilizationRatio: 0.5 + 0.1 * week,
  }));
}

async function seedDatabase(dbPath: string, readings: WindowReading[]): Promise<void> {
  const db = openDatabase(dbPath);
  try {
    const history = new SqliteSnapshotHistory(db);
    for (const r of readings) {
      const snapshot: RateLimitSnapshot = { observedAtMs: r.observedAtMs, source: r.source, windows: [r] };
      await history.append(snapshot);
    }
  } finally {
    db.close();
  }
}

const FIVE_HOUR_UTILIZATION_PERCENT = 93.5;
/** Each member's Claude Code day in the fake Admin API: user, model, cost in cents. */
const ORG_DAY: Array<[string, string, number]> = [
  ["alice@example.com", "claude-opus-4-5", 1200],
  ["bob@example.com", "claude-sonnet-4-5", 300],
];

/** The fake API, and the days of the current month its Admin usage report has answered. */
async function startFakeAnthropic(): Promise<{ server: FakeAnthropicServer; orgDays: Set<string> }> {
  const server = await FakeAnthropicServer.start();
  const orgDays = new Set<string>();
  // The modern response shape, with the 5-hour window past the critical threshold.
  server.on("/api/oauth/usage", () => {
    const nowMs = Date.now();
    return {
      body: {
        ...modernUsageBody(nowMs),
        five_hour: { utilization: FIVE_HOUR_UTILIZATION_PERCENT, resets_at: apiIso(nowMs + 2 * HOUR_MS) },
      },
    };
  });
  server.on("/api/oauth/profile", { body: profileBody() });
  server.on("/v1/organizations/usage_report/claude_code", (request: RecordedRequest) => {
    const date = request.query.starting_at;
    orgDays.add(date);
    return {
      body: {
        data: ORG_DAY.map(([email, model, cents]) => adminUsageRecord(date, email, model, cents)),
        has_more: false,
        next_page: null,
      },
    };
  });
  server.on("/v1/organizations/cost_report", { body: { data: [], has_more: false, next_page: null } });
  return { server, orgDays };
}

/** What the fake Admin API answered for the current UTC month, summed per user and per model. */
function orgCostUsd(orgDays: ReadonlySet<string>): ReturnType<Truth["orgCostUsd"]> {
  const month = new Date().toISOString().slice(0, 7);
  const days = [...orgDays].filter((d) => d.startsWith(month)).length;
  const byUser = new Map<string, number>();
  const byModel = new Map<string, number>();
  for (const [email, model, cents] of ORG_DAY) {
    byUser.set(email, (byUser.get(email) ?? 0) + (days * cents) / 100);
    byModel.set(model, (byModel.get(model) ?? 0) + (days * cents) / 100);
  }
  return { byUser, byModel };
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): string {
  const result = spawnSync(command, args, { env, encoding: "utf8", timeout: 120_000 });
  if (result.status !== 0) {
    throw new Error(
      `${path.basename(command)} ${args.join(" ")} failed (${String(result.status)}): ${result.stderr}${result.stdout}`,
    );
  }
  return `${result.stdout}${result.stderr}`;
}

class LoggedProcess {
  private output = "";
  private exited: Promise<void>;
  readonly child: ChildProcess;

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv,
  ) {
    this.child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString("utf8")).slice(-20_000);
    };
    this.child.stdout?.on("data", keep);
    this.child.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => this.child.once("exit", () => resolve()));
  }

  get log(): string {
    return `--- ${this.name} (exit ${String(this.child.exitCode)}) ---\n${this.output}`;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM, then SIGKILL if the process has not exited 10 s later. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}

export async function startEnvironment(opts: { prometheus: string; promtool: string }): Promise<Environment> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "quotacast-e2e-"));
  const configDir = path.join(tmp, "claude");
  const dbPath = path.join(tmp, "state", "quotacast.db");
  const tsdbPath = path.join(tmp, "prometheus");
  const nowMs = Date.now();
  const exporterPort = await freePort();
  const instance = `127.0.0.1:${exporterPort}`;
  const processes: LoggedProcess[] = [];
  let server: FakeAnthropicServer | null = null;

  const stop = async () => {
    for (const p of processes.reverse()) await p.stop();
    if (server) await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  };

  try {
    const history = generateHistory({
      dir: configDir,
      sizeMb: 2,
      seed: 20261122,
      endMs: nowMs - 4 * HOUR_MS,
      days: 28,
    });
    const recent = writeRecentSession(configDir, nowMs);
    // The exporter reads the OAuth token from Claude Code's credentials file (never a real one here).
    fs.writeFileSync(
      path.join(configDir, ".credentials.json"),
      JSON.stringify({
        claudeAiOauth: {
          accessToken: "sk-ant-oat01-e2e-fake",
          refreshToken: "sk-ant-ort01-e2e-fake",
          expiresAt: nowMs + DAY_MS,
          scopes: ["user:inference", "user:profile"],
          subscriptionType: "max",
          rateLimitTier: "default_claude_max_5x",
        },
      }),
      { mode: 0o600 },
    );
    await seedDatabase(dbPath, pastReadings(history.events, nowMs));

    // Only the temp dir: never the real ~/.claude or ~/.local/share/quotacast.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: tmp,
      TZ: "UTC",
      CLAUDE_CONFIG_DIR: configDir,
      QUOTACAST_STATUSLINE_FILE: path.join(tmp, "statusline.json"),
      ANTHROPIC_ADMIN_KEY: "sk-ant-admin01-e2e-fake",
    };
    const shared = ["--db.path", dbPath, "--claude.config-dir", configDir, "--timezone", "UTC"];

    const openMetrics = path.join(tmp, "history.om");
    // The default step (5 min, Prometheus's lookback) as a user would run it; weekly blocks
    // because 2-hour ones (promtool's default) take ten times as long to write.
    // Until now, as docs/backfill.md says when scraping begins right after: the default
    // (3 hours ago) would leave the last hours to the first scrape, which has them only as
    // one jump in the counters.
    const backfillArgs = [
      "backfill",
      ...shared,
      "--until",
      new Date(nowMs).toISOString(),
      "--label",
      "job=quotacast",
      "--label",
      `instance=${instance}`,
    ];
    run(process.execPath, [EXPORTER_CLI, ...backfillArgs, "--output", openMetrics], env);
    run(
      opts.promtool,
      ["tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=168h", openMetrics, tsdbPath],
      env,
    );

    const fake = await startFakeAnthropic();
    server = fake.server;
    const exporter = new LoggedProcess(
      "exporter",
      process.execPath,
      [
        EXPORTER_CLI,
        "serve",
        "--web.listen-address",
        instance,
        ...shared,
        "--sources.oauth",
        "--sources.admin",
        "--anthropic.base-url",
        server.baseUrl,
        "--metrics.projects=5",
        "--transcripts.watch=false",
      ],
      env,
    );
    processes.push(exporter);
    const exporterUrl = `http://${instance}`;
    await waitFor(
      "the exporter's first transcript read",
      async () => {
        if (!exporter.running) throw new Error(exporter.log);
        const text = await (await fetch(`${exporterUrl}/metrics`)).text();
        return /^quotacast_cost_usd_total\{/m.test(text) ? true : undefined;
      },
      60_000,
    );

    const prometheusPort = await freePort();
    const configPath = path.join(tmp, "prometheus.yml");
    fs.writeFileSync(
      configPath,
      [
        "global:",
        `  scrape_interval: ${SCRAPE_INTERVAL_SECONDS}s`,
        `  evaluation_interval: ${SCRAPE_INTERVAL_SECONDS}s`,
        "rule_files:",
        ...ruleFilePaths().map((file) => `  - ${JSON.stringify(file)}`),
        "scrape_configs:",
        "  - job_name: quotacast",
        "    static_configs:",
        `      - targets: [${JSON.stringify(instance)}]`,
        "",
      ].join("\n"),
    );
    const prometheus = new LoggedProcess(
      "prometheus",
      opts.prometheus,
      [
        `--config.file=${configPath}`,
        `--storage.tsdb.path=${tsdbPath}`,
        "--storage.tsdb.retention.time=400d",
        `--web.listen-address=127.0.0.1:${prometheusPort}`,
      ],
      env,
    );
    processes.push(prometheus);
    const prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
    await waitFor(
      "Prometheus to be ready",
      async () => {
        if (!prometheus.running) throw new Error(prometheus.log);
        return (await fetch(`${prometheusUrl}/-/ready`)).ok ? true : undefined;
      },
      60_000,
    );
    return {
      prometheusUrl,
      exporterUrl,
      instance,
      startedAtMs: nowMs,
      truth: {
        messages: [
          ...history.events.map((e) => ({
            timestampMs: e.timestampMs,
            model: e.model,
            totalTokens: e.inputTokens + e.outputTokens + e.cacheCreationTokens + e.cacheReadTokens,
            costUsd: costUsd(e),
          })),
          ...recent,
        ],
        weeklyFinals: weeklyFinals(nowMs),
        fiveHourUtilizationRatio: FIVE_HOUR_UTILIZATION_PERCENT / 100,
        orgCostUsd: () => orgCostUsd(fake.orgDays),
      },
      logs: () => processes.map((p) => p.log).join("\n"),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
