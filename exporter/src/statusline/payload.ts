/**
 * Claude Code's statusline JSON (stdin), as a schema: only the fields quotacast uses, each
 * null when absent or of another type (Claude Code adds fields; an old one lacks some).
 */
import * as v from "valibot";
import { anObject, finiteNumber, orNull, parseJsonWith, stringOrNull } from "@quotacast/core/schema";
import { StatuslineRateLimitsSchema } from "@quotacast/core/limits/statusline-feed";

export const StatuslinePayloadSchema = v.pipe(
  anObject,
  v.object({
    session_id: stringOrNull,
    transcript_path: stringOrNull,
    model: orNull(v.object({ id: stringOrNull, display_name: stringOrNull })),
    /** The session's cumulative cost so far. */
    cost: orNull(v.object({ total_cost_usd: orNull(finiteNumber) })),
    /** Pro/Max only, after the first answer; percent and unix seconds. */
    rate_limits: orNull(StatuslineRateLimitsSchema),
  }),
);
export type StatuslinePayload = v.InferOutput<typeof StatuslinePayloadSchema>;

/** The payload, or null when stdin held nothing or no JSON object. */
export function parsePayload(raw: Buffer | null): StatuslinePayload | null {
  if (raw === null || raw.length === 0) return null;
  const parsed = parseJsonWith(StatuslinePayloadSchema, raw.toString("utf8"), "statusline payload");
  return parsed.ok ? parsed.value : null;
}
