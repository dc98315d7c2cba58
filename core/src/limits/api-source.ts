/**
 * What the two Anthropic API sources (OAuth usage, Admin API) share: the options both take,
 * how one GET becomes a JSON answer or a failure the user can act on, and what a source
 * keeps between polls (backoff, last success, a refused credential by its digest).
 */
import { createHash } from "node:crypto";
import * as v from "valibot";
import type { HttpResponse } from "../io/ports";
import { nextAfterHttpFailure, nextAfterSuccess, type BackoffState } from "./backoff";
import {
  classifyHttpFailure,
  classifyRequestError,
  parseJsonBody,
  type FailureWording,
  type HttpFailure,
} from "./http-errors";
import type { SourceName } from "./snapshot";
import {
  sourceStatus,
  type ErrorReason,
  type PollContext,
  type PollResult,
  type SourceState,
} from "./source";

const DEFAULT_ANTHROPIC_BASE_URL = "https://api.anthropic.com";

/** Option entries of an API source's schema; each source adds its own. */
export const API_SOURCE_OPTIONS = {
  /** Opt-in; each source says what turns it on by default. */
  enabled: v.optional(v.boolean()),
  /** Default https://api.anthropic.com. */
  baseUrl: v.optional(v.string()),
  /** Default 5 minutes. */
  intervalMs: v.optional(v.number()),
  timeoutMs: v.optional(v.number()),
};

/** `oauth.userAgent`, or `quotacast/<version>`: both sources say who is asking. */
function userAgentFor(ctx: PollContext): string {
  return ctx.config.oauth?.userAgent ?? `quotacast/${ctx.version ?? "0.0.0"}`;
}

/** A digest of a credential, kept in memory only, to notice when it changes. */
function tokenFingerprint(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export interface ApiSourceSpec {
  name: SourceName;
  /** The source's section of `LimitsConfig` (its base URL and timeout). */
  options(ctx: PollContext): { baseUrl?: string; timeoutMs?: number } | undefined;
  defaultTimeoutMs: number;
  /** The headers that carry the credential (the user agent and `accept` are added). */
  credentialHeaders(credential: string): Record<string, string>;
  /** What the user is told on 401 and 403. */
  wording: FailureWording;
}

/**
 * An API source's requests and what it keeps between polls: the backoff after failures, its
 * last success, and the digest of a credential Anthropic refused (401/403), which is not
 * sent again until it changes.
 */
export class ApiSourceState {
  private backoff: BackoffState = { consecutiveFailures: 0 };
  private refused: { fingerprint: string; failure: HttpFailure } | null = null;
  private lastSuccessMs: number | null = null;

  constructor(private readonly spec: ApiSourceSpec) {}

  /**
   * One GET of Anthropic's API with `credential`, sent only to the configured base URL
   * (redirects are not followed): the JSON answer, or what went wrong as the user is told it.
   */
  async getJson(
    ctx: PollContext,
    credential: string,
    pathAndQuery: string,
  ): Promise<{ ok: true; value: unknown } | { ok: false; failure: HttpFailure }> {
    const options = this.spec.options(ctx);
    const baseUrl = (options?.baseUrl ?? DEFAULT_ANTHROPIC_BASE_URL).replace(/\/+$/, "");
    const headers = {
      ...this.spec.credentialHeaders(credential),
      "user-agent": userAgentFor(ctx),
      accept: "application/json",
    };
    let response: HttpResponse;
    try {
      response = await ctx.http.get(
        `${baseUrl}${pathAndQuery}`,
        headers,
        options?.timeoutMs ?? this.spec.defaultTimeoutMs,
      );
    } catch (err) {
      return { ok: false, failure: classifyRequestError(err) };
    }
    const failure = classifyHttpFailure(response, this.spec.wording);
    return failure ? { ok: false, failure } : parseJsonBody(response.bodyText);
  }

  /** A poll with no snapshot (off, no credentials, or a failure below). */
  noSnapshot(
    state: SourceState,
    message: string,
    nextPollAtMs: number,
    reason: ErrorReason = "none",
  ): PollResult {
    return {
      snapshot: null,
      status: sourceStatus(this.spec.name, state, message, this.lastSuccessMs, reason),
      nextPollAtMs,
    };
  }

  /** What this credential came to last time, while it has not changed; null to go ahead. */
  refusalOf(credential: string): HttpFailure | null {
    const fingerprint = tokenFingerprint(credential);
    if (this.refused?.fingerprint === fingerprint) return this.refused.failure;
    this.refused = null;
    return null;
  }

  /** A failed poll: backs off; a refusal of `credential` is remembered. */
  failed(nowMs: number, intervalMs: number, failure: HttpFailure, credential?: string): PollResult {
    if (credential !== undefined && failure.stopUntilCredentialsChange)
      this.refused = { fingerprint: tokenFingerprint(credential), failure };
    const next = nextAfterHttpFailure(nowMs, intervalMs, this.backoff, failure);
    this.backoff = next.state;
    return this.noSnapshot(failure.state, failure.message, next.nextPollAtMs, failure.reason);
  }

  /** A successful poll at `observedAtMs`, with its status message: the backoff is over. */
  succeeded(observedAtMs: number, intervalMs: number, message: string): Omit<PollResult, "snapshot"> {
    this.lastSuccessMs = observedAtMs;
    const next = nextAfterSuccess(observedAtMs, intervalMs);
    this.backoff = next.state;
    return {
      status: sourceStatus(this.spec.name, "ok", message, observedAtMs),
      nextPollAtMs: next.nextPollAtMs,
    };
  }
}
