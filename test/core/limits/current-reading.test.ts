import { FIVE_HOURS_MS, SEVEN_DAYS_MS, mergeSnapshots, type WindowReading } from "@quotacast/core";

const NOW_MS = Date.parse("2026-11-20T12:00:00.000Z");
const HOUR_MS = 3600_000;

function reading(window: string, windowLengthMs: number, ageMs: number, ratio: number): WindowReading {
  return {
    window,
    utilizationRatio: ratio,
    resetsAtMs: null,
    windowLengthMs,
    status: "unknown",
    source: "oauth",
    observedAtMs: NOW_MS - ageMs,
  };
}

describe("readings without a reset time", () => {
  test("one older than its window's length is history, not the current value", () => {
    const merged = mergeSnapshots(
      [
        {
          observedAtMs: NOW_MS - 72 * HOUR_MS,
          source: "oauth",
          windows: [
            reading("five_hour", FIVE_HOURS_MS, 72 * HOUR_MS, 0.92),
            reading("seven_day", SEVEN_DAYS_MS, 72 * HOUR_MS, 0.3),
          ],
        },
        {
          observedAtMs: NOW_MS - HOUR_MS,
          source: "statusline",
          windows: [reading("seven_day_opus", SEVEN_DAYS_MS, HOUR_MS, 0.1)],
        },
      ],
      NOW_MS,
    );
    expect(merged?.windows.map((w) => [w.window, w.utilizationRatio])).toEqual([
      ["seven_day", 0.3],
      ["seven_day_opus", 0.1],
    ]);
  });

  test("one younger than its window's length is current", () => {
    const merged = mergeSnapshots(
      [
        {
          observedAtMs: NOW_MS - HOUR_MS,
          source: "oauth",
          windows: [reading("five_hour", FIVE_HOURS_MS, 4 * HOUR_MS, 0.5)],
        },
      ],
      NOW_MS,
    );
    expect(merged?.windows.map((w) => w.utilizationRatio)).toEqual([0.5]);
  });
});
