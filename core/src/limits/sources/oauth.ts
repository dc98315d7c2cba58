/**
 * OAuth usage source (opt-in): the user's own Claude Code token, read on every poll,
 * sent only to the configured Anthropic base URL, never refreshed, stored or logged.
 * After 401/403 it stops calling until the token changes (compared by an in-memory digest).
 */
import * as v from "valibot";
import type { PlanInfo, RateLimitSnapshot } from "../snapshot";
import type { LimitSource, PollContext, SourceDefinition } from "../source";
import type { HttpFailure } from "../http-errors";
import { readCredentials, type OAuthCredentials } from "../oauth/credentials";
import { parseProfileBody, parseUsageBody, usageToReadings } from "../oauth/parse";
import { API_SOURCE_OPTIONS, ApiSourceState } from "../api-source";

const OAUTH_SOURCE = "oauth";
export const OAUTH_DEFAULT_INTERVAL_MS = 5 * 60_000;
const DEFAULT_TIMEOUT_MS = 15_000;
/** Profile data (plan, tier) changes rarely. */
const PROFILE_INTERVAL_MS = 6 * 3600_000;

/** `enabled` (default false: it reads the user's own Claude Code token); timeout default 15 s. */
const oauthSourceOptions = v.object({
  ...API_SOURCE_OPTIONS,
  /** Default `quotacast/<version>`. */
  userAgent: v.optional(v.string()),
  /** Also read /api/oauth/profile (plan, organization). Default true. */
  fetchProfile: v.optional(v.boolean()),
});
export type OAuthSourceConfig = v.InferOutput<typeof oauthSourceOptions>;

const OAUTH_MESSAGES = {
  expired: "Claude Code login expired: run claude to log in again",
  unauthorized: "token rejected (HTTP 401): run claude to log in again",
  scope: "token lacks user:profile scope (tokens from claude setup-token cannot read usage)",
  forbidden: "access revoked (HTTP 403): run claude to log in again",
} as const;

function isOAuthEnabled(ctx: PollContext): boolean {
  return ctx.config.oauth?.enabled === true;
}

export function createOAuthSource(): LimitSource {
  const state = new ApiSourceState({
    name: OAUTH_SOURCE,
    options: (ctx) => ctx.config.oauth,
    defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
    credentialHeaders: (token) => ({
      authorization: `Bearer ${token}`,
      "anthropic-beta": "oauth-2025-04-20",
    }),
    wording: OAUTH_MESSAGES,
  });
  let plan: PlanInfo | null = null;
  let planFetchedAtMs = -Infinity;

  async function refreshPlan(ctx: PollContext, credentials: OAuthCredentials): Promise<void> {
    const nowMs = ctx.clock.nowMs();
    if (ctx.config.oauth?.fetchProfile === false || nowMs - planFetchedAtMs < PROFILE_INTERVAL_MS) return;
    planFetchedAtMs = nowMs;
    const answer = await state.getJson(ctx, credentials.accessToken, "/api/oauth/profile");
    // Profile is a nicety: its failures never fail the poll, and an unknown shape keeps the plan.
    const profile = answer.ok ? parseProfileBody(answer.value) : null;
    if (profile?.ok) plan = profile.value;
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
      if (!isOAuthEnabled(ctx))
        return state.noSnapshot("disabled", "OAuth usage polling is off (opt-in)", nowMs + intervalMs);
      const read = await readCredentials(ctx);
      if (!read.ok) {
        const missing = read.problem === "missing" ? "missing" : "error";
        return state.noSnapshot(missing, read.message, nowMs + intervalMs, "no_credentials");
      }
      const credentials = read.credentials;
      const failed = (failure: HttpFailure, credential?: string) =>
        state.failed(ctx.clock.nowMs(), intervalMs, failure, credential);
      if (credentials.expiresAtMs !== null && credentials.expiresAtMs <= nowMs) {
        return failed({
          state: "error",
          reason: "auth_expired",
          message: OAUTH_MESSAGES.expired,
          stopUntilCredentialsChange: true,
        });
      }
      const token = credentials.accessToken;
      const refusal = state.refusalOf(token);
      if (refusal) return failed(refusal);

      const answer = await state.getJson(ctx, token, "/api/oauth/usage");
      if (!answer.ok) return failed(answer.failure, token);
      const parsed = parseUsageBody(answer.value);
      if (!parsed.ok) {
        return failed({
          state: "error",
          reason: "bad_response",
          message: `${parsed.message} (the endpoint may have changed)`,
          stopUntilCredentialsChange: false,
        });
      }
      const observedAtMs = ctx.clock.nowMs();
      await refreshPlan(ctx, credentials);
      const planInfo = planFrom(credentials);
      const snapshot: RateLimitSnapshot = {
        observedAtMs,
        source: OAUTH_SOURCE,
        windows: usageToReadings(parsed.value, observedAtMs, OAUTH_SOURCE),
        ...(parsed.value.extraUsage ? { extraUsage: parsed.value.extraUsage } : {}),
        ...(planInfo ? { plan: planInfo } : {}),
      };
      const message =
        snapshot.windows.length === 0 ? "no active windows yet (send a message in Claude Code)" : "ok";
      return { snapshot, ...state.succeeded(observedAtMs, intervalMs, message) };
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
