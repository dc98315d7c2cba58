/**
 * The one list of rate-limit sources, like node_exporter's collectors: adding a source
 * means one new file (exporting a `SourceDefinition`) and one `registerSource` line here.
 * Config, flags (`serve --sources.<name>`, `status --<name>`), the exporter's runtime and
 * `/api/v1/summary` derive from this list.
 */
import type { LimitSource, LimitsConfig, PollContext, SourceConfig, SourceDefinition } from "../source";
import { pollAll, type PollAllResult } from "../poll";
import { parseWith } from "../../schema";
import { statuslineSource } from "./statusline";
import { oauthSource } from "./oauth";
import { headerFileSource } from "./header-file";
import { adminSource } from "./admin";

const REGISTERED: SourceDefinition[] = [];

/** Adds a source to the list (in registration order). A name is registered once. */
export function registerSource<O extends SourceConfig>(definition: SourceDefinition<O>): void {
  if (REGISTERED.some((d) => d.name === definition.name || d.configKey === definition.configKey))
    throw new Error(`rate-limit source '${definition.name}' is already registered`);
  REGISTERED.push(definition as SourceDefinition);
}

registerSource(statuslineSource);
registerSource(oauthSource);
registerSource(headerFileSource);
registerSource(adminSource);

export function registeredSources(): readonly SourceDefinition[] {
  return REGISTERED;
}

/**
 * Fresh instances of every registered source (each keeps its own backoff state), so a front
 * creates them once and polls them for its whole life.
 */
export function createSources(): LimitSource[] {
  return REGISTERED.map((d) => d.create());
}

/**
 * A `LimitsConfig` with one section per registered source, each through the source's
 * schema: `enabled` by source name (a source left out keeps its own default), `common`
 * options offered to every source (each keeps only those it declares, e.g. `baseUrl`),
 * and options by config key. Throws on a value of the wrong type, naming the option.
 */
export function limitsConfigFor(
  enabled: Readonly<Record<string, boolean | undefined>>,
  common: Readonly<Record<string, unknown>> = {},
  byConfigKey: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {},
): LimitsConfig {
  const config: LimitsConfig = {};
  for (const d of REGISTERED) {
    const on = enabled[d.name];
    const section = { ...common, ...byConfigKey[d.configKey], ...(on === undefined ? {} : { enabled: on }) };
    const parsed = parseWith(d.options, section, `options of the rate-limit source '${d.name}'`);
    if (!parsed.ok) throw new Error(parsed.message);
    config[d.configKey] = parsed.value;
  }
  return config;
}

/** One-shot: creates the registered sources, polls them once, merges. For `quotacast status`. */
export function pollConfiguredSources(ctx: PollContext): Promise<PollAllResult> {
  return pollAll(createSources(), ctx);
}
