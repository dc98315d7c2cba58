/**
 * Synthetic Claude Code history: a config dir with `projects/<encoded-cwd>/<session>.jsonl`
 * and `<session>/subagents/agent-*.jsonl` files that look like real ones (sizes, line
 * types, duplicated streamed copies, resumed sessions, proxies, malformed lines), plus
 * the deduplicated ground truth, so tests and benchmarks can check totals.
 *
 * Deterministic for a given seed. Run as a script:
 *   npx tsx test/generators/transcripts.ts --out DIR --size-mb 500 --seed 1 [--end ISO] [--days 60]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { DAY_MS, zonedFormatter, type UsageEvent } from "@quotacast/core";
import { createRng, normalDraw, type Rng as SeededRandom } from "@quotacast/core/forecast";

export interface GenerateOptions {
  /** Config dir to create (transcripts go to `dir/projects/`). */
  dir: string;
  /** Total bytes to write, in MB (1 MB = 1,000,000 bytes). Fractions allowed. */
  sizeMb: number;
  seed: number;
  /** Last possible timestamp; timestamps spread over `days` before it. */
  endMs: number;
  /** Span of the history in days (default 60). */
  days?: number;
  /** Number of projects (default scales with size, 3..24). */
  projects?: number;
  /**
   * Median size of a session file (default 100 KB; real shape: 260 KB for main files, subagent
   * files in proportion); smaller gives more files for the same bytes.
   */
  medianFileBytes?: number;
  /** Share of responses written without `requestId` (default 0.05; 0 for none). */
  missingRequestIdRatio?: number;
  /** Share of responses whose lines have `"cwd": null` (default 0.002; 0 for none). */
  nullCwdRatio?: number;
  /** Share of zero-usage `<synthetic>` responses (default 0.01; 0 for none). */
  syntheticRatio?: number;
  /**
   * "classic" (default): the shape the tests were written against. "real": the proportions
   * of "Shape of real histories" in data-sources.md (the middle of each range): most bytes in
   * user tool results and progress lines, ~8.7 KB of file per usage line, many tiny files,
   * a large sidechain share and Bedrock-style sessions without requestId.
   */
  shape?: HistoryShape;
}

export type HistoryShape = "classic" | "real";

/** One deduplicated API response as the generator knows it (the copy with the most tokens). */
export interface TruthEvent extends Omit<UsageEvent, "recordedCostUsd"> {
  /** False for responses written without `requestId` (keyed by message id alone). */
  hasRequestId: boolean;
  /** True when every copy has `"cwd":null` (ccusage 20 drops such lines). */
  nullCwd: boolean;
  /** Every line written for this response (streamed copies, copies in resumed sessions). */
  copies: { timestampMs: number; outputTokens: number }[];
}

export interface GeneratedHistory {
  dir: string;
  files: string[];
  bytesWritten: number;
  /** Every counted response (dedup winners); zero-usage `<synthetic>` lines are not included. */
  events: TruthEvent[];
  /** Assistant usage lines written, copies included (before dedup). */
  usageLinesWritten: number;
  /** Lines that are not valid JSON (including truncated last lines). */
  invalidLines: number;
  /** Zero-usage `<synthetic>` lines (valid, never counted). */
  syntheticLines: number;
}

export interface TokenTruth {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  totalTokens: number;
  events: number;
  models: string[];
}

export const GENERATOR_MODELS = {
  opus45: "claude-opus-4-5-20251101",
  opus46: "claude-opus-4-6",
  opus41: "claude-opus-4-1-20250805",
  sonnet45: "claude-sonnet-4-5-20250929",
  haiku45: "claude-haiku-4-5-20251001",
  proxy: "glm-4.7",
  synthetic: "<synthetic>",
} as const;

const MB = 1_000_000;

// ---------------------------------------------------------------- deterministic randomness

