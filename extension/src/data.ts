/**
 * Where the extension's Summary comes from: built locally through core (transcripts via
 * `UsageLedger`, rate limits from the statusline feed), or fetched from a quotacast
 * exporter (`GET <url>/api/v1/summary`), which then does all the work.
 *
 * No Raycast import here: the caller passes paths, a cache and a clock, so the benchmark
 * and the tests run this under plain node. Never reads the Keychain and never polls the
 * OAuth endpoint (only an exporter may).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { dayKey } from "../vendor/core/usage";
import {
  UsageLedger,
  candidateConfigDirs,
  claudeConfigDirs,
  type Diagnostics,
  type UsageChange,
} from "../vendor/core/ingest";
import { systemTimeZone, type FilePort, type HttpPort, type StatePort } from "../vendor/core/io";
import { writeFileAtomic } from "../vendor/core/statusline/atomic-write";
import { declareLocalTimeZone } from "../vendor/core/time";
import {
  FileSnapshotHistory,
  pollAll,
  type LimitSource,
  type PollContext,
  type RateLimitSnapshot,
  type SourceStatus,
} from "../vendor/core/limits";
import { statuslineFeedPath, statuslineSource } from "../vendor/core/limits/sources/statusline";
import { parseStatuslineFeed, type StatuslineFeed } from "../vendor/core/limits/statusline-feed";
import { headerFileSource } from "../vendor/core/limits/sources/header-file";
import { bundledPriceTable, type PriceTable } from "../vendor/core/pricing";
import { collectSummary, type Summary } from "../vendor/core/report";
import { FileLedgerStore } from "./ledger-store";
import { IDLE_SWEEP_EVERY_MS, IdleFiles } from "./idle-files";
import { clearKnown, KnownFiles, ledgerIdentity, saveKnown, watchedFiles } from "./quiet-files";
import { KeptUsage } from "./kept-usage";
import { localFiles, readTextSync } from "./local-files";

/** A synchronous string cache; Raycast's `Cache` has exactly this shape. */
export interface TextCache {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

export type Origin = "local" | "exporter";

export type ProblemKind = "exporter-unreachable" | "exporter-bad-response" | "local-failed";

export interface Problem {
  kind: ProblemKind;
  message: string;
}

export interface LoadedSummary {
  /** Null only when nothing has ever been available (an exporter never reached). */
  summary: Summary | null;
  origin: Origin;
  /** Set when the summary shown is an older one because the latest attempt failed. */
  problem: Problem | null;
  /** Where the statusline feed is expected (local mode), for the setup hints. */
  statuslineFeedFile: string | null;
  exporterUrl: string | null;
  /** Local mode: whether the feed file exists (installed and written once); null with an exporter. */
  statuslineFeedExists: boolean | null;
  /** Local mode: the Claude config directories looked at (for the empty state); empty with an exporter. */
  configDirsLookedAt: string[];
  /** Local mode: those of them that hold transcripts (`projects/`). */
  configDirsFound: string[];
  /** How this run went, for the benchmark and diagnostics. */
  stats: LoadStats;
}

export interface LoadStats {
  /** True when the cached Summary was served because nothing had changed. */
  reusedCachedSummary: boolean;
  filesScanned: number;
  bytesRead: number;
  changedEvents: number;
  durationMs: number;
  /** Where the time went (local mode): ingest + limits, recent events, forecasts, Summary. */
  phasesMs?: Record<string, number>;
}

export interface LoadOptions {
  /** Exporter base URL (`http://127.0.0.1:9847`); empty or undefined = local mode. */
  exporterUrl?: string;
  /** Directory for the ledger, the snapshot history (Raycast's `environment.supportPath`). */
  supportPath: string;
  cache: TextCache;
  nowMs?: () => number;
  timezone?: string;
  env?: Record<string, string | undefined>;
  homeDir?: string;
  /** Claude config dirs; default: discovered like Claude Code does. */
  configDirs?: string[];
  /** Statusline feed file; default `QUOTACAST_STATUSLINE_FILE` or `~/.local/share/quotacast/statusline.json`. */
  statuslineFeedFile?: string;
  /** Warning level of the forecast (probability of reaching it). Default core's (as the CLI and the exporter). */
  warningLevelRatio?: number;
  /** A cached Summary younger than this is reused while nothing changed. Default 5 minutes. */
  reuseCachedForMs?: number;
  /** For the exporter request. Default 5 s. */
  exporterTimeoutMs?: number;
  /** Injected in tests; default the global fetch. */
  fetchText?: (url: string, timeoutMs: number) => Promise<{ status: number; text: string }>;
  prices?: PriceTable;
}

const LOCAL_CACHE_KEY = "quotacast-summary-local-v1";
const EXPORTER_CACHE_KEY = "quotacast-summary-exporter-v1";
const DEFAULT_REUSE_MS = 5 * 60_000;

export async function loadSummary(opts: LoadOptions): Promise<LoadedSummary> {
  const exporterUrl = opts.exporterUrl?.trim();
  return exporterUrl ? loadFromExporter(exporterUrl, opts) : loadLocal(opts);
}

// --- exporter mode

export function summaryUrl(exporterUrl: string): string {
  return `${exporterUrl.replace(/\/+$/, "")}/api/v1/summary`;
}

async function loadFromExporter(exporterUrl: string, opts: LoadOptions): Promise<LoadedSummary> {
  const startedMs = performance.now();
  const url = summaryUrl(exporterUrl);
  const cacheKey = `${EXPORTER_CACHE_KEY}:${exporterUrl}`;
  const fetchText = opts.fetchText ?? fetchWithTimeout;
  const stats = (): LoadStats => ({
    reusedCachedSummary: false,
    filesScanned: 0,
    bytesRead: 0,
    changedEvents: 0,
    durationMs: performance.now() - startedMs,
  });
  const base = {
    origin: "exporter" as const,
    statuslineFeedFile: null,
    statuslineFeedExists: null,
    exporterUrl,
    configDirsLookedAt: [],
    configDirsFound: [],
  };
  let response: { status: number; text: string };
  try {
    response = await fetchText(url, opts.exporterTimeoutMs ?? 5000);
  } catch (error) {
    return {
      ...base,
      summary: cachedSummary(opts.cache, cacheKey),
      problem: { kind: "exporter-unreachable", message: `cannot reach the exporter at ${url}: ${errorText(error)}` },
      stats: stats(),
    };
  }
  const summary = response.status === 200 ? parseSummary(response.text) : null;
  if (summary === null) {
    const why = response.status === 200 ? "the answer is not a quotacast summary" : `HTTP ${response.status}`;
    return {
      ...base,
      summary: cachedSummary(opts.cache, cacheKey),
      problem: { kind: "exporter-bad-response", message: `${url}: ${why}` },
      stats: stats(),
    };
  }
  opts.cache.set(cacheKey, JSON.stringify({ summary }));
  return { ...base, summary, problem: null, stats: stats() };
}

async function fetchWithTimeout(url: string, timeoutMs: number): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    signal: AbortSignal.timeout(timeoutMs),
    headers: { accept: "application/json" },
  });
  return { status: response.status, text: await response.text() };
}

