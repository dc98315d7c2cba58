import {
  FileSnapshotHistory,
  groupIntoWindows,
  occurrenceKey,
  roundResetToMinute,
  FIVE_HOURS_MS,
  SEVEN_DAYS_MS,
  type RateLimitSnapshot,
  type WindowReading,
} from "@quotacast/core";
import { MemoryState } from "../../fakes/ports";

const T0 = Date.UTC(2026, 10, 1, 0, 0, 0);
const HOUR = 3600_000;

function reading(
  window: string,
  observedAtMs: number,
  ratio: number,
  resetsAtMs: number | null,
): WindowReading {
  return {
    window,
    utilizationRatio: ratio,
    resetsAtMs,
    windowLengthMs: window === "five_hour" ? FIVE_HOURS_MS : SEVEN_DAYS_MS,
    status: "unknown",
    source: "oauth",
    observedAtMs,
  };
}

const snap = (observedAtMs: number, windows: WindowReading[]): RateLimitSnapshot => ({
  observedAtMs,
  source: "oauth",
  windows,
});

describe("groupIntoWindows", () => {
  test("jittering resets (seconds, across a minute boundary) stay one window; a new reset starts another", () => {
    const reset1 = T0 + 5 * HOUR;
    const readings = [
      reading("five_hour", T0 + 10 * 60_000, 0.1, reset1 - 700),
      reading("five_hour", T0 + 20 * 60_000, 0.3, reset1 + 900),
      reading("five_hour", T0 + 30 * 60_000, 0.25, reset1 + 30_000),
      reading("five_hour", T0 + 6 * HOUR, 0.05, T0 + 11 * HOUR + 1234),
    ];
    const groups = groupIntoWindows(readings);
    expect(groups).toHaveLength(2);
    expect(groups[0]).toMatchObject({
      window: "five_hour",
      resetsAtMs: reset1,
      startsAtMs: reset1 - FIVE_HOURS_MS,
      maxUtilizationRatio: 0.3,
    });
    expect(groups[0].readings.map((r) => r.utilizationRatio)).toEqual([0.1, 0.3, 0.25]);
    expect(groups[1].resetsAtMs).toBe(T0 + 11 * HOUR);
    expect(groups[1].readings).toHaveLength(1);
  });

  test("resets more than 2 minutes apart are different windows; windows are grouped per name", () => {
    const groups = groupIntoWindows([
      reading("five_hour", T0, 0.5, T0 + 5 * HOUR),
      reading("five_hour", T0 + 60_000, 0.5, T0 + 5 * HOUR + 3 * 60_000),
      reading("seven_day", T0, 0.2, T0 + 5 * HOUR),
      reading("seven_day", T0 + 1, 0.2, null),
    ]);
    expect(groups.map((g) => [g.window, g.resetsAtMs])).toEqual([
      ["five_hour", T0 + 5 * HOUR],
      ["five_hour", T0 + 5 * HOUR + 3 * 60_000],
      ["seven_day", T0 + 5 * HOUR],
    ]);
  });

  test("input order does not matter", () => {
    const readings = [
      reading("five_hour", T0 + 3, 0.3, T0 + HOUR + 1000),
      reading("five_hour", T0 + 1, 0.1, T0 + HOUR),
      reading("five_hour", T0 + 2, 0.2, T0 + HOUR - 1000),
    ];
    const groups = groupIntoWindows(readings);
    expect(groups).toHaveLength(1);
    expect(groups[0].readings.map((r) => r.observedAtMs)).toEqual([T0 + 1, T0 + 2, T0 + 3]);
  });

  test("keys and rounding", () => {
    expect(roundResetToMinute(T0 + 29_999)).toBe(T0);
    expect(roundResetToMinute(T0 + 30_000)).toBe(T0 + 60_000);
    expect(occurrenceKey("five_hour", T0 + 5 * HOUR)).toBe("five_hour@2026-11-01T05:00Z");
  });
});

