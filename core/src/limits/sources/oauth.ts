/**
 * OAuth usage source (opt-in): the user's own Claude Code token, read on every poll,
 * sent only to the configured Anthropic base URL, never refreshed, stored or logged.
 * After 401/403 it stops calling until the token changes (compared by an in-memory digest).
 */
import type { PlanInfo, RateLimitSnapshot } from "../snapshot";
import * as z from "zod/mini";
import {
  sourceStatus,
  type LimitSource,
  type PollContext,
  type PollResult,
  type SourceDefinition,
} from "../source";
import { nextAfterHttpFailure, nextAfterSuccess, type BackoffState } from "../backoff";
import { classifyHttpFailure, classifyRequestError, parseJsonBody, type HttpFailure } from "../http-errors";
import { readCredentials, tokenFingerprint, type OAuthCredentials } from "../oauth/credentials";
import { parseProfileBody, parseUsageBody, usageToReadings } from "../oauth/parse";
import type { HttpResponse } from "../../io/ports";

const OAUTH_SOURCE = "oauth";
export const DEFAULT_ANTHROPIC_BASE_URL = "https://api.anthropic.com";
export const OAUTH_DEFAULT_INTERVAL_MS = 5 * 60_000;
const DEFAULT_TIMEOUT_MS = 15_000;
/** Profile data (plan, tier) changes rarely. */
const PROFILE_INTERVAL_MS = 6 * 3600_000;

export const oauthSourceOptions = z.object({
  /** Opt-in: reads the user's own Claude Code token. Default false. */
  enabled: z.optional(z.boolean()),
  /** Default https://api.anthropic.com. */
  baseUrl: z.optional(z.string()),
  /** Default `quotacast/<version>`. */
  userAgent: z.optional(z.string()),
  /** Default 5 minutes. */
  intervalMs: z.optional(z.number()),
  /** Default 15 s. */
  timeoutMs: z.optional(z.number()),
  /** Also read /api/oauth/profile (plan, organization). Default true. */
  fetchProfile: z.optional(z.boolean()),
});
export type OAuthSourceConfig = z.infer<typeof oauthSourceOptions>;

const OAUTH_MESSAGES = {
  expired: "Claude Code login expired: run claude to log in again",
  unauthorized: "token rejected (HTTP 401): run claude to log in again",
  scope: "token lacks user:profile scope (tokens from claude setup-token cannot read usage)",
  forbidden: "access revoked (HTTP 403): run claude to log in again",
} as const;

export function userAgentFor(ctx: PollContext): string {
  return ctx.config.oauth?.userAgent ?? `quotacast/${ctx.version ?? "0.0.0"}`;
}

function oauthHeaders(token: string, userAgent: string): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    "anthropic-beta": "oauth-2025-04-20",
    "user-agent": userAgent,
    accept: "application/json",
  };
}

function isOAuthEnabled(ctx: PollContext): boolean {
  return ctx.config.oauth?.enabled === true;
}