/** A Summary from JSON, or null when the shape is not one (an old exporter, a proxy's error page). */
export function parseSummary(text: string): Summary | null {
  try {
    return asSummary(JSON.parse(text));
  } catch {
    return null;
  }
}

function asSummary(json: unknown): Summary | null {
  const value = json as Partial<Summary> | null;
  const isSummary =
    typeof value === "object" &&
    value !== null &&
    typeof value.generatedAtMs === "number" &&
    typeof value.timezone === "string" &&
    Array.isArray(value.windows) &&
    Array.isArray(value.lastDays) &&
    Array.isArray(value.sources) &&
    Array.isArray(value.sessionsToday) &&
    typeof value.today === "object" &&
    typeof value.thisWeek === "object";
  return isSummary ? (value as Summary) : null;
}

function cachedSummary(cache: TextCache, key: string): Summary | null {
  const text = cache.get(key);
  if (!text) return null;
  try {
    return asSummary((JSON.parse(text) as { summary?: unknown }).summary);
  } catch {
    return null;
  }
}

// --- local mode

interface LocalCacheRecord {
  summary: Summary;
  /** What the rate-limit side looked like when the summary was built. */
  limitsFingerprint: string;
  /** When the summary's "today" ends: computed at build time, so a warm run needs no time-zone work. */
  dayEndsAtMs: number;
}

