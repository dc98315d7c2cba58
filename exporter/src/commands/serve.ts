/**
 * `quotacast serve`: the Prometheus exporter and JSON API. Jobs (node-cron) refresh an
 * in-memory state; HTTP handlers only read it. State lives in SQLite, so counters continue
 * across restarts and a deleted transcript changes nothing.
 */
import * as path from "node:path";
import { TRANSCRIPTS_SOURCE, type PollContext } from "@quotacast/core";
import { ADMIN_SOURCE } from "@quotacast/core/limits/sources/admin";
import { ConfigError, parseServeArgs, serveUsage, type ServeConfig } from "../config";
import { DatabaseError, defaultDbPath } from "../db/open";
import { createApp } from "../http/app";
import { listen, type RunningServer } from "../http/server";
import { basicAuth, loadWebConfig, WebConfigError } from "../http/web-config";
import { createMetricsRegistry } from "../metrics/registry";
import { longestCronGapMs, Scheduler } from "../schedule";
import { createLogger, type Logger } from "../state/log";
import { ExporterRuntime } from "../state/runtime";
import { watchTree, type TreeWatch } from "../state/watch-tree";
import { VERSION } from "../version";

/** Rate-limit sources are checked every second; each says when it may be polled next. */
const SOURCES_TICK = "* * * * * *";
const WATCH_DEBOUNCE_MS = 1000;

export interface StartOptions {
  log?: Logger;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  pollContext?: PollContext;
  /** Overrides `--ingest.commit-every`. */
  commitEveryEvents?: number;
  /** No schedules, watches or first runs: the caller runs the jobs itself (tests). */
  manual?: boolean;
}

export interface RunningExporter {
  url: string;
  runtime: ExporterRuntime;
  /** Stops schedules, finishes the write in progress, closes HTTP and the database. */
  stop(): Promise<void>;
}

export async function startExporter(config: ServeConfig, opts: StartOptions = {}): Promise<RunningExporter> {
  const log = opts.log ?? createLogger();
  const env = opts.env ?? process.env;
  // Read before the database opens: a bad web config must not leave anything behind.
  const webConfig = config.webConfigFile ? loadWebConfig(config.webConfigFile) : null;
  const dbPath = config.dbPath ?? defaultDbPath(env, opts.homeDir);
  const runtime = new ExporterRuntime({
    dbPath,
    claudeConfigDirs: config.claudeConfigDirs,
    timezone: config.timezone,
    sources: config.sources,
    anthropicBaseUrl: config.anthropicBaseUrl,
    retentionDays: config.retentionDays,
    commitEveryEvents: opts.commitEveryEvents ?? config.ingestCommitEvery,
    env,
    log,
    ...(opts.homeDir ? { homeDir: opts.homeDir } : {}),
    ...(opts.pollContext ? { pollContext: opts.pollContext } : {}),
  });
  let server: RunningServer;
  try {
    // Before listening (tens of ms of cron arithmetic): a first scrape does not wait for it.
    for (const [source, ms] of pollIntervalsMs(runtime, config))
      runtime.state.pollIntervalsMs.set(source, ms);
    await runtime.loadLearned();
    await runtime.summarize();
    const registry = createMetricsRegistry(runtime.state, {
      projects: config.metricsProjects,
      processMetrics: config.processMetrics,
    });
    server = await listen(
      createApp(runtime.state, registry, basicAuth(webConfig), log),
      config.listenAddress,
      webConfig,
    );
  } catch (err) {
    await runtime.close();
    throw err;
  }

  const scheduler = new Scheduler(config.timezone, log);
  const manual = opts.manual === true;
  if (!manual) {
    scheduler.add(config.transcriptsSchedule, runtime.transcriptsJob);
    scheduler.add(SOURCES_TICK, runtime.sourcesJob);
    scheduler.add(config.adminSchedule, runtime.adminJob);
    scheduler.add(config.pruneSchedule, runtime.pruneJob);
    scheduler.add(config.refitSchedule, runtime.refitJob);
  }
  const watchers = config.watch && !manual ? watchTranscripts(runtime, log) : [];
  log("info", "quotacast serve started", {
    version: VERSION,
    url: server.url,
    db: dbPath,
    config_dirs: runtime.configDirs.join(","),
    sources: runtime.enabledSources.join(","),
    timezone: config.timezone,
  });
  if (!manual) {
    // First reads right away, not at the first cron tick.
    void runtime.transcriptsJob.run();
    void runtime.sourcesJob.run();
    void runtime.adminJob.run();
    void runtime.refitJob.run();
  }

  let stopping: Promise<void> | null = null;
  return {
    url: server.url,
    runtime,
    stop() {
      stopping ??= (async () => {
        for (const watcher of watchers) watcher.close();
        await scheduler.stop([]);
        await server.close();
        await runtime.close();
        log("info", "quotacast serve stopped");
      })();
      return stopping;
    },
  };
}