/** Core's seeded generator (mulberry32) with the draws the generator needs. */
class Rng {
  private readonly random: SeededRandom;
  constructor(seed: number) {
    this.random = createRng(seed);
  }
  next(): number {
    return this.random.next();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  /** Standard normal (Box-Muller). */
  normal(): number {
    return normalDraw(this.random);
  }
  /** Log-normal with the given median and log-space sigma. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
  id(length: number): string {
    let out = "";
    for (let i = 0; i < length; i++) out += BASE62[Math.floor(this.next() * 62)];
    return out;
  }
  uuid(): string {
    let hex = "";
    for (let i = 0; i < 32; i++) hex += HEX[Math.floor(this.next() * 16)];
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  }
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const HEX = "0123456789abcdef";

// ---------------------------------------------------------------- text pool

const WORDS = (
  "const let function return import export from interface type async await if else for while " +
  "the a of to in is that it with as on be this are by or file line value error result test " +
  "build config module index src lib util data user request response token usage cache read write " +
  "{ } ( ) [ ] ; = => + - * / < > : , . 0 1 2 3 42 100 true false null undefined"
).split(" ");

/** A few MB of JSON-safe text (no quotes or backslashes except escaped newlines), sliced for content. */
function makeTextPool(rng: Rng, bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    let line = "";
    const words = rng.int(3, 14);
    for (let i = 0; i < words; i++) line += (i === 0 ? "" : " ") + rng.pick(WORDS);
    line += "\\n";
    parts.push(line);
    size += line.length;
  }
  return parts.join("");
}

class TextSource {
  constructor(
    private readonly pool: string,
    private readonly rng: Rng,
  ) {}
  /** A slice of about `length` chars that does not split an escape sequence. */
  take(length: number): string {
    const n = Math.max(1, Math.min(Math.floor(length), this.pool.length - 2));
    const start = Math.floor(this.rng.next() * (this.pool.length - n - 1));
    let text = this.pool.slice(start, start + n);
    if (text.startsWith("n") && this.pool[start - 1] === "\\") text = text.slice(1);
    if (text.endsWith("\\")) text = text.slice(0, -1);
    return text;
  }
}

// ---------------------------------------------------------------- file sizes

interface FilePlan {
  project: number;
  sessionId: string;
  targetBytes: number;
  subagents: number[];
  /** Copy the head of an earlier session into this one (a resumed session). */
  resumes: boolean;
  /** A one-to-three-line file (summaries, a snapshot): real-shaped histories have many. */
  tiny?: boolean;
}

/** Session file sizes: log-normal (median ~100 KB, p90 ~650 KB, p99 a few MB) plus a few 50-100 MB giants. */
function planFiles(rng: Rng, totalBytes: number, projectCount: number, medianBytes: number): FilePlan[] {
  const plans: FilePlan[] = [];
  const giants = totalBytes >= 150 * MB ? Math.max(1, Math.round(totalBytes / (250 * MB))) : 0;
  let planned = 0;
  for (let i = 0; i < giants; i++) {
    const bytes = rng.int(50, 100) * MB;
    plans.push(newPlan(rng, projectCount, bytes, []));
    planned += bytes;
  }
  while (planned < totalBytes) {
    const mainBytes = clamp(rng.logNormal(medianBytes, 1.55), 3_000, 12 * MB);
    const subagents: number[] = [];
    if (rng.chance(0.35)) {
      const count = rng.int(1, 4);
      for (let i = 0; i < count; i++)
        subagents.push(clamp(rng.logNormal(medianBytes * 0.4, 1.3), 2_000, 3 * MB));
    }
    const bytes = Math.min(totalBytes - planned, mainBytes + sum(subagents));
    plans.push(scaledPlan(rng, projectCount, mainBytes, subagents, bytes));
    planned += bytes;
  }
  // Small histories still get one resumed session (the first two ordinary files suffice).
  if (plans.length > giants + 1) plans[giants + 1].resumes = true;
  return plans;
}

/**
 * Real-shaped file sizes: a quarter of the files are tiny (one to three lines, as Claude
 * Code leaves in large histories), the rest log-normal (median ~140 KB, largest ~4 MB),
 * and sessions spawn subagents whose files hold about 40% of the lines.
 */
const REAL_MAIN_MEDIAN_BYTES = 260_000;

function planRealFiles(
  rng: Rng,
  totalBytes: number,
  projectCount: number,
  mainMedianBytes: number,
): FilePlan[] {
  const scaleMedian = mainMedianBytes / REAL_MAIN_MEDIAN_BYTES;
  const plans: FilePlan[] = [];
  let planned = 0;
  while (planned < totalBytes) {
    if (rng.chance(0.27)) {
      const plan = newPlan(rng, projectCount, rng.int(300, 3_000), []);
      plan.tiny = true;
      plan.resumes = false;
      plans.push(plan);
      planned += plan.targetBytes;
      continue;
    }
    const mainBytes = clamp(rng.logNormal(mainMedianBytes, 1.25), 4_000, 4 * MB);
    const subagents: number[] = [];
    if (rng.chance(0.45)) {
      const count = rng.int(1, 5);
      for (let i = 0; i < count; i++)
        subagents.push(clamp(rng.logNormal(140_000 * scaleMedian, 1.2), 3_000, 3 * MB));
    }
    const bytes = Math.min(totalBytes - planned, mainBytes + sum(subagents));
    plans.push(scaledPlan(rng, projectCount, mainBytes, subagents, bytes));
    planned += Math.max(bytes, 1_500);
  }
  const firstOrdinary = plans.findIndex((p, i) => i > 0 && !p.tiny && !plans[i - 1].tiny);
  if (firstOrdinary > 0) plans[firstOrdinary].resumes = true;
  return plans;
}

/** A file's plan with its main file and subagents scaled together to `bytes` (each at least 1.5 kB). */
function scaledPlan(
  rng: Rng,
  projectCount: number,
  mainBytes: number,
  subagents: number[],
  bytes: number,
): FilePlan {
  const scale = bytes / (mainBytes + sum(subagents));
  return newPlan(
    rng,
    projectCount,
    Math.max(1_500, mainBytes * scale),
    subagents.map((s) => Math.max(1_500, s * scale)),
  );
}

function newPlan(rng: Rng, projectCount: number, targetBytes: number, subagents: number[]): FilePlan {
  return {
    project: Math.floor(Math.pow(rng.next(), 1.6) * projectCount), // a few busy projects
    sessionId: rng.uuid(),
    targetBytes,
    subagents,
    resumes: rng.chance(0.08),
  };
}

// ---------------------------------------------------------------- lines

interface SessionContext {
  sessionId: string;
  cwd: string;
  project: string;
  gitBranch: string;
  version: string;
  isSidechain: boolean;
  agentId?: string;
  /** Model used by most responses of this session. */
  model: string;
  /** Through Bedrock or a gateway: `msg_bdrk_` ids, no requestId, 2-9 streamed copies. */
  bedrock?: boolean;
}

interface Writer {
  /** Appends one line (newline added) and returns the bytes the file now has. */
  line(text: string): number;
  readonly bytes: number;
}

const ALL_SESSION_MODELS = [
  GENERATOR_MODELS.opus46,
  GENERATOR_MODELS.opus45,
  GENERATOR_MODELS.sonnet45,
  GENERATOR_MODELS.proxy,
  GENERATOR_MODELS.opus41,
  GENERATOR_MODELS.haiku45,
];

const VERSIONS = ["2.0.31", "2.0.50", "2.0.64", "2.1.3", "2.1.19"];

function sessionModel(rng: Rng): string {
  const r = rng.next();
  if (r < 0.34) return GENERATOR_MODELS.opus45;
  if (r < 0.6) return GENERATOR_MODELS.opus46;
  if (r < 0.78) return GENERATOR_MODELS.sonnet45;
  if (r < 0.88) return GENERATOR_MODELS.opus41;
  if (r < 0.95) return GENERATOR_MODELS.haiku45;
  return GENERATOR_MODELS.proxy;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function common(ctx: SessionContext, parentUuid: string | null, nullCwd: boolean): string {
  const agent = ctx.agentId ? `,"agentId":"${ctx.agentId}"` : "";
  const cwd = nullCwd ? "null" : JSON.stringify(ctx.cwd);
  return (
    `"parentUuid":${parentUuid ? `"${parentUuid}"` : "null"},"isSidechain":${ctx.isSidechain},"userType":"external",` +
    `"cwd":${cwd},"sessionId":"${ctx.sessionId}","version":"${ctx.version}","gitBranch":"${ctx.gitBranch}"${agent}`
  );
}

interface Usage {
  input: number;
  output: number;
  cacheCreation5m: number;
  cacheCreation1h: number;
  cacheRead: number;
  fast: boolean;
}

function usageJson(u: Usage, output: number, model: string): string {
  const speed = u.fast ? `,"speed":"fast"` : "";
  const tier = model === GENERATOR_MODELS.proxy ? "" : `,"service_tier":"standard"`;
  return (
    `{"input_tokens":${u.input},"cache_creation_input_tokens":${u.cacheCreation5m + u.cacheCreation1h},` +
    `"cache_read_input_tokens":${u.cacheRead},"cache_creation":{"ephemeral_5m_input_tokens":${u.cacheCreation5m},` +
    `"ephemeral_1h_input_tokens":${u.cacheCreation1h}},"output_tokens":${output}${tier}${speed}}`
  );
}

function drawUsage(rng: Rng, model: string): Usage {
  const sonnetLong = model === GENERATOR_MODELS.sonnet45 && rng.chance(0.03);
  const cacheRead = sonnetLong
    ? rng.int(190_000, 260_000)
    : Math.floor(clamp(rng.logNormal(45_000, 0.9), 0, 180_000));
  const cacheCreation = rng.chance(0.7) ? Math.floor(clamp(rng.logNormal(2_500, 1.2), 0, 60_000)) : 0;
  const oneHour = rng.chance(0.25);
  return {
    input: rng.chance(0.9) ? rng.int(1, 12) : rng.int(100, 20_000),
    output: Math.max(2, Math.floor(clamp(rng.logNormal(350, 1.1), 1, 32_000))),
    cacheCreation5m: oneHour ? 0 : cacheCreation,
    cacheCreation1h: oneHour ? cacheCreation : 0,
    cacheRead,
    fast: model === GENERATOR_MODELS.opus46 && rng.chance(0.04),
  };
}

// ---------------------------------------------------------------- one transcript file

interface FileState {
  ctx: SessionContext;
  timeMs: number;
  /** No new turn starts after this (a turn lasts well under an hour), so nothing passes --end. */
  deadlineMs: number;
  parent: string | null;
}

class HistoryBuilder {
  readonly events = new Map<string, TruthEvent>();
  usageLinesWritten = 0;
  invalidLines = 0;
  syntheticLines = 0;
  private responses = 0;
  private wroteFast = false;

  constructor(
    private readonly rng: Rng,
    private readonly text: TextSource,
    private readonly ratios: { missingRequestId: number; nullCwd: number; synthetic: number },
    private readonly real = false,
  ) {}

  /** Writes lines until the file reaches `targetBytes`; returns the time of the last line. */
  fillSession(w: Writer, state: FileState, targetBytes: number, giant: boolean): number {
    const { rng } = this;
    if (!state.ctx.isSidechain && rng.chance(0.3)) {
      w.line(`{"type":"summary","summary":"${this.text.take(rng.int(20, 60))}","leafUuid":"${rng.uuid()}"}`);
    }
    while (w.bytes < targetBytes && state.timeMs < state.deadlineMs) {
      this.userPrompt(w, state);
      const responses = rng.int(1, 8);
      for (let i = 0; i < responses && w.bytes < targetBytes; i++) {
        this.assistantResponse(w, state);
        if (this.real) {
          this.progressLines(w, state);
          if (rng.chance(0.85)) this.toolResult(w, state, targetBytes, giant);
          if (rng.chance(0.15)) this.toolResult(w, state, targetBytes, giant); // parallel tool calls
          if (rng.chance(0.04)) this.attachment(w, state);
        } else if (rng.chance(0.75)) this.toolResult(w, state, targetBytes, giant);
        this.occasionalLine(w, state);
      }
      state.timeMs += rng.int(20_000, 600_000); // the human thinks
    }
    return state.timeMs;
  }

  private advance(state: FileState, minMs: number, maxMs: number): string {
    state.timeMs += this.rng.int(minMs, maxMs);
    return iso(state.timeMs);
  }

  private userPrompt(w: Writer, state: FileState): void {
    const uuid = this.rng.uuid();
    const ts = this.advance(state, 500, 5_000);
    const prompt = this.text.take(this.rng.int(30, 1_500));
    w.line(
      `{${common(state.ctx, state.parent, false)},"type":"user","message":{"role":"user","content":"${prompt}"},` +
        `"uuid":"${uuid}","timestamp":"${ts}"}`,
    );
    state.parent = uuid;
  }

  private assistantResponse(w: Writer, state: FileState): void {
    const { rng } = this;
    const { ctx } = state;
    this.responses++;
    // Rare cases are drawn at random, and forced once early so small histories have them too.
    if (this.ratios.synthetic > 0 && (rng.chance(this.ratios.synthetic) || this.responses === 7)) {
      this.syntheticResponse(w, state);
      return;
    }
    const model = rng.chance(0.06) ? GENERATOR_MODELS.haiku45 : ctx.model;
    const usage = drawUsage(rng, model);
    if (model === GENERATOR_MODELS.opus46 && !this.wroteFast) usage.fast = true;
    this.wroteFast ||= usage.fast;
    const messageId = ctx.bedrock ? `msg_bdrk_01${rng.id(22)}` : `msg_01${rng.id(22)}`;
    const noRequestId =
      ctx.bedrock ||
      (this.ratios.missingRequestId > 0 &&
        (rng.chance(this.ratios.missingRequestId) || this.responses === 3));
    const requestId = noRequestId ? null : `req_011C${rng.id(20)}`;
    const copies = ctx.bedrock ? rng.int(2, 9) : rng.int(2, 5);
    usage.output = Math.max(usage.output, copies);
    const outputs = growingOutputs(rng, usage.output, copies);
    const nullCwd = rng.chance(this.ratios.nullCwd);
    let timestampMs = state.timeMs;
    const written: TruthEvent["copies"] = [];
    for (let i = 0; i < copies; i++) {
      const uuid = rng.uuid();
      const ts = this.advance(state, i === 0 ? 1_500 : 20, i === 0 ? 40_000 : 3_000);
      timestampMs = state.timeMs;
      const textChars = this.real ? (i === 0 ? 150 : 900) : i === 0 ? 40 : 400;
      const content = i === copies - 1 && rng.chance(0.6) ? this.toolUse() : this.textBlock(textChars);
      const stop = i === copies - 1 ? `"tool_use"` : "null";
      const request = requestId ? `,"requestId":"${requestId}"` : "";
      w.line(
        `{${common(ctx, state.parent, nullCwd)},"message":{"model":"${model}","id":"${messageId}","type":"message",` +
          `"role":"assistant","content":[${content}],"stop_reason":${stop},"stop_sequence":null,` +
          `"usage":${usageJson(usage, outputs[i], model)}}${request},"type":"assistant","uuid":"${uuid}","timestamp":"${ts}"}`,
      );
      state.parent = uuid;
      this.usageLinesWritten++;
      written.push({ timestampMs, outputTokens: outputs[i] });
    }
    const key = requestId ? `${messageId}:${requestId}` : messageId;
    this.events.set(key, {
      key,
      timestampMs,
      model,
      sessionId: ctx.sessionId,
      project: ctx.project,
      inputTokens: usage.input,
      outputTokens: usage.output,
      cacheCreationTokens: usage.cacheCreation5m + usage.cacheCreation1h,
      cacheCreation1hTokens: usage.cacheCreation1h,
      cacheReadTokens: usage.cacheRead,
      speed: usage.fast ? "fast" : "standard",
      isSidechain: ctx.isSidechain,
      hasRequestId: requestId !== null,
      nullCwd,
      copies: written,
    });
  }

  /** Records a line copied verbatim into a resumed session. */
  copiedLine(line: string): void {
    if (line.includes('"usage":{"input_tokens":0,')) {
      this.syntheticLines++;
      return;
    }
    if (!line.includes('"type":"assistant","uuid"')) return;
    this.usageLinesWritten++;
    const messageId = /"id":"(msg_[^"]+)"/.exec(line)?.[1];
    const requestId = /"requestId":"([^"]+)"/.exec(line)?.[1];
    const event = this.events.get(requestId ? `${messageId}:${requestId}` : `${messageId}`);
    const output = /"output_tokens":(\d+)/.exec(line)?.[1];
    const timestamp = /"timestamp":"([^"]+)"/.exec(line)?.[1];
    if (!event || output === undefined || timestamp === undefined)
      throw new Error("generator: copied an unknown line");
    event.copies.push({ timestampMs: Date.parse(timestamp), outputTokens: Number(output) });
  }

  private syntheticResponse(w: Writer, state: FileState): void {
    const uuid = this.rng.uuid();
    const ts = this.advance(state, 100, 2_000);
    w.line(
      `{${common(state.ctx, state.parent, false)},"message":{"id":"${this.rng.uuid()}","container":null,"model":"<synthetic>",` +
        `"role":"assistant","stop_reason":"stop_sequence","stop_sequence":"","type":"message",` +
        `"usage":{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,` +
        `"server_tool_use":{"web_search_requests":0,"web_fetch_requests":0},"service_tier":null,"cache_creation":` +
        `{"ephemeral_1h_input_tokens":0,"ephemeral_5m_input_tokens":0}},"content":[{"type":"text","text":"No response requested."}]},` +
        `"type":"assistant","uuid":"${uuid}","timestamp":"${ts}","isApiErrorMessage":false}`,
    );
    state.parent = uuid;
    this.syntheticLines++;
  }

  private textBlock(medianChars: number): string {
    const kind = this.rng.chance(0.3) ? "thinking" : "text";
    const body = this.text.take(clamp(this.rng.logNormal(medianChars, 1), 5, 20_000));
    return kind === "thinking"
      ? `{"type":"thinking","thinking":"${body}","signature":"${this.rng.id(64)}"}`
      : `{"type":"text","text":"${body}"}`;
  }

  private toolUse(): string {
    const tool = this.rng.pick(["Read", "Edit", "Bash", "Grep", "Glob", "Write", "Task"]);
    return `{"type":"tool_use","id":"toolu_01${this.rng.id(22)}","name":"${tool}","input":{"command":"${this.text.take(this.rng.int(10, 300))}"}}`;
  }

  /** A user line carrying a tool result: where most of a transcript's bytes are. */
  private toolResult(w: Writer, state: FileState, targetBytes: number, giant: boolean): void {
    const { rng } = this;
    const room = Math.max(200, targetBytes - w.bytes);
    const median = giant ? 40_000 : this.real ? 8_500 : 5_000;
    let size = clamp(rng.logNormal(median, this.real ? 1.35 : 1.5), 50, room);
    if (giant && rng.chance(0.01)) size = Math.min(room, rng.int(2, 8) * MB); // a whole file read back
    if (this.real && rng.chance(0.0015)) size = Math.min(room, rng.int(100_000, 1_200_000)); // a big file read back
    const uuid = rng.uuid();
    const ts = this.advance(state, 50, 30_000);
    const toolId = `toolu_01${rng.id(22)}`;
    // Task results carry the subagent's usage outside `message`: not a usage line.
    const extra = rng.chance(0.05)
      ? `,"toolUseResult":{"status":"completed","totalTokens":${rng.int(1000, 90_000)},"usage":{"input_tokens":${rng.int(1, 50)},"output_tokens":${rng.int(10, 4000)}}}`
      : `,"toolUseResult":{"stdout":"${this.text.take(Math.min(size / 4, 2000))}","stderr":"","interrupted":false}`;
    w.line(
      `{${common(state.ctx, state.parent, false)},"type":"user","message":{"role":"user","content":[{"tool_use_id":"${toolId}",` +
        `"type":"tool_result","content":"${this.text.take(size)}"}]},"uuid":"${uuid}","timestamp":"${ts}"${extra}}`,
    );
    state.parent = uuid;
  }

  /** Hook and bash progress while a tool runs (real-shaped histories: ~12% of the bytes). */
  private progressLines(w: Writer, state: FileState): void {
    const { rng } = this;
    const count = rng.int(0, 4);
    for (let i = 0; i < count; i++) {
      const ts = this.advance(state, 20, 2_000);
      const output = this.text.take(clamp(rng.logNormal(800, 0.9), 20, 30_000));
      w.line(
        `{${common(state.ctx, state.parent, false)},"type":"progress","data":{"type":"bash_progress","output":"${output}",` +
          `"elapsedTimeSeconds":${rng.int(1, 90)},"totalLines":${rng.int(1, 400)}},"toolUseID":"bash-progress-${rng.int(0, 99)}",` +
          `"parentToolUseID":"toolu_01${rng.id(22)}","uuid":"${rng.uuid()}","timestamp":"${ts}"}`,
      );
    }
  }

  /** An attachment line (files or diagnostics Claude Code attaches to a turn). */
  private attachment(w: Writer, state: FileState): void {
    const { rng } = this;
    w.line(
      `{${common(state.ctx, state.parent, false)},"type":"attachment","attachment":{"type":"edited_text_file",` +
        `"filename":"/home/dev/src/${rng.id(8)}.ts","snippet":"${this.text.take(clamp(rng.logNormal(1_500, 1), 50, 40_000))}"},` +
        `"uuid":"${rng.uuid()}","timestamp":"${iso(state.timeMs)}"}`,
    );
  }

  /** A file of one to three lines without usage (summaries of an old session, a snapshot). */
  tinyFile(w: Writer): void {
    const { rng } = this;
    const lines = rng.int(1, 3);
    for (let i = 0; i < lines; i++) {
      w.line(`{"type":"summary","summary":"${this.text.take(rng.int(20, 90))}","leafUuid":"${rng.uuid()}"}`);
    }
  }

  private occasionalLine(w: Writer, state: FileState): void {
    const { rng } = this;
    const r = rng.next();
    const ts = iso(state.timeMs);
    if (r < 0.04) {
      w.line(
        `{"type":"file-history-snapshot","messageId":"${rng.uuid()}","snapshot":{"messageId":"${rng.uuid()}",` +
          `"trackedFileBackups":{"src/${rng.id(8)}.ts":{"backupFileName":"${rng.id(16)}@v2","version":2,` +
          `"backupTime":"${ts}"}},"timestamp":"${ts}"},"isSnapshotUpdate":false}`,
      );
    } else if (r < 0.07) {
      w.line(
        `{${common(state.ctx, state.parent, false)},"type":"system","subtype":"local_command","content":"${this.text.take(rng.int(20, 400))}",` +
          `"level":"info","timestamp":"${ts}","uuid":"${rng.uuid()}","isMeta":false}`,
      );
    } else if (r < 0.1) {
      w.line(
        `{${common(state.ctx, state.parent, false)},"type":"progress","data":{"type":"hook_progress","hookEvent":"PostToolUse",` +
          `"hookName":"PostToolUse:Edit"},"toolUseID":"toolu_01${rng.id(22)}","timestamp":"${ts}","uuid":"${rng.uuid()}"}`,
      );
    } else if (r < 0.11) {
      w.line(
        `{"type":"queue-operation","operation":"enqueue","timestamp":"${ts}","sessionId":"${state.ctx.sessionId}"}`,
      );
    } else if (r < 0.115) {
      w.line(
        `{"type":"last-prompt","lastPrompt":"${this.text.take(80)}","sessionId":"${state.ctx.sessionId}"}`,
      );
    } else if (r < 0.118 || this.responses === 5) {
      // A line cut short mid-write by a crash: invalid JSON in the middle of the file, cut
      // after its usage began (so readers that look for usage lines meet it and must skip it).
      w.line(
        `{${common(state.ctx, state.parent, false)},"type":"assistant","message":{"model":"${state.ctx.model}",` +
          `"id":"msg_01${rng.id(22)}","type":"message","role":"assistant","content":[],"usage":{"input_tokens":3,"cache_`,
      );
      this.invalidLines++;
    }
  }

  /** Last line still being written: no newline, not valid JSON. */
  truncatedTail(file: string, state: FileState): void {
    const line =
      `{${common(state.ctx, state.parent, false)},"message":{"model":"${state.ctx.model}","id":"msg_01${this.rng.id(22)}",` +
      `"type":"message","role":"assistant","content":[],"usage":{"input_tokens":3,"cache_creation_input_tokens":0,`;
    fs.appendFileSync(file, line);
    this.invalidLines++;
  }
}

