/**
 * Classifying one HTTP exchange of a polled API source into a status the user can act on.
 * Shared by the OAuth and admin sources. Never includes response bodies or credentials in
 * messages, only status codes and Anthropic's error type.
 */
import type { HttpResponse } from "../io/ports";
import type { ErrorReason } from "./source";
import type { SourceState } from "../report/summary";
import { isRecord, stringOrNull } from "./units";

export interface HttpFailure {
  state: SourceState;
  reason: ErrorReason;
  message: string;
  /** Stop polling until the credentials change (401/403). */
  stopUntilCredentialsChange: boolean;
  retryAfterHeader?: string;
}

/** `error.type` of an Anthropic error body, if any. */
export function anthropicErrorType(bodyText: string): string | null {
  try {
    const body: unknown = JSON.parse(bodyText);
    if (isRecord(body) && isRecord(body.error)) return stringOrNull(body.error.type);
    return null;
  } catch {
    return null;
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
