/**
 * The Admin API's report pages as schemas: `/v1/organizations/usage_report/claude_code`
 * (one record per user and day) and `/v1/organizations/cost_report`. Amounts arrive in
 * CENTS (numbers or decimal strings) and leave in USD; a missing count is 0. A page must
 * have its `data` array; a record without a date, and anything that is not a record, is
 * left out.
 */
import * as v from "valibot";
import { objectOrEmpty, parseWith, stringOrNull, validItems, type Parsed } from "../../schema";
import { centsToUnits, numberOrZero } from "../units";

const ModelBreakdownSchema = v.pipe(
  v.object({
    model: v.fallback(v.string(), "unknown"),
    estimated_cost: objectOrEmpty({ amount: numberOrZero }),
    tokens: objectOrEmpty({
      input: numberOrZero,
      output: numberOrZero,
      cache_read: numberOrZero,
      cache_creation: numberOrZero,
    }),
  }),
  v.transform(({ model, estimated_cost, tokens }) => ({
    model,
    costUsd: centsToUnits(estimated_cost.amount),
    inputTokens: tokens.input,
    outputTokens: tokens.output,
    cacheReadTokens: tokens.cache_read,
    cacheCreationTokens: tokens.cache_creation,
  })),
);

function actorTypeOf(type: string | null): "user" | "api_key" | "unknown" {
  return type === "user_actor" ? "user" : type === "api_actor" ? "api_key" : "unknown";
}

const ClaudeCodeRecordSchema = v.pipe(
  v.object({
    date: v.string(),
    actor: objectOrEmpty({ type: stringOrNull, email_address: stringOrNull, api_key_name: stringOrNull }),
    core_metrics: objectOrEmpty({
      num_sessions: numberOrZero,
      lines_of_code: objectOrEmpty({ added: numberOrZero, removed: numberOrZero }),
      commits_by_claude_code: numberOrZero,
      pull_requests_by_claude_code: numberOrZero,
    }),
    model_breakdown: v.fallback(validItems(ModelBreakdownSchema), []),
  }),
  v.transform(({ date, actor, core_metrics: core, model_breakdown }) => ({
    date: date.slice(0, 10),
    /** Email for user actors, key name for API actors. */
    actor: actor.email_address ?? actor.api_key_name ?? "unknown",
    actorType: actorTypeOf(actor.type),
    sessions: core.num_sessions,
    linesAdded: core.lines_of_code.added,
    linesRemoved: core.lines_of_code.removed,
    commits: core.commits_by_claude_code,
    pullRequests: core.pull_requests_by_claude_code,
    models: model_breakdown,
  })),
);

/** One record of the Claude Code usage report, normalized. */
export type ClaudeCodeUsageRecord = v.InferOutput<typeof ClaudeCodeRecordSchema>;

/** The cursor of the next page, null when done. */
const PAGING = { has_more: v.fallback(v.boolean(), false), next_page: stringOrNull };
const nextPageOf = (page: { has_more: boolean; next_page: string | null }) =>
  page.has_more ? page.next_page : null;

const ClaudeCodePageSchema = v.pipe(
  v.object({ data: validItems(ClaudeCodeRecordSchema), ...PAGING }),
  v.transform((page) => ({ records: page.data, nextPage: nextPageOf(page) })),
);

/** One page of the usage report: records plus the cursor of the next page. */
export function parseClaudeCodePage(body: unknown): Parsed<v.InferOutput<typeof ClaudeCodePageSchema>> {
  return parseWith(
    ClaudeCodePageSchema,
    body,
    "Admin API usage report (/v1/organizations/usage_report/claude_code)",
  );
}

/** A daily bucket of the cost report; one without a `results` array is left out. */
const CostBucketSchema = v.object({ results: validItems(v.object({ amount: numberOrZero })) });

const CostReportPageSchema = v.pipe(
  v.object({ data: validItems(CostBucketSchema), ...PAGING }),
  v.transform((page) => ({
    totalUsd: centsToUnits(
      page.data.flatMap((bucket) => bucket.results).reduce((sum, r) => sum + r.amount, 0),
    ),
    nextPage: nextPageOf(page),
  })),
);

/** One page of the cost report: its total in USD (`amount` is a decimal string in cents). */
export function parseCostReportPage(body: unknown): Parsed<v.InferOutput<typeof CostReportPageSchema>> {
  return parseWith(CostReportPageSchema, body, "Admin API cost report (/v1/organizations/cost_report)");
}
