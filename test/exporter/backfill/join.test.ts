/**
 * The join: the backfill's last samples are the live exporter's counter values for the same
 * database, series for series, so increase() across backfilled and scraped data counts nothing twice.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run } from "../../../exporter/src/commands/backfill";
import { generateHistory } from "../../generators/transcripts";
import { samples, scrape, startForTest, testConfig } from "../serve/helpers";
import { parseExposition } from "./parse-om";

const END_MS = Date.UTC(2026, 9, 8, 12);
const COUNTERS = ["quotacast_tokens_total", "quotacast_cost_usd_total", "quotacast_messages_total"];

test("the backfill ends at the live exporter's counter values, even after transcripts are deleted", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quotacast-backfill-join-"));
  try {
    const config = testConfig(dir);
    const generated = generateHistory({
      dir: config.claudeConfigDirs[0],
      sizeMb: 0.8,
      seed: 21,
      endMs: END_MS,
      days: 4,
    });
    const exporter = await startForTest(config);
    let live: Map<string, number>;
    try {
      live = samples(await scrape(exporter.url));
    } finally {
      await exporter.stop();
    }
    const liveCounters = new Map(
      [...live].filter(([key]) => COUNTERS.some((name) => key.startsWith(`${name}{`))),
    );
    expect(liveCounters.size).toBeGreaterThan(10);

    // Claude Code cleans up old transcripts; the database still has their messages.
    for (const file of generated.files.slice(0, Math.ceil(generated.files.length / 3))) fs.rmSync(file);
    const out = path.join(dir, "backfill.om");
    const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const code = await run([
        `--db.path=${config.dbPath}`,
        `--claude.config-dir=${config.claudeConfigDirs[0]}`,
        "--timezone=UTC",
        `--until=${new Date(END_MS + 3_600_000).toISOString()}`,
        `--output=${out}`,
      ]);
      expect(code).toBe(0);
    } finally {
      stderr.mockRestore();
    }

    const lastValues = new Map<string, number>();
    for (const sample of parseExposition(fs.readFileSync(out, "utf8")).samples) {
      if (COUNTERS.includes(sample.name)) lastValues.set(sample.series, sample.value);
    }
    expect([...lastValues.keys()].sort()).toEqual([...liveCounters.keys()].sort());
    for (const [series, value] of liveCounters) {
      expect(Math.abs((lastValues.get(series) ?? NaN) - value)).toBeLessThanOrEqual(
        1e-9 * Math.max(1, value),
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