export function createOAuthSource(): LimitSource {
  let backoff: BackoffState = { consecutiveFailures: 0 };
  let lastSuccessMs: number | null = null;
  /** Digest of a token Anthropic refused, with what the user was told. */
  let refused: { fingerprint: string; failure: HttpFailure } | null = null;
  let plan: PlanInfo | null = null;
  let planFetchedAtMs = -Infinity;

  function fail(ctx: PollContext, failure: HttpFailure, intervalMs: number): PollResult {
    const next = nextAfterHttpFailure(ctx.clock.nowMs(), intervalMs, backoff, failure);
    backoff = next.state;
    return {
      snapshot: null,
      status: sourceStatus(OAUTH_SOURCE, failure.state, failure.message, lastSuccessMs, failure.reason),
      nextPollAtMs: next.nextPollAtMs,
    };
  }

  async function get(ctx: PollContext, path: string, token: string): Promise<HttpResponse | HttpFailure> {
    const baseUrl = (ctx.config.oauth?.baseUrl ?? DEFAULT_ANTHROPIC_BASE_URL).replace(/\/+$/, "");
    const timeoutMs = ctx.config.oauth?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    try {
      return await ctx.http.get(`${baseUrl}${path}`, oauthHeaders(token, userAgentFor(ctx)), timeoutMs);
    } catch (err) {
      return classifyRequestError(err);
    }
  }

  function isFailure(value: HttpResponse | HttpFailure): value is HttpFailure {
    return "reason" in value;
  }

  async function refreshPlan(ctx: PollContext, credentials: OAuthCredentials): Promise<void> {
    const nowMs = ctx.clock.nowMs();
    if (ctx.config.oauth?.fetchProfile === false || nowMs - planFetchedAtMs < PROFILE_INTERVAL_MS) return;
    planFetchedAtMs = nowMs;
    const response = await get(ctx, "/api/oauth/profile", credentials.accessToken);
    // Profile is a nicety: its failures never fail the poll.
    if (isFailure(response) || response.status !== 200) return;
    const body = parseJsonBody(response.bodyText);
    if (!body.ok) return;
    try {
      plan = parseProfileBody(body.value);
    } catch {
      // keep the previous plan
    }
  }

  function planFrom(credentials: OAuthCredentials): PlanInfo | undefined {
    const merged: PlanInfo = {};
    if (credentials.subscriptionType) merged.subscriptionType = credentials.subscriptionType;
    if (credentials.rateLimitTier) merged.rateLimitTier = credentials.rateLimitTier;
    Object.assign(merged, plan ?? {});
    return Object.keys(merged).length > 0 ? merged : undefined;
  }

  return {
    name: OAUTH_SOURCE,
    description: "Anthropic's OAuth usage endpoint with your own Claude Code login (opt-in)",
    defaultIntervalMs: OAUTH_DEFAULT_INTERVAL_MS,
    isEnabled: isOAuthEnabled,
    async poll(ctx) {
      const intervalMs = ctx.config.oauth?.intervalMs ?? OAUTH_DEFAULT_INTERVAL_MS;
      const nowMs = ctx.clock.nowMs();
      if (!isOAuthEnabled(ctx)) {
        return {
          snapshot: null,
          status: sourceStatus(
            OAUTH_SOURCE,
            "disabled",
            "OAuth usage polling is off (opt-in)",
            lastSuccessMs,
          ),
          nextPollAtMs: nowMs + intervalMs,
        };
      }
      const read = await readCredentials(ctx);
      if (!read.ok) {
        return {
          snapshot: null,
          status: sourceStatus(
            OAUTH_SOURCE,
            read.problem === "missing" ? "missing" : "error",
            read.message,
            lastSuccessMs,
            "no_credentials",
          ),
          nextPollAtMs: nowMs + intervalMs,
        };
      }
      const credentials = read.credentials;
      if (credentials.expiresAtMs !== null && credentials.expiresAtMs <= nowMs) {
        return fail(
          ctx,
          {
            state: "error",
            reason: "auth_expired",
            message: OAUTH_MESSAGES.expired,
            stopUntilCredentialsChange: true,
          },
          intervalMs,
        );
      }
      const fingerprint = tokenFingerprint(credentials.accessToken);
      if (refused && refused.fingerprint === fingerprint) return fail(ctx, refused.failure, intervalMs);
      refused = null;

      const response = await get(ctx, "/api/oauth/usage", credentials.accessToken);
      const failure = isFailure(response) ? response : classifyHttpFailure(response, OAUTH_MESSAGES);
      if (failure) {
        if (failure.stopUntilCredentialsChange) refused = { fingerprint, failure };
        return fail(ctx, failure, intervalMs);
      }
      const body = parseJsonBody((response as HttpResponse).bodyText);
      if (!body.ok) return fail(ctx, body.failure, intervalMs);
      let snapshot: RateLimitSnapshot;
      const observedAtMs = ctx.clock.nowMs();
      try {
        const parsed = parseUsageBody(body.value);
        await refreshPlan(ctx, credentials);
        const planInfo = planFrom(credentials);
        snapshot = {
          observedAtMs,
          source: OAUTH_SOURCE,
          windows: usageToReadings(parsed, observedAtMs, OAUTH_SOURCE),
          ...(parsed.extraUsage ? { extraUsage: parsed.extraUsage } : {}),
          ...(planInfo ? { plan: planInfo } : {}),
        };
      } catch {
        return fail(
          ctx,
          {
            state: "error",
            reason: "bad_response",
            message: "Anthropic's usage answer has an unknown shape (the endpoint may have changed)",
            stopUntilCredentialsChange: false,
          },
          intervalMs,
        );
      }
      lastSuccessMs = observedAtMs;
      const next = nextAfterSuccess(observedAtMs, intervalMs);
      backoff = next.state;
      const message =
        snapshot.windows.length === 0 ? "no active windows yet (send a message in Claude Code)" : "ok";
      return {
        snapshot,
        status: sourceStatus(OAUTH_SOURCE, "ok", message, lastSuccessMs),
        nextPollAtMs: next.nextPollAtMs,
      };
    },
  };
}

export const oauthSource: SourceDefinition<OAuthSourceConfig> = {
  name: OAUTH_SOURCE,
  configKey: "oauth",
  description: "Anthropic's OAuth usage endpoint with your Claude Code login (opt-in)",
  enabledByDefault: false,
  options: oauthSourceOptions,
  create: createOAuthSource,
};
