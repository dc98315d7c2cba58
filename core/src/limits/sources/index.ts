/**
 * The one list of rate-limit sources, like node_exporter's collectors. Adding a source
 * means one new file and one line here. Each call creates fresh instances (each keeps its
 * own backoff state), so a front creates them once and polls them for its whole life.
 */
import type { LimitSource } from "../source";
import { createStatuslineSource } from "./statusline";
import { createOAuthSource } from "./oauth";
import { createHeaderFileSource } from "./header-file";
import { createAdminSource } from "./admin";

export const SOURCE_FACTORIES: ReadonlyArray<() => LimitSource> = [
  createStatuslineSource,
  createOAuthSource,
  createHeaderFileSource,
  createAdminSource,
];

export function createSources(): LimitSource[] {
  return SOURCE_FACTORIES.map((create) => create());
}

export { createStatuslineSource, createOAuthSource, createHeaderFileSource, createAdminSource };
