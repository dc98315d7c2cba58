/**
 * When a polled HTTP source may be polled next. Pure: the caller keeps the state.
 * Normal interval on success; capped exponential backoff on failures; `retry-after`
 * (seconds) honoured when positive, however large, because polling through a long 429
 * prolongs it; 0 falls back to the normal backoff.
 */
import type { HttpFailure } from "./http-errors";

const DEFAULT_BACKOFF_CAP_MS = 3600_000;

export interface BackoffState {
  consecutiveFailures: number;
}

export function nextAfterSuccess(
  nowMs: number,
  intervalMs: number,
): { nextPollAtMs: number; state: BackoffState } {
  return { nextPollAtMs: nowMs + intervalMs, state: { consecutiveFailures: 0 } };
}

export function nextAfterFailure(
  nowMs: number,
  intervalMs: number,
  state: BackoffState,
  retryAfterMs: number | null = null,
  capMs = DEFAULT_BACKOFF_CAP_MS,
): { nextPollAtMs: number; state: BackoffState } {
  const failures = state.consecutiveFailures + 1;
  const backoffMs = Math.min(capMs, intervalMs * 2 ** failures);
  const delayMs = retryAfterMs !== null && retryAfterMs > 0 ? Math.max(retryAfterMs, intervalMs) : backoffMs;
  return { nextPollAtMs: nowMs + delayMs, state: { consecutiveFailures: failures } };
}

/** `retry-after` in seconds or as an HTTP date; null when absent or unreadable. */
export function parseRetryAfterMs(value: string | undefined, nowMs: number): number | null {
  if (value === undefined || value.trim() === "") return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const dateMs = Date.parse(value);
  return Number.isFinite(dateMs) ? Math.max(0, dateMs - nowMs) : null;
}

/**
 * The next poll after a failed request: a refused credential waits only for the normal
 * interval (the source re-reads it then and sends nothing until it changes), anything else
 * backs off, honouring `retry-after`.
 */
export function nextAfterHttpFailure(
  nowMs: number,
  intervalMs: number,
  state: BackoffState,
  failure: HttpFailure,
): { nextPollAtMs: number; state: BackoffState } {
  if (failure.stopUntilCredentialsChange) return { nextPollAtMs: nowMs + intervalMs, state };
  return nextAfterFailure(nowMs, intervalMs, state, parseRetryAfterMs(failure.retryAfterHeader, nowMs));
}
