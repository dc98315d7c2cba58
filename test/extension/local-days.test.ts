import { spawnSync } from "node:child_process";
import * as path from "node:path";
import * as esbuild from "esbuild";
import { declareLocalTimeZone, utcOffsetMinutesWithoutIntl } from "../../extension/vendor/core/time";

afterEach(() => declareLocalTimeZone(null));

/**
 * Runs in a child process with TZ set (jest's process.env is a copy: setting TZ in it does not
 * reach V8's clock), core's day and offset functions bundled as the extension ships them: for
 * each instant, the answer with the zone declared local (Date's local time) and without (Intl).
 */
function compareInZone(zone: string, instantsMs: number[]): { dateWay: unknown[]; intlWay: unknown[] } {
  const entry = `
    const { dayKey } = require("./extension/vendor/core/usage");
    const { declareLocalTimeZone, utcOffsetMinutesWithoutIntl } = require("./extension/vendor/core/time");
    const { recentSpendPrior } = require("./extension/vendor/core/forecast/current");
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone; // ICU's name for TZ (Asia/Katmandu)
    const instants = ${JSON.stringify(instantsMs)};
    // The prior's hour-of-week offset is core's utcOffsetMinutes: read it back from the prior.
    const offsetOf = (ms) => recentSpendPrior([{ timestampMs: ms - 2 * 86400000, costUsd: 1, tokens: 1 }], ms, zone)?.utcOffsetMinutes;
    const answers = () => instants.map((ms) => [dayKey(ms, zone), offsetOf(ms)]);
    const intlWay = answers();
    declareLocalTimeZone(zone);
    if (utcOffsetMinutesWithoutIntl(zone, instants[0]) === null) throw new Error("not declared");
    // dayKey caches per zone name: a second name for the same zone gives the Date way fresh.
    const dateWay = instants.map((ms) => {
      const offset = utcOffsetMinutesWithoutIntl(zone, ms);
      return [new Date(ms + offset * 60000).toISOString().slice(0, 10), offsetOf(ms)];
    });
    process.stdout.write(JSON.stringify({ dateWay, intlWay }));
  `;
  const code = esbuild.buildSync({
    stdin: { contents: entry, resolveDir: path.resolve(__dirname, "../.."), loader: "js" },
    bundle: true,
    platform: "node",
    format: "cjs",
    write: false,
    logLevel: "silent",
  }).outputFiles[0].text;
  const run = spawnSync(process.execPath, ["-"], {
    input: code, // on stdin: the bundle is too long for a command line
    env: { PATH: process.env.PATH, TZ: zone },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(run.stderr || String(run.error));
  return JSON.parse(run.stdout);
}

describe("calendar days in the declared local zone (Date's local time, no Intl formatter)", () => {
  // Zones with :30 and :45 offsets or a 30-minute DST; four days around each 2026 DST change
  // of these zones (US, EU, Lord Howe), every 15 minutes.
  const zones = ["Europe/Paris", "America/New_York", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe"];
  const changesMs = [
    [2, 8],
    [2, 29],
    [3, 5],
    [9, 4],
    [9, 25],
    [10, 1],
  ].map(([month, day]) => Date.UTC(2026, month, day));
  const instantsMs = changesMs.flatMap((changeMs) =>
    Array.from({ length: 4 * 24 * 4 }, (_, i) => changeMs - 2 * 86_400_000 + i * 15 * 60_000 + 7 * 60_000),
  );

  it.each(zones)("are the days and UTC offsets that Intl gives in %s", (zone) => {
    const { dateWay, intlWay } = compareInZone(zone, instantsMs);
    expect(dateWay).toEqual(intlWay);
    expect(new Set(intlWay.map((answer) => (answer as [string, number])[1])).size).toBeGreaterThan(0);
    expect(intlWay.every((answer) => typeof (answer as [string, number])[1] === "number")).toBe(true);
  });

  it("knows UTC without a declaration", () => {
    expect(utcOffsetMinutesWithoutIntl("UTC", Date.now())).toBe(0);
    expect(utcOffsetMinutesWithoutIntl("Etc/UTC", Date.now())).toBe(0);
  });
});
