/**
 * The rate-limit source flags of the one-shot commands (`status`, `watch`): one `--<name>` per
 * registered opt-in source, derived from core's source list, so adding a source adds its flag.
 */
import {
  limitsConfigFor,
  registeredSources,
  type LimitsConfig,
  type SourceDefinition,
} from "@quotacast/core";

/** Sources off by default: each gets a flag that turns it on. */
function optInSources(): SourceDefinition[] {
  return registeredSources().filter((d) => !d.enabledByDefault);
}

/** `parseArgs` options: one boolean per opt-in source. */
export function sourceFlagOptions(): Record<string, { type: "boolean"; default: false }> {
  return Object.fromEntries(optInSources().map((d) => [d.name, { type: "boolean", default: false }]));
}

/** Help lines, `prefix--name` padded to `width`, then the source's description. */
export function sourceFlagsHelp(prefix: string, width: number): string {
  return optInSources()
    .map((d) => `${prefix}--${d.name.padEnd(width)} also ask ${d.description}\n`)
    .join("");
}

/** A flag turns its source on; every other source keeps its own default. */
export function limitsConfigFromFlags(values: Readonly<Record<string, unknown>>): LimitsConfig {
  return limitsConfigFor(
    Object.fromEntries(optInSources().map((d) => [d.name, values[d.name] === true ? true : undefined])),
  );
}