/** No HTTP in local mode: the only sources used read local files. */
const noHttp: HttpPort = {
  get: () => Promise.reject(new Error("no network in local mode")),
};

async function loadLocal(opts: LoadOptions): Promise<LoadedSummary> {
  const startedMs = performance.now();
  const nowMs = opts.nowMs ?? Date.now;
  // Found without ICU (TZ, else the /etc/localtime link), as the CLI finds it. A fact about
  // this process: its calendar days then come from Date's local time, not an Intl formatter.
  const systemZone = systemTimeZone();
  declareLocalTimeZone(systemZone);
  const timezone = opts.timezone ?? systemZone;
  const env = opts.env ?? process.env;
  const homeDir = opts.homeDir ?? env.HOME ?? "";
  const prices = opts.prices ?? bundledPriceTable();
  const ctx: PollContext = {
    clock: { nowMs },
    files: localFiles,
    http: noHttp,
    env,
    homeDir,
    // Only the local sources below are polled, so no other source needs switching off here.
    config: { statusline: { feedFile: opts.statuslineFeedFile || undefined } },
    platform: process.platform,
  };
  const statuslineFeedFile = statuslineFeedPath(ctx);
  // A configured list (the preference) is used as given; otherwise discovered like Claude Code does.
  const configDirsLookedAt = opts.configDirs ?? candidateConfigDirs(env as NodeJS.ProcessEnv, homeDir);
  const configDirs =
    configDirsLookedAt.length === 0
      ? []
      : claudeConfigDirs({ env: { CLAUDE_CONFIG_DIR: configDirsLookedAt.join(",") }, homeDir });
  const base = {
    origin: "local" as const,
    statuslineFeedFile,
    statuslineFeedExists: fs.existsSync(statuslineFeedFile),
    exporterUrl: null,
    configDirsLookedAt,
    configDirsFound: configDirs,
  };

  try {
    const store = new FileLedgerStore(path.join(opts.supportPath, "ledger"), { nowMs });
    // Made only when a refresh runs: a quiet run (quiet-files.ts) reads neither the idle record nor the cursors.
    let ledgerParts: { ledger: UsageLedger; idleFiles: IdleFiles } | null = null;
    let known: KnownFiles | null = null;
    const ledgerOf = () => {
      if (!ledgerParts) {
        const idleFiles = IdleFiles.load(path.join(opts.supportPath, "idle-files.json"), () => store.recentCutoffMs(), {
          nowMs,
        });
        const files = idleFiles.wrap(localFiles, known);
        ledgerParts = { idleFiles, ledger: new UsageLedger({ configDirs, store, prices, files, clock: ctx.clock }) };
      }
      return ledgerParts;
    };
    const knownFile = path.join(opts.supportPath, "known-files.bin");
    const knownKey = JSON.stringify(configDirs);
    const cursorFile = store.cursorsPath();
    const keptUsage = new KeptUsage(path.join(opts.supportPath, "kept-usage.bin"), store);
    let changes: readonly UsageChange[] = [];
    const phasesMs: Record<string, number> = {};
    let mark = performance.now();
    const cached = readLocalCache(opts.cache);
    const reuseForMs = opts.reuseCachedForMs ?? DEFAULT_REUSE_MS;
    let fingerprint = "";
    const run = await collectSummary({
      ledger: {
        async refresh() {
          known = KnownFiles.load(knownFile, knownKey, ledgerIdentity(cursorFile), nowMs(), IDLE_SWEEP_EVERY_MS);
          if (known?.unchanged(watchedFiles(nowMs(), readFeed(statuslineFeedFile))))
            return quietRefresh(known.filesScanned);
          // A refresh that fails leaves the record as it is: what changed, or the cursor file it
          // committed, keeps it from saying quiet.
          const movedOn = known?.changedFiles() ?? null;
          if (known && movedOn) {
            // Only files appended to: the refresh looks at them alone (the others are as the last one left them).
            store.focus(movedOn);
            const ledger = new UsageLedger({
              configDirs,
              store,
              prices,
              files: onlyFiles(movedOn, known),
              clock: ctx.clock,
            });
            const refresh = withFilesScanned(await ledger.refresh(), known.filesScanned);
            if (refresh.diagnostics.filesUnreadable === 0) known.saveMovedOn(knownFile, ledgerIdentity(cursorFile));
            else clearKnown(knownFile);
            changes = refresh.changes;
            return refresh;
          }
          const { ledger, idleFiles } = ledgerOf();
          const refresh = await ledger.refresh();
          await idleFiles.save();
          if (refresh.diagnostics.filesUnreadable === 0)
            saveKnown(
              knownFile,
              knownKey,
              idleFiles.observed(),
              refresh.filesScanned,
              ledgerIdentity(cursorFile),
              known,
            );
          else clearKnown(knownFile); // a quiet run would not say which file could not be read
          changes = refresh.changes;
          return refresh;
        },
        diagnostics: () => ledgerOf().ledger.diagnostics(),
      },
      configDirs,
      poll: () => pollAll(localSources(), ctx),
      clock: ctx.clock,
      history: new FileSnapshotHistory(fileState(path.join(opts.supportPath, "limits"))),
      usage: {
        recentEvents: (sinceMs) => store.recentEvents(sinceMs),
        // This run's new events applied to what the last run kept (not two weeks re-read).
        recentUsage: (query) => keptUsage.recentUsage(query, changes),
      },
      timezone,
      prices,
      ...(opts.warningLevelRatio !== undefined ? { warningLevelRatio: opts.warningLevelRatio } : {}),
      diagnostics: (refresh) => carryDiagnostics(cached?.summary.diagnostics, refresh.diagnostics),
      reuse: ({ refresh, polled, nowMs: now }) => {
        fingerprint = limitsFingerprint(polled.merged, polled.statuses);
        const reusable =
          cached !== null &&
          refresh.changes.length === 0 &&
          now < cached.dayEndsAtMs &&
          cached.limitsFingerprint === fingerprint &&
          cached.summary.timezone === timezone &&
          now - cached.summary.generatedAtMs < reuseForMs &&
          now >= cached.summary.generatedAtMs;
        return reusable ? cached.summary : null;
      },
      onStage: (stage) => {
        const t = performance.now();
        phasesMs[STAGE_PHASES[stage]] = (phasesMs[STAGE_PHASES[stage]] ?? 0) + t - mark;
        mark = t;
      },
    });
    const { summary, refresh } = run;
    if (!run.reused) {
      const record: LocalCacheRecord = {
        summary,
        limitsFingerprint: fingerprint,
        dayEndsAtMs: dayEndsAtMs(summary.generatedAtMs, timezone),
      };
      opts.cache.set(LOCAL_CACHE_KEY, JSON.stringify(record));
      phasesMs.summary += performance.now() - mark;
    }
    const stats: LoadStats = {
      reusedCachedSummary: run.reused,
      filesScanned: refresh.filesScanned,
      bytesRead: refresh.bytesRead,
      changedEvents: refresh.changes.length,
      durationMs: performance.now() - startedMs,
      phasesMs,
    };
    return { ...base, summary, problem: null, stats };
  } catch (error) {
    // Never blank: the last good Summary stays, with what went wrong.
    return {
      ...base,
      summary: readLocalCache(opts.cache)?.summary ?? null,
      problem: { kind: "local-failed", message: `reading local data failed: ${errorText(error)}` },
      stats: {
        reusedCachedSummary: false,
        filesScanned: 0,
        bytesRead: 0,
        changedEvents: 0,
        durationMs: performance.now() - startedMs,
      },
    };
  }
}

