/**
 * The face every rate-limit source shows (like a node_exporter collector): a name, how it
 * is enabled, a default poll interval, and `poll`, which never throws and says when it may
 * be polled next. Sources do I/O only through the ports in `io/ports.ts`.
 */
import type { Clock, FilePort, HttpPort } from "../io/ports";
import type { SourceStatus } from "../report/summary";
import type { RateLimitSnapshot, SourceName } from "./snapshot";
import type { OrgUsage } from "./admin/org-usage";
import { redactSecrets } from "./redact";

export interface StatuslineSourceConfig {
  enabled?: boolean;
  /** Default `~/.local/share/quotacast/statusline.json` (env `QUOTACAST_STATUSLINE_FILE`). */
  feedFile?: string;
  /** A feed older than this is reported as stale. Default 30 minutes. */
  staleAfterMs?: number;
}

export interface OAuthSourceConfig {
  /** Opt-in: reads the user's own Claude Code token. Default false. */
  enabled?: boolean;
  /** Default https://api.anthropic.com. */
  baseUrl?: string;
  /** Default `quotacast/<version>`. */
  userAgent?: string;
  /** Default 5 minutes. */
  intervalMs?: number;
  /** Default 15 s. */
  timeoutMs?: number;
  /** Also read /api/oauth/profile (plan, organization). Default true. */
  fetchProfile?: boolean;
}

export interface HeaderFileSourceConfig {
  enabled?: boolean;
  /** Default `<config dir>/usage-limits.json`. */
  path?: string;
  staleAfterMs?: number;
}

export interface AdminSourceConfig {
  /** Default: enabled when an admin key is configured (env `ANTHROPIC_ADMIN_KEY`). */
  enabled?: boolean;
  apiKey?: string;
  baseUrl?: string;
  /** Default 5 minutes (the data is at least an hour late anyway). */
  intervalMs?: number;
  timeoutMs?: number;
  /** Only count these users (email addresses); default everyone. */
  userEmails?: string[];
}

export interface LimitsConfig {
  statusline?: StatuslineSourceConfig;
  oauth?: OAuthSourceConfig;
  headerFile?: HeaderFileSourceConfig;
  admin?: AdminSourceConfig;
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