/** Strictly growing output counts ending at `final` (streamed copies of one response); needs final >= copies. */
function growingOutputs(rng: Rng, final: number, copies: number): number[] {
  const outputs: number[] = [];
  let previous = 0;
  for (let i = 0; i < copies - 1; i++) {
    const highest = final - (copies - 1 - i);
    const low = previous + 1;
    const high = Math.max(low, Math.min(highest, Math.floor((low + final) / 2)));
    previous = rng.int(low, high);
    outputs.push(previous);
  }
  outputs.push(final);
  return outputs;
}

// ---------------------------------------------------------------- buffered file writer

class ChunkedFileWriter implements Writer {
  private parts: string[] = [];
  private pending = 0;
  private written = 0;
  private readonly fd: number;

  constructor(file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, "w");
  }

  get bytes(): number {
    return this.written + this.pending;
  }

  line(text: string): number {
    this.parts.push(text, "\n");
    this.pending += text.length + 1; // the text is ASCII: chars = bytes
    if (this.pending >= 4 * MB) this.flush();
    return this.bytes;
  }

  close(): number {
    this.flush();
    fs.closeSync(this.fd);
    return this.written;
  }

  private flush(): void {
    if (this.pending === 0) return;
    fs.writeSync(this.fd, this.parts.join(""));
    this.written += this.pending;
    this.parts = [];
    this.pending = 0;
  }
}