/** The first instant after `nowMs` whose calendar day in `timezone` differs (hour steps, then minutes). */
export function dayEndsAtMs(nowMs: number, timezone: string): number {
  const today = dayKey(nowMs, timezone);
  const hourStart = Math.floor(nowMs / 3600_000) * 3600_000;
  let hour = hourStart + 3600_000;
  while (dayKey(hour, timezone) === today && hour < nowMs + 48 * 3600_000) hour += 3600_000;
  // The day changed within (hour - 1h, hour]: zones with :30 and :45 offsets change mid-hour.
  let minute = Math.max(nowMs, hour - 3600_000);
  minute = Math.floor(minute / 60_000) * 60_000 + 60_000;
  while (minute < hour && dayKey(minute, timezone) === today) minute += 60_000;
  return minute;
}

/**
 * Local sources: the ones that read local files only (no credentials, no network). Named one by
 * one, not filtered from core's registered list, so the bundle carries no OAuth, Admin API or
 * credentials code; a source added to the list changes nothing here.
 */
function localSources(): LimitSource[] {
  return [statuslineSource.create(), headerFileSource.create()];
}

/** The benchmark's phases: ingest + limits, history + recent events, forecasts, Summary. */
const STAGE_PHASES = {
  ingest: "ingest",
  history: "history+recent",
  events: "history+recent",
  forecasts: "forecasts",
  summary: "summary",
} as const;

