/** The live view's layout, without a terminal: widths, heights, and what each line says. */
import { FIVE_HOURS_MS, SEVEN_DAYS_MS, type Summary } from "@quotacast/core";
import { barCells } from "../../../exporter/src/terminal/bar";
import { plainText } from "../../../exporter/src/terminal/line";
import { DEFAULT_THRESHOLDS } from "../../../exporter/src/terminal/levels";
import { watchFrame } from "../../../exporter/src/terminal/watch-frame";
import { NOW_MS, summaryWith, windowSummary } from "./summary-fixture";

const frame = (summary: Summary, columns: number, rows: number, focus: "all" | "block" = "all") =>
  watchFrame(summary, {
    nowMs: NOW_MS,
    columns,
    rows,
    thresholds: DEFAULT_THRESHOLDS,
    focus,
    updatedAtMs: NOW_MS,
  }).map(plainText);

/** The 5-hour window at 42% and the 7-day one at `sevenDayRatio`. */
const fiveHourAnd7Day = (sevenDayRatio: number) =>
  summaryWith([
    windowSummary("five_hour", 0.42, FIVE_HOURS_MS),
    windowSummary("seven_day", sevenDayRatio, SEVEN_DAYS_MS),
  ]);

test("every line fits the width it is given, from 60 to 200 columns", () => {
  const summary = fiveHourAnd7Day(0.93);
  for (const columns of [60, 80, 100, 200]) {
    const lines = frame(summary, columns, 24);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns);
    expect(lines.join("\n")).toContain("42%");
  }
  // A wider terminal gets a longer bar.
  const barLength = (columns: number) => frame(summary, columns, 24)[2].replace(/[^█▒┃░]/g, "").length;
  expect(barLength(120)).toBeGreaterThan(barLength(80));
});

test("says burn against pace, reserve, the chance of running out, plan, organization and warnings", () => {
  const text = frame(fiveHourAnd7Day(0.93), 100, 30).join("\n");
  expect(text).toContain("Max 20x");
  expect(text).toMatch(/burn 20%\/h · pace to reset 23%\/h · reserve -30m/);
  expect(text).toMatch(/burn 480%\/day/);
  expect(text).toMatch(/limit ~13:30 \(in 1h30m\) · 60% chance of running out/);
  expect(text).not.toMatch(/1[0-9]{2}%/);
  expect(text).toContain("Organization $1,234 this month · projected $3,000 by month end");
  expect(text).toContain("! 7-day at 93%");
  expect(text).toContain("! 5-hour likely runs out in 1h30m, before its reset");
});

test("a short screen drops detail lines before anything else, never past its height", () => {
  const windows = ["five_hour", "seven_day", "seven_day_opus", "seven_day_sonnet"].map((w, i) =>
    windowSummary(w, 0.2 + i * 0.1, i === 0 ? FIVE_HOURS_MS : SEVEN_DAYS_MS),
  );
  const full = frame(summaryWith(windows), 80, 40);
  const short = frame(summaryWith(windows), 80, 24);
  expect(full.some((l) => l.includes("burn"))).toBe(true);
  expect(short.length).toBeLessThanOrEqual(24);
  expect(short.some((l) => l.includes("burn"))).toBe(false);
  expect(short.join("\n")).toContain("Sources");
  for (const w of ["5-hour", "7-day", "7-day Opus", "7-day Sonnet"])
    expect(short.some((l) => l.startsWith(w))).toBe(true);
});

test("blocks --live focuses on the 5-hour window and the block", () => {
  const lines = frame(fiveHourAnd7Day(0.5), 80, 24, "block");
  expect(lines.some((l) => l.startsWith("5-hour"))).toBe(true);
  expect(lines.some((l) => l.startsWith("7-day"))).toBe(false);
  expect(lines.some((l) => l.startsWith("Today"))).toBe(false);
  expect(lines.some((l) => l.startsWith("Block"))).toBe(true);
});

test("the bar fills the used share, shades the 80% range and marks the median", () => {
  expect(barCells({ usedRatio: 0.2, p10Ratio: 0.4, p50Ratio: 0.5, p90Ratio: 0.7 }, 10)).toEqual([
    "used",
    "used",
    "empty",
    "empty",
    "range",
    "median",
    "range",
    "empty",
    "empty",
    "empty",
  ]);
  expect(barCells({ usedRatio: 1.3 }, 4)).toEqual(["used", "used", "used", "used"]);
});