describe("FileSnapshotHistory", () => {
  test("appends, queries, lists completed windows with their final value, prunes", async () => {
    const state = new MemoryState();
    const history = new FileSnapshotHistory(state);
    const reset1 = T0 + 5 * HOUR;
    const reset2 = T0 + 10 * HOUR;
    for (let i = 0; i < 10; i++) {
      const at = T0 + i * HOUR;
      const reset = at < reset1 ? reset1 + (i % 2) * 1500 : reset2;
      const ratio = at < reset1 ? 0.1 * (i + 1) : 0.05 * (i - 4);
      await history.append(
        snap(at, [reading("five_hour", at, ratio, reset), reading("seven_day", at, 0.2, T0 + 6 * 86400_000)]),
      );
    }
    const fiveHour = await history.readings({ window: "five_hour", fromMs: T0, toMs: T0 + 10 * HOUR });
    expect(fiveHour).toHaveLength(10);
    expect(
      await history.readings({ window: "five_hour", fromMs: T0 + 2 * HOUR, toMs: T0 + 3 * HOUR }),
    ).toHaveLength(2);
    // seven_day never changed: stored once.
    expect(await history.readings({ window: "seven_day", fromMs: 0, toMs: Infinity })).toHaveLength(1);

    const completed = await history.completedWindows("five_hour", T0 + 10 * HOUR + 1);
    expect(completed.map((c) => [c.resetsAtMs, c.maxUtilizationRatio, c.readings.length])).toEqual([
      [reset1, 0.5, 5],
      [reset2, 0.25, 5],
    ]);
    expect(await history.completedWindows("five_hour", T0 + 9 * HOUR)).toHaveLength(1);
    expect(await history.completedWindows("five_hour", T0 + 11 * HOUR, reset1)).toHaveLength(1);

    // Survives a restart (a new instance over the same state).
    const reopened = new FileSnapshotHistory(state);
    expect(await reopened.readings({ window: "five_hour", fromMs: 0, toMs: Infinity })).toEqual(fiveHour);

    expect(await reopened.prune(T0 + 10 * HOUR, HOUR)).toBe(10);
    expect(await reopened.readings({ window: "five_hour", fromMs: 0, toMs: Infinity })).toHaveLength(1);
    expect(
      await new FileSnapshotHistory(state).readings({ window: "five_hour", fromMs: 0, toMs: Infinity }),
    ).toHaveLength(1);
  });

  test("default retention is 180 days; damaged lines lose only themselves; storage is compact", async () => {
    const state = new MemoryState();
    const history = new FileSnapshotHistory(state);
    await history.append(snap(T0, [reading("five_hour", T0, 0.1, T0 + HOUR)]));
    await history.append(snap(T0 + 181 * 86400_000, [reading("five_hour", T0 + 181 * 86400_000, 0.2, null)]));
    expect(await history.prune(T0 + 181 * 86400_000)).toBe(1);

    const key = [...state.values.keys()][0];
    state.values.set(key, `${state.values.get(key)}\n{broken\n[1]`);
    const reopened = new FileSnapshotHistory(state);
    expect(await reopened.readings({ window: "five_hour", fromMs: 0, toMs: Infinity })).toHaveLength(1);
    // Compact: well under 100 bytes per reading.
    expect(state.values.get(key)!.split("\n")[0].length).toBeLessThan(100);
  });

  test("keeps model scope", async () => {
    const history = new FileSnapshotHistory(new MemoryState());
    const scoped = {
      ...reading("seven_day_sonnet_4_5", T0, 0.4, T0 + HOUR),
      scopeModel: { id: "claude-sonnet-4-5", displayName: "Sonnet 4.5" },
    };
    await history.append(snap(T0, [scoped]));
    const [completed] = await history.completedWindows("seven_day_sonnet_4_5", T0 + 2 * HOUR);
    expect(completed.scopeModel).toEqual({ id: "claude-sonnet-4-5", displayName: "Sonnet 4.5" });
  });
});
