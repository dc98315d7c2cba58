/**
 * The flags the Summary commands (`status`, `watch`) share: time zone, config dirs,
 * colour, help, and one `--<name>` per registered opt-in rate-limit source, derived from
 * core's source list, so adding a source adds its flag.
 */
import { checkedSystemZone, checkGivenZone } from "./zone";
import { claudeConfigDirs, type LimitsConfig, type SourceDefinition } from "@quotacast/core";
import { limitsConfigFor, registeredSources } from "@quotacast/core/limits/sources";

/** Sources off by default: each gets a flag that turns it on. */
function optInSources(): SourceDefinition[] {
  return registeredSources().filter((d) => !d.enabledByDefault);
}

/** `parseArgs` options: one boolean per opt-in source. */
function sourceFlagOptions(): Record<string, { type: "boolean"; default: false }> {
  return Object.fromEntries(optInSources().map((d) => [d.name, { type: "boolean", default: false }]));
}

/** Help lines, `prefix--name` padded to `width`, then the source's description. */
export function sourceFlagsHelp(prefix: string, width: number): string {
  return optInSources()
    .map((d) => `${prefix}--${d.name.padEnd(width)} also ask ${d.description}\n`)
    .join("");
}

/** A flag turns its source on; every other source keeps its own default. */
function limitsConfigFromFlags(values: Readonly<Record<string, unknown>>): LimitsConfig {
  return limitsConfigFor(
    Object.fromEntries(optInSources().map((d) => [d.name, values[d.name] === true ? true : undefined])),
  );
}

/** `parseArgs` options of `status` and `watch`: zone, config dirs, colour, help and the source flags. */
export function summaryFlagOptions() {
  return {
    timezone: { type: "string", short: "z" },
    "config-dir": { type: "string", multiple: true },
    "no-color": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
    ...sourceFlagOptions(),
  } as const;
}

export interface SummaryFlags {
  configDirs: string[];
  timezone: string;
  limits: LimitsConfig;
  noColor: boolean;
}

/** What those options say (a UsageError for an unknown zone); defaults: this machine's zone, Claude Code's dirs. */
export function summaryFlags(values: {
  timezone?: string;
  "config-dir"?: string[];
  "no-color"?: boolean;
  [flag: string]: unknown;
}): SummaryFlags {
  return {
    configDirs: values["config-dir"] ?? claudeConfigDirs(),
    timezone: values.timezone === undefined ? checkedSystemZone() : checkGivenZone(values.timezone),
    limits: limitsConfigFromFlags(values),
    noColor: values["no-color"] ?? false,
  };
}
