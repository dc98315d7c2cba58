// Generated from core/src/ingest/packed-events.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * Usage events packed for the trip from a scan worker to the ledger's thread: numbers in
 * one Float64Array and string references in one Uint32Array (both transferred, not copied),
 * the few distinct models, sessions and projects once each. Cloning plain objects cost the
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

const NUMBER_FIELDS = 8;
const FAST = 1;
const SIDECHAIN = 2;

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
  const refs = new Uint32Array(events.length * 3);
  const numbers = new Float64Array(events.length * NUMBER_FIELDS);
  events.forEach((e, i) => {
    refs[i * 3] = ref(e.model);
    refs[i * 3 + 1] = ref(e.sessionId);
    refs[i * 3 + 2] = ref(e.project);
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
  const { keys, strings, refs, numbers } = packed;
  return keys.map((key, i) => {
    const n = i * NUMBER_FIELDS;
    const flags = numbers[n + 7];
    const event: UsageEvent = {
      key,
      timestampMs: numbers[n],
      model: strings[refs[i * 3]],
      sessionId: strings[refs[i * 3 + 1]],
      project: strings[refs[i * 3 + 2]],
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
  });
}

/** The buffers to transfer with a message that carries `packed`. */
export function packedBuffers(packed: PackedEvents): ArrayBuffer[] {
  return [packed.refs.buffer as ArrayBuffer, packed.numbers.buffer as ArrayBuffer];
}