// ---------------------------------------------------------------- the history

/** Writes a synthetic history under `opts.dir` and returns its deduplicated ground truth. */
export function generateHistory(opts: GenerateOptions): GeneratedHistory {
  const rng = new Rng(opts.seed);
  const days = opts.days ?? 60;
  const totalBytes = Math.max(2_000, Math.floor(opts.sizeMb * MB));
  const projectCount = opts.projects ?? clamp(Math.round(Math.sqrt(totalBytes / MB) * 1.1), 3, 24);
  const text = new TextSource(makeTextPool(rng, Math.min(12 * MB, Math.max(200_000, totalBytes / 4))), rng);
  const builder = new HistoryBuilder(
    rng,
    text,
    {
      missingRequestId: opts.missingRequestIdRatio ?? (opts.shape === "real" ? 0 : 0.05),
      nullCwd: opts.nullCwdRatio ?? 0.002,
      synthetic: opts.syntheticRatio ?? 0.01,
    },
    opts.shape === "real",
  );
  const projects = Array.from({ length: projectCount }, (_, i) => {
    const cwd = `/home/dev/src/${rng.pick(["app", "api", "web", "infra", "tools", "docs"])}-${i}`;
    return { cwd, encoded: cwd.replace(/[^A-Za-z0-9]/g, "-") };
  });
  const real = opts.shape === "real";
  const plans = real
    ? planRealFiles(rng, totalBytes, projectCount, opts.medianFileBytes ?? REAL_MAIN_MEDIAN_BYTES)
    : planFiles(rng, totalBytes, projectCount, opts.medianFileBytes ?? 100_000);
  const files: string[] = [];
  let bytesWritten = 0;
  let resumable: { project: number; lines: string[]; sessionId: string } | null = null;

  for (const [index, plan] of plans.entries()) {
    // A resumed session continues in the project of the session it copies.
    if (plan.resumes && resumable) plan.project = resumable.project;
    const project = projects[plan.project];
    const projectDir = path.join(opts.dir, "projects", project.encoded);
    if (plan.tiny) {
      const tinyFile = path.join(projectDir, `${plan.sessionId}.jsonl`);
      const tinyWriter = new ChunkedFileWriter(tinyFile);
      builder.tinyFile(tinyWriter);
      bytesWritten += tinyWriter.close();
      files.push(tinyFile);
      continue;
    }
    const ctx: SessionContext = {
      sessionId: plan.sessionId,
      cwd: project.cwd,
      project: project.encoded,
      gitBranch: rng.pick(["main", "main", "feature/forecast", "fix/ingest", ""]),
      version: rng.pick(VERSIONS),
      isSidechain: false,
      // The first sessions go through every model so that small histories have them all.
      model: index < ALL_SESSION_MODELS.length ? ALL_SESSION_MODELS[index] : sessionModel(rng),
      bedrock: real && rng.chance(0.06),
    };
    const giant = plan.targetBytes > 20 * MB;
    // Giants span a few days; ordinary sessions hours. Pick a start that keeps the end <= endMs.
    const spanGuessMs = giant ? 3 * DAY_MS : Math.min(2 * DAY_MS, (plan.targetBytes / 60_000) * 600_000);
    const earliest = opts.endMs - days * DAY_MS;
    const startMs =
      earliest + Math.floor(rng.next() * Math.max(0, days * DAY_MS - spanGuessMs - 3 * 3_600_000));
    const deadlineMs = opts.endMs - 2 * 3_600_000;
    const state: FileState = { ctx, timeMs: startMs, deadlineMs, parent: null };

    const file = path.join(projectDir, `${plan.sessionId}.jsonl`);
    const writer = new ChunkedFileWriter(file);
    const recorder = new RecordingWriter(writer, !giant && plan.targetBytes < 400_000);
    if (plan.resumes && resumable) {
      for (const line of resumable.lines) {
        recorder.line(
          line.split(`"sessionId":"${resumable.sessionId}"`).join(`"sessionId":"${ctx.sessionId}"`),
        );
        builder.copiedLine(line);
      }
      state.timeMs = Math.max(state.timeMs, lastTimestamp(resumable.lines) + 60_000);
    }
    const sessionStart = state.timeMs;
    builder.fillSession(recorder, state, plan.targetBytes, giant);
    bytesWritten += writer.close();
    files.push(file);
    if (state.timeMs > opts.endMs) throw new Error(`generator: session ran past --end (${file})`);
    if (rng.chance(0.03) || index === 1) builder.truncatedTail(file, state);
    if (recorder.lines)
      resumable = { project: plan.project, lines: recorder.lines, sessionId: ctx.sessionId };

    for (const subBytes of plan.subagents) {
      const agentId = rng.id(8).toLowerCase();
      const subFile = path.join(projectDir, plan.sessionId, "subagents", `agent-${agentId}.jsonl`);
      const subWriter = new ChunkedFileWriter(subFile);
      const subStart = sessionStart + Math.floor(rng.next() * Math.max(1, state.timeMs - sessionStart));
      const subState: FileState = {
        ctx: {
          ...ctx,
          isSidechain: true,
          agentId,
          model: rng.chance(0.5) ? GENERATOR_MODELS.haiku45 : ctx.model,
        },
        timeMs: subStart,
        deadlineMs,
        parent: null,
      };
      builder.fillSession(subWriter, subState, subBytes, false);
      bytesWritten += subWriter.close();
      files.push(subFile);
      if (subState.timeMs > opts.endMs) throw new Error(`generator: subagent ran past --end (${subFile})`);
    }
  }

  return {
    dir: opts.dir,
    files,
    bytesWritten,
    events: [...builder.events.values()].sort((a, b) => a.timestampMs - b.timestampMs),
    usageLinesWritten: builder.usageLinesWritten,
    invalidLines: builder.invalidLines,
    syntheticLines: builder.syntheticLines,
  };
}

