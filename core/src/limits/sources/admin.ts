/**
 * Admin API source (opt-in, organizations): month-to-date Claude Code cost per user and
 * per model, the cost report total, and an end-of-month projection. The admin key comes
 * from the config or `ANTHROPIC_ADMIN_KEY` and is sent only to the configured base URL.
 */
import { DAY_MS } from "../../time";
import type { HttpResponse } from "../../io/ports";
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
import { tokenFingerprint } from "../oauth/credentials";
import {
  aggregateClaudeCode,
  parseClaudeCodePage,
  parseCostReportPage,
  projectMonthEnd,
  samplesFromDays,
  utcDate,
  utcMonthBounds,
  type ClaudeCodeUsageRecord,
  type OrgUsage,
} from "../admin/org-usage";
import { DEFAULT_ANTHROPIC_BASE_URL, userAgentFor } from "./oauth";

export const ADMIN_SOURCE = "admin";
const ADMIN_DEFAULT_INTERVAL_MS = 5 * 60_000;
const DEFAULT_TIMEOUT_MS = 30_000;
/** Days older than this are final: fetched once, then served from memory. */
const FINAL_AFTER_MS = 2 * DAY_MS;
const MAX_PAGES = 100;

export const adminSourceOptions = z.object({
  /** Default: enabled when an admin key is configured (env `ANTHROPIC_ADMIN_KEY`). */
  enabled: z.optional(z.boolean()),
  apiKey: z.optional(z.string()),
  baseUrl: z.optional(z.string()),
  /** Default 5 minutes (the data is at least an hour late anyway). */
  intervalMs: z.optional(z.number()),
  timeoutMs: z.optional(z.number()),
  /** Only count these users (email addresses); default everyone. */
  userEmails: z.optional(z.array(z.string())),
});
export type AdminSourceConfig = z.infer<typeof adminSourceOptions>;

const ADMIN_MESSAGES = {
  unauthorized: "admin key rejected (HTTP 401): check ANTHROPIC_ADMIN_KEY",
  scope: "admin key lacks the permission to read usage reports (HTTP 403)",
  forbidden: "admin key has no access to this organization's reports (HTTP 403)",
} as const;

function adminKey(ctx: PollContext): string | null {
  const key = ctx.config.admin?.apiKey ?? ctx.env.ANTHROPIC_ADMIN_KEY;
  return key && key.trim() !== "" ? key.trim() : null;
}

function isEnabled(ctx: PollContext): boolean {
  return ctx.config.admin?.enabled ?? adminKey(ctx) !== null;
}

class RequestFailed extends Error {
  constructor(readonly failure: HttpFailure) {
    super(failure.message);
  }
}

