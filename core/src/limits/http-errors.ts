/**
 * Classifying one HTTP exchange of a polled API source into a status the user can act on.
 * Shared by the OAuth and admin sources. Never includes response bodies or credentials in
 * messages: only status codes, a redirect's target origin and Anthropic's error type when
 * it has the shape of one (`invalid_request_error`), never free text from the server.
 */
import * as v from "valibot";
import type { HttpResponse } from "../io/ports";
import type { ErrorReason, SourceState } from "./source";
import { parseJsonWith } from "../schema";
import { redactSecrets } from "./redact";

export interface HttpFailure {
  state: SourceState;
  reason: ErrorReason;
  message: string;
  /** Stop polling until the credentials change (401/403). */
  stopUntilCredentialsChange: boolean;
  retryAfterHeader?: string;
}

/** An Anthropic error body; its `error.type` is copied only when it looks like one (`invalid_request_error`). */
const AnthropicErrorSchema = v.object({
  error: v.object({
    type: v.pipe(
      v.string(),
      v.regex(/^[a-z][a-z0-9_]{0,47}$/),
      v.check((type) => redactSecrets(type) === type),
    ),
  }),
});

/** `error.type` of an Anthropic error body when it has the shape of one; null otherwise. */
function anthropicErrorType(bodyText: string): string | null {
  const body = parseJsonWith(AnthropicErrorSchema, bodyText, "error body");
  return body.ok ? body.value.error.type : null;
}

/** The origin a redirect points to (scheme, host, port), or a placeholder when it has none. */
function redirectTarget(location: string | undefined, requestUrl: string | undefined): string {
  if (!location) return "no location";
  try {
    return redactSecrets(new URL(location, requestUrl).origin);
  } catch {
    return "an invalid location";
  }
}

/** Whether a body says the token lacks a scope (`oauth_scope_insufficient`). */
function isScopeError(bodyText: string): boolean {
  return /scope/i.test(bodyText);
}

export interface FailureWording {
  unauthorized: string;
  scope: string;
  forbidden: string;
}

export function classifyHttpFailure(response: HttpResponse, wording: FailureWording): HttpFailure | null {
  const { status } = response;
  if (status >= 200 && status < 300) return null;
  if (status >= 300 && status < 400) {
    // Never followed: a redirect would carry the credentials to wherever it points.
    return {
      state: "error",
      reason: "bad_response",
      message: `Anthropic answered with a redirect (HTTP ${status}) to ${redirectTarget(response.headers.location, response.url)}; not followed, credentials are only sent to the configured base URL`,
      stopUntilCredentialsChange: false,
    };
  }
  if (status === 401) {
    return {
      state: "error",
      reason: "auth_expired",
      message: wording.unauthorized,
      stopUntilCredentialsChange: true,
    };
  }
  if (status === 403) {
    return isScopeError(response.bodyText)
      ? { state: "error", reason: "scope", message: wording.scope, stopUntilCredentialsChange: true }
      : { state: "error", reason: "forbidden", message: wording.forbidden, stopUntilCredentialsChange: true };
  }
  if (status === 429) {
    return {
      state: "backoff",
      reason: "rate_limited",
      message: "rate limited by Anthropic (HTTP 429); polling less often",
      stopUntilCredentialsChange: false,
      retryAfterHeader: response.headers["retry-after"],
    };
  }
  if (status >= 500) {
    return {
      state: "backoff",
      reason: "server_error",
      message: `Anthropic answered HTTP ${status}; retrying later`,
      stopUntilCredentialsChange: false,
      retryAfterHeader: response.headers["retry-after"],
    };
  }
  const type = anthropicErrorType(response.bodyText);
  return {
    state: "error",
    reason: "bad_response",
    message: `unexpected HTTP ${status}${type ? ` (${type})` : ""}`,
    stopUntilCredentialsChange: false,
  };
}

/** A failed request (no response): timeout or network error. */
export function classifyRequestError(err: unknown): HttpFailure {
  const text = err instanceof Error ? `${err.name} ${err.message}` : String(err);
  const isTimeout = /timeout|timed out|aborted/i.test(text);
  return {
    state: "backoff",
    reason: isTimeout ? "timeout" : "server_error",
    message: isTimeout
      ? "no answer from Anthropic in time; retrying later"
      : "could not reach Anthropic; retrying later",
    stopUntilCredentialsChange: false,
  };
}

/** Body as JSON, or a bad_response failure. */
export function parseJsonBody(
  bodyText: string,
): { ok: true; value: unknown } | { ok: false; failure: HttpFailure } {
  try {
    return { ok: true, value: JSON.parse(bodyText) };
  } catch {
    return {
      ok: false,
      failure: {
        state: "error",
        reason: "bad_response",
        message: "Anthropic's answer was not valid JSON (the endpoint may have changed)",
        stopUntilCredentialsChange: false,
      },
    };
  }
}
