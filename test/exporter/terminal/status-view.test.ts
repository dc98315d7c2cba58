/** `quotacast status` on a Summary with every source: what it says, in colour or not, at each width. */
import { FIVE_HOURS_MS, SEVEN_DAYS_MS } from "@quotacast/core";
import { renderStatus } from "../../../exporter/src/commands/status";
import { createStyle } from "../../../exporter/src/terminal/style";
import { ALL_SOURCES, summaryWith, windowSummary } from "./summary-fixture";

const ESC = String.fromCharCode(27);

function everySourceSummary() {
  return {
    ...summaryWith([
      windowSummary("five_hour", 0.42, FIVE_HOURS_MS),
      windowSummary("seven_day", 0.81, SEVEN_DAYS_MS),
    ]),
    sources: ALL_SOURCES,
    extraUsage: { isEnabled: true, monthlyLimit: 50, used: 12.5, currency: "USD", utilizationRatio: 0.25 },
  };
}

test("shows burn, pace, reserve, plan, extra usage, the organization and every source", () => {
  const text = renderStatus(everySourceSummary(), { columns: 120 });
  expect(text).toContain("Rate limits · Max 20x plan");
  expect(text).toMatch(/burn 20%\/h · pace to reset 23%\/h · reserve -30m/);
  expect(text).toMatch(/burn 480%\/day · pace to reset \d+(\.\d)?%\/day · reserve -30m/);
  expect(text).toContain("Extra usage  12.50 USD of 50.00 USD this month (25%)");
  expect(text).toContain("Organization $1,234 this month · projected $3,000 by month end");
  for (const source of [
    "transcripts ok",
    "statusline ok",
    "oauth backoff",
    "header-file missing",
    "admin ok",
  ]) {
    expect(text).toContain(source);
  }
  expect(text).toContain("rate limited; next try in 4m");
  expect(text).toContain("! 7-day at 81%");
  expect(text).not.toContain(ESC);
});

test("fits the width it is given and colours thresholds only when asked", () => {
  for (const columns of [80, 100, 160]) {
    for (const line of renderStatus(everySourceSummary(), { columns }).split("\n")) {
      expect(line.length).toBeLessThanOrEqual(columns);
    }
  }
  const coloured = renderStatus(everySourceSummary(), { columns: 100, style: createStyle(true) });
  // The 7-day window is past the warning threshold (75%): yellow; the 5-hour one is green.
  expect(coloured).toMatch(new RegExp(`${ESC}\\[33m\\s*81%`));
  expect(coloured).toMatch(new RegExp(`${ESC}\\[32m\\s*42%`));
});