export function createAdminSource(): LimitSource {
  let backoff: BackoffState = { consecutiveFailures: 0 };
  let lastSuccessMs: number | null = null;
  let refused: { fingerprint: string; failure: HttpFailure } | null = null;
  /** Final days' records by date (memory only). */
  const finalDays = new Map<string, ClaudeCodeUsageRecord[]>();

  async function getJson(ctx: PollContext, key: string, pathAndQuery: string): Promise<unknown> {
    const baseUrl = (ctx.config.admin?.baseUrl ?? DEFAULT_ANTHROPIC_BASE_URL).replace(/\/+$/, "");
    const headers = {
      "x-api-key": key,
      "anthropic-version": "2023-06-01",
      "user-agent": userAgentFor(ctx),
      accept: "application/json",
    };
    let response: HttpResponse;
    try {
      response = await ctx.http.get(
        `${baseUrl}${pathAndQuery}`,
        headers,
        ctx.config.admin?.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      );
    } catch (err) {
      throw new RequestFailed(classifyRequestError(err));
    }
    const failure = classifyHttpFailure(response, ADMIN_MESSAGES);
    if (failure) throw new RequestFailed(failure);
    const body = parseJsonBody(response.bodyText);
    if (!body.ok) throw new RequestFailed(body.failure);
    return body.value;
  }

  async function fetchDay(ctx: PollContext, key: string, date: string): Promise<ClaudeCodeUsageRecord[]> {
    const records: ClaudeCodeUsageRecord[] = [];
    let page: string | null = null;
    for (let i = 0; i < MAX_PAGES; i++) {
      const query = `starting_at=${date}&limit=1000${page ? `&page=${encodeURIComponent(page)}` : ""}`;
      const parsed = parseClaudeCodePage(
        await getJson(ctx, key, `/v1/organizations/usage_report/claude_code?${query}`),
      );
      records.push(...parsed.records.filter((r) => r.date === date));
      page = parsed.nextPage;
      if (!page) break;
    }
    return records;
  }

  async function fetchCostReport(ctx: PollContext, key: string, monthStartMs: number): Promise<number> {
    let total = 0;
    let page: string | null = null;
    for (let i = 0; i < MAX_PAGES; i++) {
      const start = encodeURIComponent(new Date(monthStartMs).toISOString().replace(/\.\d{3}Z$/, "Z"));
      const query = `starting_at=${start}&bucket_width=1d&limit=31${page ? `&page=${encodeURIComponent(page)}` : ""}`;
      const parsed = parseCostReportPage(await getJson(ctx, key, `/v1/organizations/cost_report?${query}`));
      total += parsed.totalUsd;
      page = parsed.nextPage;
      if (!page) break;
    }
    return total;
  }

  async function collect(ctx: PollContext, key: string, nowMs: number): Promise<OrgUsage> {
    const { startMs, endMs } = utcMonthBounds(nowMs);
    const records: ClaudeCodeUsageRecord[] = [];
    for (let dayMs = startMs; dayMs <= nowMs; dayMs += DAY_MS) {
      const date = utcDate(dayMs);
      const cached = finalDays.get(date);
      if (cached) {
        records.push(...cached);
        continue;
      }
      const dayRecords = await fetchDay(ctx, key, date);
      if (nowMs - (dayMs + DAY_MS) > FINAL_AFTER_MS) finalDays.set(date, dayRecords);
      records.push(...dayRecords);
    }
    for (const date of finalDays.keys())
      if (Date.parse(`${date}T00:00:00Z`) < startMs) finalDays.delete(date);
    const emails = ctx.config.admin?.userEmails;
    const counted = emails ? records.filter((r) => emails.includes(r.actor)) : records;
    const totals = aggregateClaudeCode(counted);
    let costReport: number | null = null;
    try {
      costReport = await fetchCostReport(ctx, key, startMs);
    } catch (err) {
      // The cost report needs the same key; a refusal there is a refusal of the key.
      if (err instanceof RequestFailed && err.failure.stopUntilCredentialsChange) throw err;
    }
    const projection = projectMonthEnd(samplesFromDays(totals.perDay, startMs, nowMs), nowMs, endMs);
    return {
      observedAtMs: nowMs,
      monthStartMs: startMs,
      ...totals,
      costReportMonthToDateUsd: costReport,
      projectedMonthUsd: projection?.projectedMonthUsd ?? null,
      projectionWindowMs: projection?.windowMs ?? null,
      projectionRateUsdPerHour: projection?.rateUsdPerHour ?? null,
    };
  }

  function failed(nowMs: number, intervalMs: number, failure: HttpFailure): PollResult {
    const next = nextAfterHttpFailure(nowMs, intervalMs, backoff, failure);
    backoff = next.state;
    const status = sourceStatus(ADMIN_SOURCE, failure.state, failure.message, lastSuccessMs, failure.reason);
    return { snapshot: null, status, nextPollAtMs: next.nextPollAtMs };
  }

  return {
    name: ADMIN_SOURCE,
    description: "Admin API month-to-date Claude Code cost per user and model, with projection (opt-in)",
    defaultIntervalMs: ADMIN_DEFAULT_INTERVAL_MS,
    isEnabled,
    async poll(ctx) {
      const nowMs = ctx.clock.nowMs();
      const intervalMs = ctx.config.admin?.intervalMs ?? ADMIN_DEFAULT_INTERVAL_MS;
      if (!isEnabled(ctx)) {
        return {
          snapshot: null,
          status: sourceStatus(
            ADMIN_SOURCE,
            "disabled",
            "Admin API is off (set ANTHROPIC_ADMIN_KEY)",
            lastSuccessMs,
          ),
          nextPollAtMs: nowMs + intervalMs,
        };
      }
      const key = adminKey(ctx);
      if (key === null) {
        return {
          snapshot: null,
          status: sourceStatus(
            ADMIN_SOURCE,
            "missing",
            "no admin key: set ANTHROPIC_ADMIN_KEY",
            lastSuccessMs,
            "no_credentials",
          ),
          nextPollAtMs: nowMs + intervalMs,
        };
      }
      const fingerprint = tokenFingerprint(key);
      if (refused && refused.fingerprint === fingerprint) return failed(nowMs, intervalMs, refused.failure);
      refused = null;
      try {
        const orgUsage = await collect(ctx, key, nowMs);
        lastSuccessMs = nowMs;
        const next = nextAfterSuccess(nowMs, intervalMs);
        backoff = next.state;
        return {
          snapshot: null,
          orgUsage,
          status: sourceStatus(ADMIN_SOURCE, "ok", "ok", lastSuccessMs),
          nextPollAtMs: next.nextPollAtMs,
        };
      } catch (err) {
        const failure =
          err instanceof RequestFailed
            ? err.failure
            : ({
                state: "error",
                reason: "bad_response",
                message: "Admin API answer has an unknown shape",
                stopUntilCredentialsChange: false,
              } satisfies HttpFailure);
        if (failure.stopUntilCredentialsChange) refused = { fingerprint, failure };
        return failed(nowMs, intervalMs, failure);
      }
    },
  };
}

export const adminSource: SourceDefinition<AdminSourceConfig> = {
  name: ADMIN_SOURCE,
  configKey: "admin",
  description: "the Admin API with ANTHROPIC_ADMIN_KEY (opt-in, organizations)",
  enabledByDefault: false,
  options: adminSourceOptions,
  create: createAdminSource,
};