/** Keeps the lines of small files so a later session can resume (copy) them. */
class RecordingWriter implements Writer {
  lines: string[] | null;
  constructor(
    private readonly inner: Writer,
    record: boolean,
  ) {
    this.lines = record ? [] : null;
  }
  get bytes(): number {
    return this.inner.bytes;
  }
  line(text: string): number {
    if (this.lines && !text.startsWith(`{"type":"summary"`) && isJson(text)) this.lines.push(text);
    return this.inner.line(text);
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function lastTimestamp(lines: string[]): number {
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = /"timestamp":"([^"]+)"/.exec(lines[i]);
    if (match) return Date.parse(match[1]);
  }
  return 0;
}

// ---------------------------------------------------------------- truth helpers

/**
 * YYYY-MM-DD of `ms` in `timezone`: Intl's own en-CA date, not core's `dayKey` (which
 * assembles the parts and caches by 15 minutes), so tests compare two implementations.
 */
export function truthDayKey(ms: number, timezone: string): string {
  return zonedFormatter("en-CA", timezone, { year: "numeric", month: "2-digit", day: "2-digit" }).format(ms);
}

/** Token totals of the counted events grouped by `keyOf` (day, model, ...), keys sorted. */
export function truthBy(
  events: readonly TruthEvent[],
  keyOf: (e: TruthEvent) => string,
): Map<string, TokenTruth> {
  const groups = new Map<string, TokenTruth & { modelSet: Set<string> }>();
  for (const e of events) {
    const key = keyOf(e);
    let g = groups.get(key);
    if (!g) {
      g = {
        inputTokens: 0,
        outputTokens: 0,
        cacheCreationTokens: 0,
        cacheReadTokens: 0,
        totalTokens: 0,
        events: 0,
        models: [],
        modelSet: new Set(),
      };
      groups.set(key, g);
    }
    g.inputTokens += e.inputTokens;
    g.outputTokens += e.outputTokens;
    g.cacheCreationTokens += e.cacheCreationTokens;
    g.cacheReadTokens += e.cacheReadTokens;
    g.totalTokens += e.inputTokens + e.outputTokens + e.cacheCreationTokens + e.cacheReadTokens;
    g.events++;
    g.modelSet.add(e.model);
  }
  const sorted = new Map<string, TokenTruth>();
  for (const key of [...groups.keys()].sort()) {
    const { modelSet, ...rest } = groups.get(key)!;
    sorted.set(key, { ...rest, models: [...modelSet].sort() });
  }
  return sorted;
}

