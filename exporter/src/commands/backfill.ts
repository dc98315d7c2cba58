/**
 * `quotacast backfill`: the transcript and rate-limit history as OpenMetrics text for
 * `promtool tsdb create-blocks-from openmetrics`, so Prometheus has the months before the
 * exporter was first scraped. See docs/backfill.md.
 */
import { parseCommandArgs } from "../args";
import { assertTimezone } from "../backfill/day-boundaries";
import { parseDurationMs, parseInstantMs, parseLabels } from "../backfill/args";
import { MIN_STEP_MS, renderBackfill } from "../backfill/openmetrics";
import { loadBackfillHistory } from "../backfill/sources";
import { writeChunks, writeFileAtomically } from "../backfill/write";
import { parseServeArgs } from "../config";

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
      --label NAME=VALUE   add a label to every series, repeatable (instance=..., job=...)
                           so backfilled series match the scraped ones
      --no-db              ignore the exporter's database: read the transcripts only

  shared with 'quotacast serve' (same flags, QUOTACAST_* variables and config file):
      --db.path FILE       the exporter's database, used when it exists (default
                           ~/.local/share/quotacast/quotacast.db); it keeps the messages
                           of transcripts deleted since, and the rate-limit history
      --claude.config-dir DIR  Claude config dir, repeatable (default: discovered)
      --timezone ZONE      IANA zone of the day boundaries (default: the system's)
      --config.file FILE   the exporter's configuration file
  -h, --help               this help
`;

/** Flags whose meaning (and environment and config-file defaults) are serve's own. */
const SHARED_WITH_SERVE = {
  "db.path": { type: "string" },
  "claude.config-dir": { type: "string", multiple: true },
  timezone: { type: "string" },
  "config.file": { type: "string" },
} as const;

/** Serve's view of the shared flags: flags > QUOTACAST_* environment > config file > defaults. */
function serveSettings(values: Record<string, unknown>) {
  const forwarded = Object.keys(SHARED_WITH_SERVE).flatMap((flag) => {
    const value = values[flag];
    const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
    return list.map((v) => `--${flag}=${String(v)}`);
  });
  const parsed = parseServeArgs(forwarded);
  if (parsed.help) throw new Error("unexpected --help");
  return parsed.config;
}

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandArgs({
      args: argv,
      options: {
        output: { type: "string", short: "o" },
        until: { type: "string" },
        since: { type: "string" },
        step: { type: "string", default: DEFAULT_STEP },
        label: { type: "string", multiple: true, default: [] },
        "no-db": { type: "boolean", default: false },
        ...SHARED_WITH_SERVE,
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
  let sources;
  try {
    const nowMs = Date.now();
    const stepMs = parseDurationMs(values.step);
    if (stepMs < MIN_STEP_MS) throw new Error(`--step must be at least ${MIN_STEP_MS / 1000}s`);
    const serve = serveSettings(values);
    const timezone = serve.timezone;
    assertTimezone(timezone);
    const untilMs =
      values.until !== undefined ? parseInstantMs(values.until, nowMs) : nowMs - DEFAULT_UNTIL_MARGIN_MS;
    const sinceMs = values.since !== undefined ? parseInstantMs(values.since, nowMs) : undefined;
    if (sinceMs !== undefined && sinceMs > untilMs) throw new Error("--since is after --until");
    options = { stepMs, timezone, untilMs, sinceMs, extraLabels: parseLabels(values.label) };
    sources = {
      dbPath: values["no-db"] ? null : (serve.dbPath ?? undefined),
      configDirs: serve.claudeConfigDirs.length > 0 ? serve.claudeConfigDirs : undefined,
    };
  } catch (err) {
    process.stderr.write(`quotacast backfill: ${(err as Error).message}\n`);
    return 2;
  }

  const history = await loadBackfillHistory({ ...sources, untilMs: options.untilMs });
  process.stderr.write(
    `quotacast backfill: ${history.events.length} messages, ${history.readings.length} rate-limit readings ` +
      `(${history.origin}), until ${new Date(options.untilMs).toISOString()}\n`,
  );
  const chunks = renderBackfill({
    ...options,
    events: history.events,
    readings: history.readings,
    prices: history.prices,
  });
  if (values.output !== undefined) await writeFileAtomically(values.output, chunks);
  else await writeChunks(chunks, process.stdout);
  return 0;
}
