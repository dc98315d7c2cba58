// Generated from core/src/ingest/parse.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
import {
  compileShape,
  NOT_JSON,
  readSparseJson,
  shapeKey,
  type ShapeKey,
  type SparseValues,
} from "./sparse-json";
import type { UsageEvent } from "./usage-event";

/** Where a line came from: fills the fields the line itself does not decide. */
export interface LineOrigin {
  project: string;
  /** Session from the path (file stem, or the session directory for subagent files). */
  sessionId: string;
  /** Key for a line without `message.id`: such lines are never merged with another line. */
  positionKey: string;
}

export type ParsedLine =
  | { kind: "event"; event: UsageEvent }
  /** Valid JSON that is not counted on purpose (no usage, zero-usage `<synthetic>`). */
  | { kind: "ignored" }
  | { kind: "invalid-json" }
  /** JSON with the wrong shape: null where a string is expected, negative tokens, bad timestamp. */
  | { kind: "malformed" };

/**
 * Bounds a counted line must fall within. A token count above MAX_TOKENS_PER_FIELD (far
 * above any real request, 1M-context included) or outside the safe integers, and a
 * timestamp before EARLIEST_TIMESTAMP_MS or after `notAfterMs`, make the line malformed:
 * one bad line must never turn totals, costs or dashboards into nonsense.
 */
const MAX_TOKENS_PER_FIELD = 10_000_000;
/** 2023-01-01T00:00:00Z: no Claude Code transcript is older. */
const EARLIEST_TIMESTAMP_MS = Date.UTC(2023, 0, 1);
/** How far ahead of the reader's clock a timestamp may be (clock skew between machines). */
const FUTURE_TOLERANCE_MS = 86_400_000;
/** A recorded `costUSD` above this (per message) is not believed and priced from tokens instead. */
const MAX_RECORDED_COST_USD = 10_000;

export interface LineBounds {
  /** Latest timestamp counted: the reader's clock plus FUTURE_TOLERANCE_MS. */
  notAfterMs: number;
}

/** The bounds for a read at `nowMs`. */
export function lineBoundsAt(nowMs: number): LineBounds {
  return { notAfterMs: nowMs + FUTURE_TOLERANCE_MS };
}

/** Model name used when a usage line has no `message.model` (its tokens still count). */
export const UNKNOWN_MODEL = "<unknown>";
export const SYNTHETIC_MODEL = "<synthetic>";

// Full ISO date-time; ccusage 20 drops lines whose timestamp is a bare date or garbage.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * One transcript line to a usage event. The rules follow ccusage 20 (checked against its
 * binary) so per-day totals compare: any line with `message.usage` counts whatever its
 * `type`; `isApiErrorMessage` lines count; a present field of the wrong type (null model,
 * null requestId, fractional or negative tokens) drops the line; a missing model counts.
 */
export function parseUsageLine(
  text: string,
  origin: LineOrigin,
  bounds: LineBounds = lineBoundsAt(Date.now()),
): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: "invalid-json" };
  }
  return usageFromLine(parsedFields(value), origin, bounds);
}

/** The fields of a line that `usageFromLine` reads: the rest of the line is never built. */
const USAGE_LINE_SHAPE = compileShape({
  timestamp: true,
  requestId: true,
  sessionId: true,
  isSidechain: true,
  costUSD: true,
  message: {
    id: true,
    model: true,
    usage: {
      input_tokens: true,
      output_tokens: true,
      cache_creation_input_tokens: true,
      cache_read_input_tokens: true,
      cache_creation: { ephemeral_5m_input_tokens: true, ephemeral_1h_input_tokens: true },
      speed: true,
    },
  },
});

