// Generated from core/src/ingest/packed-events.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * Usage events packed for the trip from a scan worker to the ledger's thread: numbers in
 * one Float64Array and string references in one Uint32Array (both transferred, not copied),
 * the few distinct models, sessions and projects once each. The Raycast extension's event
 * logs store the same layout on disk. Cloning plain objects cost the
 * workers about a tenth of a cold scan and the ledger's thread as much again to rebuild
 * them (CPU profile of `quotacast daily` on a 500 MB history).
 */
import type { UsageEvent } from "./usage-event";

export interface PackedEvents {
  keys: string[];
  /** Models, sessions and projects, each distinct string once. */
  strings: string[];
  /** Per event: indexes into `strings` of its model, session and project. */
  refs: Uint32Array;
  /** Per event: time, the five token counts, recorded cost (NaN: none), flags (fast, sidechain). */
  numbers: Float64Array;
}

/** Numbers per event in `numbers`; `refs` holds three per event. */
export const NUMBER_FIELDS = 8;
export const REF_FIELDS = 3;
const FAST = 1;
const SIDECHAIN = 2;

/**
 * Every field of UsageEvent and where it goes: adding a field to UsageEvent fails the type
 * check here until packing stores it (and the extension's EVENT_LOG_VERSION, whose
 * event logs hold this layout on disk, is bumped).
 */
const STORED_FIELDS: { [field in keyof Required<UsageEvent>]: "number" | "ref" | "key" | "flag" } = {
  key: "key",
  timestampMs: "number",
  model: "ref",
  sessionId: "ref",
  project: "ref",
  inputTokens: "number",
  outputTokens: "number",
  cacheCreationTokens: "number",
  cacheCreation1hTokens: "number",
  cacheReadTokens: "number",
  speed: "flag",
  isSidechain: "flag",
  recordedCostUsd: "number",
};
void STORED_FIELDS;

export function packEvents(events: readonly UsageEvent[]): PackedEvents {
  const strings: string[] = [];
  const indexOf = new Map<string, number>();
  const ref = (value: string): number => {
    let index = indexOf.get(value);
    if (index === undefined) {
      index = strings.push(value) - 1;
      indexOf.set(value, index);
    }
    return index;
  };
  const refs = new Uint32Array(events.length * REF_FIELDS);
  const numbers = new Float64Array(events.length * NUMBER_FIELDS);
  events.forEach((e, i) => {
    refs[i * REF_FIELDS] = ref(e.model);
    refs[i * REF_FIELDS + 1] = ref(e.sessionId);
    refs[i * REF_FIELDS + 2] = ref(e.project);
    const n = i * NUMBER_FIELDS;
    numbers[n] = e.timestampMs;
    numbers[n + 1] = e.inputTokens;
    numbers[n + 2] = e.outputTokens;
    numbers[n + 3] = e.cacheCreationTokens;
    numbers[n + 4] = e.cacheCreation1hTokens;
    numbers[n + 5] = e.cacheReadTokens;
    numbers[n + 6] = e.recordedCostUsd ?? Number.NaN;
    numbers[n + 7] = (e.speed === "fast" ? FAST : 0) | (e.isSidechain ? SIDECHAIN : 0);
  });
  return { keys: events.map((e) => e.key), strings, refs, numbers };
}

export function unpackEvents(packed: PackedEvents): UsageEvent[] {
  return packed.keys.map((_, i) => unpackEvent(packed, i));
}

/** The time of event `i`, read before it is built (a reader that skips old events builds none of them). */
export function packedTimestampMs(packed: PackedEvents, i: number): number {
  return packed.numbers[i * NUMBER_FIELDS];
}

/** Event `i` of `packed`. */
export function unpackEvent(packed: PackedEvents, i: number): UsageEvent {
  const { keys, strings, refs, numbers } = packed;
  const n = i * NUMBER_FIELDS;
  const flags = numbers[n + 7];
  const event: UsageEvent = {
    key: keys[i],
    timestampMs: numbers[n],
    model: strings[refs[i * REF_FIELDS]],
    sessionId: strings[refs[i * REF_FIELDS + 1]],
    project: strings[refs[i * REF_FIELDS + 2]],
    inputTokens: numbers[n + 1],
    outputTokens: numbers[n + 2],
    cacheCreationTokens: numbers[n + 3],
    cacheCreation1hTokens: numbers[n + 4],
    cacheReadTokens: numbers[n + 5],
    speed: flags & FAST ? "fast" : "standard",
    isSidechain: (flags & SIDECHAIN) !== 0,
  };
  if (!Number.isNaN(numbers[n + 6])) event.recordedCostUsd = numbers[n + 6];
  return event;
}

/** The buffers to transfer with a message that carries `packed`. */
export function packedBuffers(packed: PackedEvents): ArrayBuffer[] {
  return [packed.refs.buffer as ArrayBuffer, packed.numbers.buffer as ArrayBuffer];
}
