// Generated from core/src/limits/source.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * The face every rate-limit source shows (like a node_exporter collector): a name, how it
 * is enabled, a default poll interval, and `poll`, which never throws and says when it may
 * be polled next. Sources do I/O only through the ports in `io/ports.ts`.
 */
import type { GenericSchema } from "valibot";
import type { Clock, FilePort, HttpPort } from "../io/ports";
import type { RateLimitSnapshot, SourceName } from "./snapshot";
import type { OrgUsage } from "./admin/org-usage";
import { redactSecrets } from "./redact";
import type { StatuslineSourceConfig } from "./sources/statusline";
import type { OAuthSourceConfig } from "./sources/oauth";
import type { HeaderFileSourceConfig } from "./sources/header-file";
import type { AdminSourceConfig } from "./sources/admin";

export type SourceState = "ok" | "disabled" | "missing" | "error" | "backoff" | "stale";

export interface SourceStatus {
  source: SourceName;
  state: SourceState;
  /** What the user should know or do ("run claude to log in again"). */
  message: string;
  lastSuccessMs: number | null;
  /** Bounded set: `auth_expired`, `forbidden`, `scope`, `rate_limited`, `server_error`, `timeout`, `bad_response`, `no_credentials`, `none`. */
  lastErrorReason: string;
}

/** A source's section of `LimitsConfig`: `enabled` plus the options its schema declares. */
export interface SourceConfig {
  enabled?: boolean;
  [option: string]: unknown;
}

/**
 * Each registered source's section, by its `configKey`. The four built-in ones are named
 * for their types; any other registered source fits the index signature.
 */
export interface LimitsConfig {
  statusline?: StatuslineSourceConfig;
  oauth?: OAuthSourceConfig;
  headerFile?: HeaderFileSourceConfig;
  admin?: AdminSourceConfig;
  [configKey: string]: SourceConfig | undefined;
}

export interface PollContext {
  clock: Clock;
  files: FilePort;
  http: HttpPort;
  /** Environment variables (`CLAUDE_CONFIG_DIR`, `QUOTACAST_STATUSLINE_FILE`, `ANTHROPIC_ADMIN_KEY`, ...). */
  env: Record<string, string | undefined>;
  homeDir: string;
  config: LimitsConfig;
  /** `quotacast/<version>` by default in the user agent. */
  version?: string;
  /** macOS Keychain lookup (service name -> secret); fronts inject it, tests never call the real one. */
  readKeychain?: (service: string) => Promise<string | null>;
  /** `process.platform`; Keychain is tried only on `darwin`. */
  platform?: string;
}

export interface PollResult {
  snapshot: RateLimitSnapshot | null;
  status: SourceStatus;
  /** Earliest time the scheduler should poll this source again. */
  nextPollAtMs: number;
  /** Only the admin source yields organization usage. */
  orgUsage?: OrgUsage;
}

export interface LimitSource {
  name: SourceName;
  /** One line for `--help` and the docs. */
  description: string;
  defaultIntervalMs: number;
  isEnabled(ctx: PollContext): boolean;
  /** Never throws: every failure becomes a status. */
  poll(ctx: PollContext): Promise<PollResult>;
}

/**
 * What a source module exports, as node_exporter's `registerCollector` takes: its name,
 * its default, its options (a schema, which also gives their type) and its factory.
 * Registered in one list (`sources/index.ts`); config, flags, the exporter and
 * `/api/v1/summary` derive from that list.
 */
export interface SourceDefinition<Options extends SourceConfig = SourceConfig> {
  name: SourceName;
  /** Its section of `LimitsConfig` (camelCase of the name). */
  configKey: string;
  /** A noun phrase for `--help`: "Anthropic's OAuth usage endpoint (...; opt-in)". */
  description: string;
  /** Whether `quotacast serve` polls it unless told otherwise (`--sources.<name>`). */
  enabledByDefault: boolean;
  /** The schema (valibot) of its section of `LimitsConfig`: a bad value is refused, unknown keys dropped. */
  options: GenericSchema<unknown, Options>;
  /** A fresh instance (each keeps its own backoff state). */
  create(): LimitSource;
}

/** The bounded set documented on `SourceStatus.lastErrorReason`. */
export type ErrorReason =
  | "auth_expired"
  | "forbidden"
  | "scope"
  | "rate_limited"
  | "server_error"
  | "timeout"
  | "bad_response"
  | "no_credentials"
  | "none";

export function sourceStatus(
  source: SourceName,
  state: SourceStatus["state"],
  message: string,
  lastSuccessMs: number | null,
  lastErrorReason: ErrorReason = "none",
): SourceStatus {
  return { source, state, message: redactSecrets(message), lastSuccessMs, lastErrorReason };
}