/** The statusline feed, for the transcripts it names; null when there is none or it does not parse. */
function readFeed(file: string): StatuslineFeed | null {
  let text: string | null;
  try {
    text = readTextSync(file);
  } catch {
    return null; // unreadable: the statusline source reports it
  }
  const parsed = text === null ? null : parseStatuslineFeed(text, file);
  return parsed?.ok ? parsed.value : null;
}

function readLocalCache(cache: TextCache): LocalCacheRecord | null {
  const text = cache.get(LOCAL_CACHE_KEY);
  if (!text) return null;
  try {
    const record = JSON.parse(text) as LocalCacheRecord;
    const summary = asSummary(record.summary);
    const valid = typeof record.limitsFingerprint === "string" && typeof record.dayEndsAtMs === "number";
    return summary && valid ? { ...record, summary } : null;
  } catch {
    return null;
  }
}

function limitsFingerprint(merged: RateLimitSnapshot | null, statuses: SourceStatus[]): string {
  return JSON.stringify([
    merged?.windows.map((w) => [w.window, w.utilizationRatio, w.resetsAtMs, w.observedAtMs]) ?? null,
    statuses.map((s) => [s.source, s.state, s.lastSuccessMs]),
  ]);
}

type RefreshResult = Awaited<ReturnType<UsageLedger["refresh"]>>;

/**
 * The transcripts `files` as if they were all there is (the others unchanged since the last
 * refresh), stat'ed as `known` stat'ed them in this run.
 */
function onlyFiles(files: readonly string[], known: KnownFiles): FilePort {
  return {
    ...localFiles,
    listFiles: async (dir) => files.filter((file) => file.startsWith(dir + path.sep)),
    stat: async (file) => {
      const identity = known.stat(file);
      return identity !== undefined ? identity : localFiles.stat(file);
    },
  };
}

/** A refresh of some files reported as the whole one: every other file was listed and unchanged. */
function withFilesScanned(refresh: RefreshResult, filesScanned: number): RefreshResult {
  return { ...refresh, filesScanned, diagnostics: { ...refresh.diagnostics, filesScanned } };
}

/** What a refresh reports when nothing it would look at has changed (quiet-files.ts). */
function quietRefresh(filesScanned: number): RefreshResult {
  return {
    changes: [],
    filesScanned,
    bytesRead: 0,
    diagnostics: {
      filesScanned,
      linesSkippedInvalidJson: 0,
      linesSkippedOther: 0,
      filesUnreadable: 0,
      unknownModels: [],
    },
  };
}

/** Skipped-line counts add up across runs (each run reads only new bytes). */
function carryDiagnostics(previous: Diagnostics | undefined, run: Diagnostics): Diagnostics {
  return {
    filesScanned: run.filesScanned,
    linesSkippedInvalidJson: (previous?.linesSkippedInvalidJson ?? 0) + run.linesSkippedInvalidJson,
    linesSkippedOther: (previous?.linesSkippedOther ?? 0) + run.linesSkippedOther,
    filesUnreadable: run.filesUnreadable,
    unknownModels: [...new Set([...(previous?.unknownModels ?? []), ...run.unknownModels])],
  };
}

/** A StatePort on files in one directory (one file per key, replaced atomically). */
export function fileState(dir: string): StatePort {
  const fileOf = (key: string): string => path.join(dir, `${key.replace(/[^A-Za-z0-9._-]/g, "_")}.txt`);
  return {
    async load(key) {
      try {
        return readTextSync(fileOf(key));
      } catch {
        return null; // unreadable state: start over
      }
    },
    save: async (key, value) => writeFileAtomic(fileOf(key), value),
  };
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    const causeText = cause instanceof Error ? cause.message : "";
    return causeText && !error.message.includes(causeText) ? `${error.message} (${causeText})` : error.message;
  }
  return String(error);
}