const TIMESTAMP = shapeKey(USAGE_LINE_SHAPE, "timestamp");
const REQUEST_ID = shapeKey(USAGE_LINE_SHAPE, "requestId");
const SESSION_ID = shapeKey(USAGE_LINE_SHAPE, "sessionId");
const IS_SIDECHAIN = shapeKey(USAGE_LINE_SHAPE, "isSidechain");
const COST_USD = shapeKey(USAGE_LINE_SHAPE, "costUSD");
const MESSAGE = shapeKey(USAGE_LINE_SHAPE, "message");
const MESSAGE_ID = shapeKey(USAGE_LINE_SHAPE, "message", "id");
const MODEL = shapeKey(USAGE_LINE_SHAPE, "message", "model");
const USAGE = shapeKey(USAGE_LINE_SHAPE, "message", "usage");
const usageKey = (...path: string[]) => shapeKey(USAGE_LINE_SHAPE, "message", "usage", ...path);
const INPUT_TOKENS = usageKey("input_tokens");
const OUTPUT_TOKENS = usageKey("output_tokens");
const CACHE_CREATION_TOKENS = usageKey("cache_creation_input_tokens");
const CACHE_READ_TOKENS = usageKey("cache_read_input_tokens");
const CACHE_CREATION = usageKey("cache_creation");
const SPEED = usageKey("speed");
const CACHE_5M = usageKey("cache_creation", "ephemeral_5m_input_tokens");
const CACHE_1H = usageKey("cache_creation", "ephemeral_1h_input_tokens");

/**
 * `parseUsageLine` on the line's UTF-8 bytes (`bytes` from `start` to `end`), the way a scan
 * reads them: the same result for every line (the line is validated as JSON.parse would),
 * without building the message content that is most of its bytes, nor any object of the line.
 */
export function parseUsageLineBytes(
  bytes: Buffer,
  origin: LineOrigin,
  bounds: LineBounds = lineBoundsAt(Date.now()),
  start = 0,
  end = bytes.length,
): ParsedLine {
  const values = readSparseJson(bytes, USAGE_LINE_SHAPE, start, end);
  if (values === NOT_JSON || !values.valid()) return { kind: "invalid-json" };
  return usageFromLine(values, origin, bounds);
}

/** The fields of USAGE_LINE_SHAPE in a line, read from a sparse read or a JSON.parse'd value. */
type LineFields = Pick<SparseValues, "has" | "isObject" | "value" | "isString"> &
  Partial<Pick<SparseValues, "utcTimestampMs">>;

/** LineFields of a value JSON.parse built. */
function parsedFields(line: unknown): LineFields {
  const at = (key: ShapeKey | null): { found: boolean; value: unknown } => {
    let value = line;
    for (const name of key?.path ?? []) {
      if (!isRecord(value) || !Object.prototype.hasOwnProperty.call(value, name))
        return { found: false, value: undefined };
      value = value[name];
    }
    return { found: true, value };
  };
  return {
    has: (key) => at(key).found,
    isObject: (key) => isRecord(at(key).value),
    value: (key) => at(key).value,
    isString: (key) => typeof at(key).value === "string",
  };
}

/** A line's fields to its usage (the rules of `parseUsageLine`). */
function usageFromLine(line: LineFields, origin: LineOrigin, bounds: LineBounds): ParsedLine {
  if (!line.isObject(null)) return { kind: "malformed" };
  if (!line.isObject(MESSAGE) || !line.has(USAGE)) return { kind: "ignored" };
  if (!line.isObject(USAGE)) return { kind: "malformed" };

  const timestampMs = parseTimestamp(line, bounds);
  const messageId = optionalString(line, MESSAGE_ID);
  const requestId = optionalString(line, REQUEST_ID);
  const model = optionalString(line, MODEL);
  const inputTokens = tokenCount(line.value(INPUT_TOKENS), true);
  const outputTokens = tokenCount(line.value(OUTPUT_TOKENS), true);
  const cacheCreation1hTokens = cacheWrite1hTokens(line);
  const cacheCreationTokens = cacheWriteTokens(line, cacheCreation1hTokens);
  const cacheReadTokens = tokenCount(line.value(CACHE_READ_TOKENS), false);
  if (
    timestampMs === null ||
    messageId === INVALID ||
    requestId === INVALID ||
    model === INVALID ||
    (line.has(SESSION_ID) && !line.isString(SESSION_ID)) || // the path decides the session; a wrong type still drops the line
    inputTokens === null ||
    outputTokens === null ||
    cacheCreationTokens === null ||
    cacheCreation1hTokens === null ||
    cacheReadTokens === null
  ) {
    return { kind: "malformed" };
  }

  const modelName = model ?? UNKNOWN_MODEL;
  if (
    modelName === SYNTHETIC_MODEL &&
    inputTokens + outputTokens + cacheCreationTokens + cacheReadTokens === 0
  ) {
    return { kind: "ignored" };
  }

  const event: UsageEvent = {
    key: dedupKey(messageId, requestId) ?? origin.positionKey,
    timestampMs,
    model: modelName,
    sessionId: origin.sessionId,
    project: origin.project,
    inputTokens,
    outputTokens,
    cacheCreationTokens,
    cacheCreation1hTokens,
    cacheReadTokens,
    speed: line.value(SPEED) === "fast" ? "fast" : "standard",
    isSidechain: line.value(IS_SIDECHAIN) === true,
  };
  const recorded = line.value(COST_USD);
  if (typeof recorded === "number" && recorded >= 0 && recorded <= MAX_RECORDED_COST_USD)
    event.recordedCostUsd = recorded;
  return { kind: "event", event };
}