/**
 * How long each source may normally go between polls: the transcripts their cron schedule;
 * a rate-limit source its own interval, or the cron schedule that polls it when that is
 * longer (the Admin API: hourly). What `quotacast_source_poll_interval_seconds` publishes.
 */
export function pollIntervalsMs(runtime: ExporterRuntime, config: ServeConfig): Map<string, number> {
  const gap = (expression: string) => longestCronGapMs(expression, config.timezone);
  const intervals = new Map([[TRANSCRIPTS_SOURCE, gap(config.transcriptsSchedule)]]);
  for (const [source, ms] of runtime.sourceIntervalsMs()) {
    intervals.set(source, Math.max(ms, gap(source === ADMIN_SOURCE ? config.adminSchedule : SOURCES_TICK)));
  }
  return intervals;
}

/** Refresh soon after a transcript changes (one directory watch each, set up without blocking). */
function watchTranscripts(runtime: ExporterRuntime, log: Logger): TreeWatch[] {
  const watchers: TreeWatch[] = [];
  let timer: NodeJS.Timeout | null = null;
  const onChange = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void runtime.transcriptsJob.run();
    }, WATCH_DEBOUNCE_MS);
    timer.unref();
  };
  for (const configDir of runtime.configDirs) {
    const dir = path.join(configDir, "projects");
    try {
      watchers.push(
        watchTree(dir, onChange, (err) =>
          log("warn", "transcript watch stopped; the schedule still refreshes", { dir, error: err.message }),
        ),
      );
    } catch {
      // Missing dir or no watch on this platform: the schedule covers it.
    }
  }
  return watchers;
}

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseServeArgs(argv);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`quotacast serve: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (parsed.help) {
    process.stdout.write(serveUsage());
    return 0;
  }
  const log = createLogger();
  // Listen for signals before starting, so a SIGTERM during startup still shuts down cleanly.
  let signalled: NodeJS.Signals | null = null;
  let wake: (() => void) | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    signalled ??= signal;
    wake?.();
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  let exporter: RunningExporter;
  try {
    exporter = await startExporter(parsed.config, { log });
  } catch (err) {
    process.off("SIGTERM", onSignal);
    process.off("SIGINT", onSignal);
    if (err instanceof DatabaseError) {
      log("error", err.message, { problem: err.problem, db: err.dbPath });
      return 1;
    }
    if (err instanceof WebConfigError) {
      log("error", err.message);
      return 1;
    }
    log("error", "cannot start", { error: err instanceof Error ? err.message : String(err) });
    return 1;
  }
  if (signalled === null) {
    await new Promise<void>((resolve) => {
      wake = resolve;
    });
  }
  log("info", "shutting down", { signal: signalled ?? "" });
  process.off("SIGTERM", onSignal);
  process.off("SIGINT", onSignal);
  await exporter.stop();
  // A source request still waiting on Anthropic must not hold the exit past its own timeout.
  setTimeout(() => process.exit(0), 2000).unref();
  return 0;
}
