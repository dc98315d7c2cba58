/**
 * Admin API source (opt-in, organizations): month-to-date Claude Code cost per user and
 * per model, the cost report total, and an end-of-month projection. The admin key comes
 * from the config or `ANTHROPIC_ADMIN_KEY` and is sent only to the configured base URL.
 */
import * as v from "valibot";
import { DAY_MS } from "../../time";
import type { LimitSource, PollContext, SourceDefinition } from "../source";
import type { HttpFailure } from "../http-errors";
import {
  aggregateClaudeCode,
  projectMonthEnd,
  samplesFromDays,
  utcDate,
  utcMonthBounds,
  type OrgUsage,
} from "../admin/org-usage";
import { parseClaudeCodePage, parseCostReportPage, type ClaudeCodeUsageRecord } from "../admin/reports";
import type { Parsed } from "../../schema";
import { API_SOURCE_OPTIONS, ApiSourceState } from "../api-source";

export const ADMIN_SOURCE = "admin";
const ADMIN_DEFAULT_INTERVAL_MS = 5 * 60_000;
const DEFAULT_TIMEOUT_MS = 30_000;
/** Days older than this are final: fetched once, then served from memory. */
const FINAL_AFTER_MS = 2 * DAY_MS;
const MAX_PAGES = 100;

/** `enabled` by default when an admin key is configured (env `ANTHROPIC_ADMIN_KEY`); timeout default 30 s. */
const adminSourceOptions = v.object({
  ...API_SOURCE_OPTIONS,
  apiKey: v.optional(v.string()),
  /** Only count these users (email addresses); default everyone. */
  userEmails: v.optional(v.array(v.string())),
});
export type AdminSourceConfig = v.InferOutput<typeof adminSourceOptions>;

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

/** A page's content, or a bad_response failure that names the report and the field. */
function pageOf<T>(parsed: Parsed<T>): T {
  if (parsed.ok) return parsed.value;
  throw new RequestFailed({
    state: "error",
    reason: "bad_response",
    message: parsed.message,
    stopUntilCredentialsChange: false,
  });
}

export function createAdminSource(): LimitSource {
  const state = new ApiSourceState({
    name: ADMIN_SOURCE,
    options: (ctx) => ctx.config.admin,
    defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
    credentialHeaders: (key) => ({ "x-api-key": key, "anthropic-version": "2023-06-01" }),
    wording: ADMIN_MESSAGES,
  });
  /** Final days' records by date (memory only). */
  const finalDays = new Map<string, ClaudeCodeUsageRecord[]>();

  async function getJson(ctx: PollContext, key: string, pathAndQuery: string): Promise<unknown> {
    const answer = await state.getJson(ctx, key, pathAndQuery);
    if (!answer.ok) throw new RequestFailed(answer.failure);
    return answer.value;
  }

  async function fetchDay(ctx: PollContext, key: string, date: string): Promise<ClaudeCodeUsageRecord[]> {
    const records: ClaudeCodeUsageRecord[] = [];
    let page: string | null = null;
    for (let i = 0; i < MAX_PAGES; i++) {
      const query: string = `starting_at=${date}&limit=1000${page ? `&page=${encodeURIComponent(page)}` : ""}`;
      const parsed = pageOf(
        parseClaudeCodePage(await getJson(ctx, key, `/v1/organizations/usage_report/claude_code?${query}`)),
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
      const query: string = `starting_at=${start}&bucket_width=1d&limit=31${page ? `&page=${encodeURIComponent(page)}` : ""}`;
      const parsed = pageOf(
        parseCostReportPage(await getJson(ctx, key, `/v1/organizations/cost_report?${query}`)),
      );
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

  return {
    name: ADMIN_SOURCE,
    description: "Admin API month-to-date Claude Code cost per user and model, with projection (opt-in)",
    defaultIntervalMs: ADMIN_DEFAULT_INTERVAL_MS,
    isEnabled,
    async poll(ctx) {
      const nowMs = ctx.clock.nowMs();
      const intervalMs = ctx.config.admin?.intervalMs ?? ADMIN_DEFAULT_INTERVAL_MS;
      if (!isEnabled(ctx))
        return state.noSnapshot("disabled", "Admin API is off (set ANTHROPIC_ADMIN_KEY)", nowMs + intervalMs);
      const key = adminKey(ctx);
      if (key === null)
        return state.noSnapshot(
          "missing",
          "no admin key: set ANTHROPIC_ADMIN_KEY",
          nowMs + intervalMs,
          "no_credentials",
        );
      const refusal = state.refusalOf(key);
      if (refusal) return state.failed(nowMs, intervalMs, refusal);
      try {
        const orgUsage = await collect(ctx, key, nowMs);
        return { snapshot: null, orgUsage, ...state.succeeded(nowMs, intervalMs, "ok") };
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
        return state.failed(nowMs, intervalMs, failure, key);
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
