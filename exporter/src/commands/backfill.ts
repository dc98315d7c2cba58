/**
 * `quotacast backfill`: the transcript and rate-limit history as OpenMetrics text for
 * `promtool tsdb create-blocks-from openmetrics`, so Prometheus has the months before the
 * exporter was first scraped. See docs/backfill.md.
 */
import { parseArgs } from "node:util";
import { assertTimezone } from "../backfill/day-boundaries";
import { parseDurationMs, parseInstantMs, parseLabels } from "../backfill/args";
import { MIN_STEP_MS, renderBackfill } from "../backfill/openmetrics";
import { loadBackfillHistory } from "../backfill/sources";
import { writeChunks, writeFileAtomically } from "../backfill/write";

/**
 * Default end of the backfill: this long before now, so the written blocks end before the
 * samples that live scrapes hold in Prometheus's head block (up to about 3 hours).
 */
export const DEFAULT_UNTIL_MARGIN_MS = 3 * 3600_000;
export const DEFAULT_STEP = "5m";

const USAGE = `usage: quotacast backfill [options] > quotacast.om

Writes the usage and rate-limit history as OpenMetrics text with timestamps, for
  promtool tsdb create-blocks-from openmetrics quotacast.om DATA_DIR

options:
  -o, --output FILE        write to FILE instead of stdout
      --until TIME         last sample (default: now-3h, before the live exporter's data);
                           now, now-6h, epoch seconds or ISO 8601
      --since TIME         first sample (counters still count from the start of history)
      --step DURATION      spacing of counter samples (default ${DEFAULT_STEP}); every local
                           midnight gets a sample too
      --timezone ZONE      IANA zone of the day boundaries (default: this machine's)
      --label NAME=VALUE   add a label to every series, repeatable (instance=..., job=...)
                           so backfilled series match the scraped ones
      --db.path FILE       the exporter's database (default: the exporter's default path);
                           its events include transcripts deleted since
      --no-db              ignore the database: read the transcripts only
      --config-dir DIR     Claude config dir, repeatable (default: CLAUDE_CONFIG_DIR,
                           ~/.config/claude, ~/.claude)
  -h, --help               this help
`;

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        output: { type: "string", short: "o" },
        until: { type: "string" },
        since: { type: "string" },
        step: { type: "string", default: DEFAULT_STEP },
        timezone: { type: "string" },
        label: { type: "string", multiple: true, default: [] },
        "db.path": { type: "string" },
        "no-db": { type: "boolean", default: false },
        "config-dir": { type: "string", multiple: true },
        help: { type: "boolean", short: "h", default: false },
      },
      allowPositionals: false,
    });
  } catch (err) {
    process.stderr.write(`quotacast backfill: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  let options;
  try {
    const nowMs = Date.now();
    const stepMs = parseDurationMs(values.step);
    if (stepMs < MIN_STEP_MS) throw new Error(`--step must be at least ${MIN_STEP_MS / 1000}s`);
    const timezone = values.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    assertTimezone(timezone);
    const untilMs = values.until !== undefined ? parseInstantMs(values.until, nowMs) : nowMs - DEFAULT_UNTIL_MARGIN_MS;
    const sinceMs = values.since !== undefined ? parseInstantMs(values.since, nowMs) : undefined;
    if (sinceMs !== undefined && sinceMs > untilMs) throw new Error("--since is after --until");
    options = { stepMs, timezone, untilMs, sinceMs, extraLabels: parseLabels(values.label) };
  } catch (err) {
    process.stderr.write(`quotacast backfill: ${(err as Error).message}\n`);
    return 2;
  }

  const history = await loadBackfillHistory({
    dbPath: values["no-db"] ? null : values["db.path"],
    configDirs: values["config-dir"],
  });
  process.stderr.write(
    `quotacast backfill: ${history.events.length} messages, ${history.readings.length} rate-limit readings ` +
      `(${history.origin}), until ${new Date(options.untilMs).toISOString()}\n`,
  );
  const chunks = renderBackfill({ ...options, events: history.events, readings: history.readings, prices: history.prices });
  if (values.output !== undefined) await writeFileAtomically(values.output, chunks);
  else await writeChunks(chunks, process.stdout);
  return 0;
}