/** `message.id:requestId`, or `message.id` alone; null when the line has no message id. */
function dedupKey(messageId: string | undefined, requestId: string | undefined): string | null {
  if (messageId === undefined || messageId === "") return null;
  if (requestId === undefined || requestId === "") return messageId;
  // The copies of one response follow each other: the same key string again is one the
  // ledger's map has hashed already, and no new garbage.
  if (messageId !== lastKey.messageId || requestId !== lastKey.requestId) {
    lastKey.messageId = messageId;
    lastKey.requestId = requestId;
    lastKey.key = `${messageId}:${requestId}`;
  }
  return lastKey.key;
}

const lastKey = { messageId: "", requestId: "", key: "" };

const INVALID = Symbol("invalid");

function optionalString(line: LineFields, key: ShapeKey): string | undefined | typeof INVALID {
  if (!line.has(key)) return undefined;
  return line.isString(key) ? (line.value(key) as string) : INVALID;
}

function tokenCount(value: unknown, required: boolean): number | null {
  if (value === undefined) return required ? null : 0;
  return typeof value === "number" &&
    Number.isSafeInteger(value) &&
    value >= 0 &&
    value <= MAX_TOKENS_PER_FIELD
    ? value
    : null;
}

/**
 * Cache writes as ccusage 20 counts them: when the `cache_creation` breakdown is present,
 * its 5-minute plus 1-hour parts (they add up to `cache_creation_input_tokens` in real
 * transcripts); otherwise `cache_creation_input_tokens`, all at the 5-minute rate. `oneHour`
 * is the 1-hour part (`cacheWrite1hTokens`). Null when a count or the breakdown has the wrong shape.
 */
function cacheWriteTokens(line: LineFields, oneHour: number | null): number | null {
  const total = tokenCount(line.value(CACHE_CREATION_TOKENS), false);
  if (total === null) return null;
  if (!line.isObject(CACHE_CREATION)) {
    return !line.has(CACHE_CREATION) || line.value(CACHE_CREATION) === null ? total : null;
  }
  const fiveMinute = tokenCount(line.value(CACHE_5M), false);
  return fiveMinute === null || oneHour === null ? null : fiveMinute + oneHour;
}

/** The 1-hour part of the cache writes (0 without the breakdown); null when it has the wrong shape. */
function cacheWrite1hTokens(line: LineFields): number | null {
  return line.isObject(CACHE_CREATION) ? tokenCount(line.value(CACHE_1H), false) : 0;
}

function parseTimestamp(line: LineFields, bounds: LineBounds): number | null {
  // The sparse read has the usual form's time already (no string built); other forms are built.
  const ms = line.utcTimestampMs?.(TIMESTAMP) ?? timestampOf(line.value(TIMESTAMP));
  return ms !== null && ms >= EARLIEST_TIMESTAMP_MS && ms <= bounds.notAfterMs ? ms : null;
}

/**
 * A timestamp the sparse read did not take (the JSON.parse path, or escapes in the string):
 * Date.parse, which for the usual form gives what read_line's utc_timestamp_ms gives (checked on
 * every month and day of eleven years).
 */
function timestampOf(value: unknown): number | null {
  if (typeof value !== "string") return null;
  return ISO_DATE_TIME.test(value) ? Date.parse(value) : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