export function truthByDay(events: readonly TruthEvent[], timezone: string): Map<string, TokenTruth> {
  return truthBy(events, (e) => truthDayKey(e.timestampMs, timezone));
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

// ---------------------------------------------------------------- command line

/** Summary written next to the data so a benchmark can reuse a history it generated before. */
/** Bumped whenever the generator's output changes, so cached benchmark data is regenerated. */
const GENERATOR_VERSION = 3;

export interface HistoryManifest {
  generatorVersion: number;
  sizeMb: number;
  seed: number;
  endMs: number;
  days: number;
  shape: HistoryShape;
  files: number;
  bytesWritten: number;
  events: number;
  usageLinesWritten: number;
  invalidLines: number;
  /** Ground truth per UTC day. */
  daysUtc: Record<string, TokenTruth>;
}

const MANIFEST_NAME = "quotacast-generator.json";

export function writeManifest(history: GeneratedHistory, opts: GenerateOptions): HistoryManifest {
  const manifest: HistoryManifest = {
    generatorVersion: GENERATOR_VERSION,
    sizeMb: opts.sizeMb,
    seed: opts.seed,
    endMs: opts.endMs,
    days: opts.days ?? 60,
    shape: opts.shape ?? "classic",
    files: history.files.length,
    bytesWritten: history.bytesWritten,
    events: history.events.length,
    usageLinesWritten: history.usageLinesWritten,
    invalidLines: history.invalidLines,
    daysUtc: Object.fromEntries(truthByDay(history.events, "UTC")),
  };
  fs.writeFileSync(path.join(opts.dir, MANIFEST_NAME), JSON.stringify(manifest, null, 1));
  return manifest;
}

/** The manifest of a history this generator version wrote with these options in `opts.dir`, or null. */
export function readMatchingManifest(opts: GenerateOptions): HistoryManifest | null {
  const manifestPath = path.join(opts.dir, MANIFEST_NAME);
  if (!fs.existsSync(manifestPath)) return null;
  const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as HistoryManifest;
  const matches =
    manifest.generatorVersion === GENERATOR_VERSION &&
    manifest.sizeMb === opts.sizeMb &&
    manifest.seed === opts.seed &&
    manifest.endMs === opts.endMs &&
    manifest.days === (opts.days ?? 60) &&
    manifest.shape === (opts.shape ?? "classic");
  return matches ? manifest : null;
}

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: "string" },
      "size-mb": { type: "string", default: "50" },
      seed: { type: "string", default: "1" },
      end: { type: "string" },
      days: { type: "string", default: "60" },
      shape: { type: "string", default: "classic" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help || !values.out) {
    process.stdout.write(
      "usage: tsx test/generators/transcripts.ts --out DIR [--size-mb 50] [--seed 1] [--end ISO] [--days 60] [--shape classic|real]\n",
    );
    return values.help ? 0 : 2;
  }
  const endMs = values.end ? Date.parse(values.end) : Date.now();
  const sizeMb = Number(values["size-mb"]);
  const seed = Number(values.seed);
  const days = Number(values.days);
  if (!Number.isFinite(endMs) || !(sizeMb > 0) || !Number.isInteger(seed) || !(days > 0)) {
    process.stderr.write(
      "transcripts: --end must be an ISO date, --size-mb and --days positive, --seed an integer\n",
    );
    return 2;
  }
  if (fs.existsSync(path.join(values.out, "projects"))) {
    process.stderr.write(`transcripts: ${values.out}/projects already exists; choose an empty --out\n`);
    return 2;
  }
  const started = Date.now();
  const shape = values.shape === "real" ? "real" : "classic";
  const opts: GenerateOptions = { dir: values.out, sizeMb, seed, endMs, days, shape };
  const history = generateHistory(opts);
  writeManifest(history, opts);
  process.stdout.write(
    `wrote ${history.files.length} files, ${(history.bytesWritten / MB).toFixed(1)} MB, ` +
      `${history.events.length} responses (${history.usageLinesWritten} usage lines) in ${Date.now() - started} ms\n`,
  );
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
