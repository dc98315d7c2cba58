/**
 * Test worlds for the extension: a temp Claude config dir with transcripts written by code,
 * a statusline feed file, a support dir, a loopback exporter, and a renderer that waits for
 * the data hook.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import type { ComponentType } from "react";
import { act, create, type ReactTestInstance, type ReactTestRenderer } from "react-test-renderer";
import { FIVE_HOURS_MS, FileSnapshotHistory, type Summary } from "@quotacast/core";
import { assistantLine } from "../core/ingest/helpers";
import { fileState } from "../../extension/src/data";
import { perTest } from "../support/per-test";
import { mockRaycast } from "./raycast-mock";
import { mockPending } from "./raycast-utils-mock";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

// React 19 warns once per render that react-test-renderer is deprecated; that line only.
const consoleError = console.error.bind(console);
console.error = (...args: unknown[]) => {
  if (typeof args[0] === "string" && args[0].startsWith("react-test-renderer is deprecated")) return;
  consoleError(...args);
};

export const HOUR_MS = 3600_000;

export interface World {
  root: string;
  configDir: string;
  feedFile: string;
  supportPath: string;
  cleanup(): void;
}

/** A fresh temp world; points CLAUDE_CONFIG_DIR and QUOTACAST_STATUSLINE_FILE at it. */
function makeWorld(): World {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "quotacast-ext-"));
  const configDir = path.join(root, "claude");
  const supportPath = path.join(root, "support");
  const feedFile = path.join(root, "share", "statusline.json");
  fs.mkdirSync(path.join(configDir, "projects"), { recursive: true });
  fs.mkdirSync(supportPath, { recursive: true });
  const saved = { config: process.env.CLAUDE_CONFIG_DIR, feed: process.env.QUOTACAST_STATUSLINE_FILE };
  process.env.CLAUDE_CONFIG_DIR = configDir;
  process.env.QUOTACAST_STATUSLINE_FILE = feedFile;
  return {
    root,
    configDir,
    feedFile,
    supportPath,
    cleanup() {
      restoreEnv("CLAUDE_CONFIG_DIR", saved.config);
      restoreEnv("QUOTACAST_STATUSLINE_FILE", saved.feed);
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh world for each test of the calling block, with the mocked Raycast's preferences and
 * storage reset to it; removed after the test. The returned World reads the current test's.
 */
export function worldPerTest(): World {
  const current = perTest(
    () => {
      const world = makeWorld();
      mockRaycast.reset(world.supportPath);
      return world;
    },
    (world) => world.cleanup(),
  );
  return {
    get root() {
      return current().root;
    },
    get configDir() {
      return current().configDir;
    },
    get feedFile() {
      return current().feedFile;
    },
    get supportPath() {
      return current().supportPath;
    },
    cleanup: () => current().cleanup(),
  };
}

/** Element types the commands render (the mocked @raycast/api names its host elements so). */
export const MENU_BAR = "MenuBarExtra";
export const MENU_ITEM = "MenuBarExtra.Item";
export const MENU_SECTION = "MenuBarExtra.Section";
export const LIST_ITEM = "List.Item";
export const LIST_SECTION = "List.Section";

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

export interface UsageSpec {
  atMs: number;
  model?: string;
  input?: number;
  output?: number;
  cacheRead?: number;
}

/** Writes `projects/<project>/<session>.jsonl` with one assistant line per spec. */
export function writeTranscript(world: World, project: string, session: string, usages: UsageSpec[]): string {
  const dir = path.join(world.configDir, "projects", project);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${session}.jsonl`);
  const lines = usages.map((u, i) =>
    assistantLine({
      id: `msg_${session}_${i}_${u.atMs}`,
      requestId: `req_${session}_${i}_${u.atMs}`,
      timestamp: new Date(u.atMs).toISOString(),
      model: u.model ?? "claude-sonnet-4-5-20250929",
      input: u.input ?? 1000,
      output: u.output ?? 2000,
      cacheRead: u.cacheRead ?? 0,
      sessionId: session,
    }),
  );
  fs.appendFileSync(file, lines.join("\n") + "\n");
  return file;
}

export interface FeedSpec {
  fiveHourPercent?: number;
  sevenDayPercent?: number;
  fiveHourResetsAtMs?: number;
  sevenDayResetsAtMs?: number;
  observedAtMs: number;
  /** The session's transcript, as Claude Code passes it (default none). */
  transcriptPath?: string;
}

/** The feed file as `quotacast statusline` writes it (Claude Code's percent and unix seconds). */
export function writeFeed(world: World, spec: FeedSpec): void {
  const rateLimits: Record<string, unknown> = {};
  if (spec.fiveHourPercent !== undefined) {
    rateLimits.five_hour = {
      used_percentage: spec.fiveHourPercent,
      resets_at: Math.round((spec.fiveHourResetsAtMs ?? spec.observedAtMs + 2 * HOUR_MS) / 1000),
    };
  }
  if (spec.sevenDayPercent !== undefined) {
    rateLimits.seven_day = {
      used_percentage: spec.sevenDayPercent,
      resets_at: Math.round((spec.sevenDayResetsAtMs ?? spec.observedAtMs + 3 * 24 * HOUR_MS) / 1000),
    };
  }
  fs.mkdirSync(path.dirname(world.feedFile), { recursive: true });
  fs.writeFileSync(
    world.feedFile,
    JSON.stringify({
      version: 1,
      updatedAtMs: spec.observedAtMs,
      sessionId: "s1",
      transcriptPath: spec.transcriptPath ?? null,
      model: { id: "claude-sonnet-4-5-20250929", displayName: "Sonnet 4.5" },
      sessionCostUsd: 1.5,
      rateLimits,
      rateLimitsObservedAtMs: spec.observedAtMs,
      sessions: {},
    }),
  );
}

/** Seeds the extension's snapshot history with earlier readings of the 5-hour window. */
async function seedFiveHourHistory(
  world: World,
  resetsAtMs: number,
  points: Array<{ atMs: number; percent: number }>,
): Promise<void> {
  const history = new FileSnapshotHistory(fileState(path.join(world.supportPath, "limits")));
  for (const p of points) {
    await history.append({
      observedAtMs: p.atMs,
      source: "statusline",
      windows: [
        {
          window: "five_hour",
          utilizationRatio: p.percent / 100,
          resetsAtMs,
          windowLengthMs: FIVE_HOURS_MS,
          status: "unknown",
          source: "statusline",
          observedAtMs: p.atMs,
        },
      ],
    });
  }
}

/**
 * A 5-hour window on course for exhaustion: a steady climb to 80% over its first 3 hours,
 * 2 hours before the reset, seeded as history. Returns the reset time.
 */
export async function seedClimbTo80Percent(world: World, nowMs: number): Promise<number> {
  const resetsAtMs = nowMs + 2 * HOUR_MS;
  const startMs = resetsAtMs - FIVE_HOURS_MS;
  const points = [];
  for (let t = startMs + 10 * 60_000; t < nowMs; t += 10 * 60_000) {
    points.push({ atMs: t, percent: Math.round(((t - startMs) / (3 * HOUR_MS)) * 80) });
  }
  await seedFiveHourHistory(world, resetsAtMs, points);
  return resetsAtMs;
}

export { FIVE_HOURS_MS };

/** A loopback server answering `/api/v1/summary` with `body` (or a status code). */
export async function startExporter(
  answer: () => { status: number; body: string },
): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? "");
    if (req.url !== "/api/v1/summary") {
      res.writeHead(404).end("not found");
      return;
    }
    const { status, body } = answer();
    res.writeHead(status, { "content-type": "application/json" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A loopback URL where nothing listens (a port that was just freed). */
export async function deadUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** Renders a command and waits until its data hook has settled. */
export async function renderCommand(Component: ComponentType): Promise<ReactTestRenderer> {
  let renderer: ReactTestRenderer | undefined;
  await act(async () => {
    renderer = create(<Component />);
  });
  for (let round = 0; round < 10 && mockPending.length > 0; round++) {
    const pending = mockPending.splice(0);
    await act(async () => {
      await Promise.all(pending);
    });
  }
  if (!renderer) throw new Error("render failed");
  return renderer;
}

/** Host elements of one kind (`MenuBarExtra.Item`), in tree order. */
export function nodes(renderer: ReactTestRenderer, type: string): ReactTestInstance[] {
  return renderer.root.findAll((node) => node.type === type);
}

export function titles(renderer: ReactTestRenderer, type: string): string[] {
  return nodes(renderer, type).map((node) => String(node.props.title ?? ""));
}

export function byTitle(
  renderer: ReactTestRenderer,
  type: string,
  title: string | RegExp,
): ReactTestInstance {
  const found = nodes(renderer, type).filter((node) =>
    typeof title === "string" ? node.props.title === title : title.test(String(node.props.title ?? "")),
  );
  if (found.length === 0) {
    throw new Error(`no ${type} titled ${String(title)}; have: ${titles(renderer, type).join(" | ")}`);
  }
  return found[0];
}

export function hasTitle(renderer: ReactTestRenderer, type: string, title: string | RegExp): boolean {
  return titles(renderer, type).some((t) => (typeof title === "string" ? t === title : title.test(t)));
}

/** A Summary as an exporter would serve it; fields not given are empty. */
export function exporterSummary(nowMs: number, overrides: Partial<Summary>): Summary {
  const empty = {
    period: new Date(nowMs).toISOString().slice(0, 10),
    costUsd: 0,
    unpricedModels: [],
    topModel: null,
    models: [],
    inputTokens: 0,
    outputTokens: 0,
    cacheCreationTokens: 0,
    cacheReadTokens: 0,
    totalTokens: 0,
  };
  return {
    generatedAtMs: nowMs,
    timezone: "UTC",
    today: empty,
    thisWeek: empty,
    lastDays: [empty],
    activeBlock: null,
    sessionsToday: [],
    windows: [],
    sources: [],
    extraUsage: null,
    plan: null,
    organization: null,
    diagnostics: {
      filesScanned: 0,
      linesSkippedInvalidJson: 0,
      linesSkippedOther: 0,
      filesUnreadable: 0,
      unknownModels: [],
    },
    ...overrides,
  };
}
