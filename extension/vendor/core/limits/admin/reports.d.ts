// Generated from the declarations of core/src/limits/admin/reports.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * The Admin API's report pages as schemas: `/v1/organizations/usage_report/claude_code`
 * (one record per user and day) and `/v1/organizations/cost_report`. Amounts arrive in
 * CENTS (numbers or decimal strings) and leave in USD; a missing count is 0. A page must
 * have its `data` array; a record without a date, and anything that is not a record, is
 * left out.
 */
import * as v from "valibot";
import { type Parsed } from "../../schema";
declare const ClaudeCodeRecordSchema: v.SchemaWithPipe<readonly [v.ObjectSchema<{
    readonly date: v.StringSchema<undefined>;
    readonly actor: v.SchemaWithFallback<v.ObjectSchema<{
        type: v.SchemaWithFallback<v.NullableSchema<v.StringSchema<undefined>, undefined>, null>;
        email_address: v.SchemaWithFallback<v.NullableSchema<v.StringSchema<undefined>, undefined>, null>;
        api_key_name: v.SchemaWithFallback<v.NullableSchema<v.StringSchema<undefined>, undefined>, null>;
    }, undefined>, () => {
        type: string | null;
        email_address: string | null;
        api_key_name: string | null;
    }>;
    readonly core_metrics: v.SchemaWithFallback<v.ObjectSchema<{
        num_sessions: v.SchemaWithFallback<v.SchemaWithPipe<readonly [v.UnionSchema<[v.SchemaWithPipe<readonly [v.NumberSchema<undefined>, v.FiniteAction<number, undefined>]>, v.SchemaWithPipe<readonly [v.StringSchema<undefined>, v.TrimAction, v.NonEmptyAction<string, undefined>, v.ToNumberAction<string, undefined>]>], undefined>, v.FiniteAction<number, undefined>]>, 0>;
        lines_of_code: v.SchemaWithFallback<v.ObjectSchema<{
            added: v.SchemaWithFallback<v.SchemaWithPipe<readonly [v.UnionSchema<[v.SchemaWithPipe<readonly [v.NumberSchema<undefined>, v.FiniteAction<number, undefined>]>, v.SchemaWithPipe<readonly [v.StringSchema<undefined>, v.TrimAction, v.NonEmptyAction<string, undefined>, v.ToNumberAction<string, undefined>]>], undefined>, v.FiniteAction<number, undefined>]>, 0>;
            removed: v.SchemaWithFallback<v.SchemaWithPipe<readonly [v.UnionSchema<[v.SchemaWithPipe<readonly [v.NumberSchema<undefined>, v.FiniteAction<number, undefined>]>, v.SchemaWithPipe<readonly [v.StringSchema<undefined>, v.TrimAction, v.NonEmptyAction<string, undefined>, v.ToNumberAction<string, undefined>]>], undefined>, v.FiniteAction<number, undefined>]>, 0>;
        }, undefined>, () => {
            added: number;
            removed: number;
        }>;
        commits_by_claude_code: v.SchemaWithFallback<v.SchemaWithPipe<readonly [v.UnionSchema<[v.SchemaWithPipe<readonly [v.NumberSchema<undefined>, v.FiniteAction<number, undefined>]>, v.SchemaWithPipe<readonly [v.StringSchema<undefined>, v.TrimAction, v.NonEmptyAction<string, undefined>, v.ToNumberAction<string, undefined>]>], undefined>, v.FiniteAction<number, undefined>]>, 0>;
        pull_requests_by_claude_code: v.SchemaWithFallback<v.SchemaWithPipe<readonly [v.UnionSchema<[v.SchemaWithPipe<readonly [v.NumberSchema<undefined>, v.FiniteAction<number, undefined>]>, v.SchemaWithPipe<readonly [v.StringSchema<undefined>, v.TrimAction, v.NonEmptyAction<string, undefined>, v.ToNumberAction<string, undefined>]>], undefined>, v.FiniteAction<number, undefined>]>, 0>;
    }, undefined>, () => {
        num_sessions: number;
        lines_of_code: {
            added: number;
            removed: number;
        };
        commits_by_claude_code: number;
        pull_requests_by_claude_code: number;
    }>;
    readonly model_breakdown: v.SchemaWithFallback<v.SchemaWithPipe<readonly [v.ArraySchema<v.UnknownSchema, undefined>, v.TransformAction<unknown[], {
        model: string;
        costUsd: number;
        inputTokens: number;
        outputTokens: number;
        cacheReadTokens: number;
        cacheCreationTokens: number;
    }[]>]>, readonly []>;
}, undefined>, v.TransformAction<{
    date: string;
    actor: {
        type: string | null;
        email_address: string | null;
        api_key_name: string | null;
    };
    core_metrics: {
        num_sessions: number;
        lines_of_code: {
            added: number;
            removed: number;
        };
        commits_by_claude_code: number;
        pull_requests_by_claude_code: number;
    };
    model_breakdown: {
        model: string;
        costUsd: number;
        inputTokens: number;
        outputTokens: number;
        cacheReadTokens: number;
        cacheCreationTokens: number;
    }[];
}, {
    date: string;
    /** Email for user actors, key name for API actors. */
    actor: string;
    actorType: "user" | "api_key" | "unknown";
    sessions: number;
    linesAdded: number;
    linesRemoved: number;
    commits: number;
    pullRequests: number;
    models: {
        model: string;
        costUsd: number;
        inputTokens: number;
        outputTokens: number;
        cacheReadTokens: number;
        cacheCreationTokens: number;
    }[];
}>]>;
/** One record of the Claude Code usage report, normalized. */
export type ClaudeCodeUsageRecord = v.InferOutput<typeof ClaudeCodeRecordSchema>;
declare const ClaudeCodePageSchema: v.SchemaWithPipe<readonly [v.ObjectSchema<{
    readonly has_more: v.SchemaWithFallback<v.BooleanSchema<undefined>, false>;
    readonly next_page: v.SchemaWithFallback<v.NullableSchema<v.StringSchema<undefined>, undefined>, null>;
    readonly data: v.SchemaWithPipe<readonly [v.ArraySchema<v.UnknownSchema, undefined>, v.TransformAction<unknown[], {
        date: string;
        /** Email for user actors, key name for API actors. */
        actor: string;
        actorType: "user" | "api_key" | "unknown";
        sessions: number;
        linesAdded: number;
        linesRemoved: number;
        commits: number;
        pullRequests: number;
        models: {
            model: string;
            costUsd: number;
            inputTokens: number;
            outputTokens: number;
            cacheReadTokens: number;
            cacheCreationTokens: number;
        }[];
    }[]>]>;
}, undefined>, v.TransformAction<{
    has_more: boolean;
    next_page: string | null;
    data: {
        date: string;
        /** Email for user actors, key name for API actors. */
        actor: string;
        actorType: "user" | "api_key" | "unknown";
        sessions: number;
        linesAdded: number;
        linesRemoved: number;
        commits: number;
        pullRequests: number;
        models: {
            model: string;
            costUsd: number;
            inputTokens: number;
            outputTokens: number;
            cacheReadTokens: number;
            cacheCreationTokens: number;
        }[];
    }[];
}, {
    records: {
        date: string;
        /** Email for user actors, key name for API actors. */
        actor: string;
        actorType: "user" | "api_key" | "unknown";
        sessions: number;
        linesAdded: number;
        linesRemoved: number;
        commits: number;
        pullRequests: number;
        models: {
            model: string;
            costUsd: number;
            inputTokens: number;
            outputTokens: number;
            cacheReadTokens: number;
            cacheCreationTokens: number;
        }[];
    }[];
    nextPage: string | null;
}>]>;
/** One page of the usage report: records plus the cursor of the next page. */
export declare function parseClaudeCodePage(body: unknown): Parsed<v.InferOutput<typeof ClaudeCodePageSchema>>;
declare const CostReportPageSchema: v.SchemaWithPipe<readonly [v.ObjectSchema<{
    readonly has_more: v.SchemaWithFallback<v.BooleanSchema<undefined>, false>;
    readonly next_page: v.SchemaWithFallback<v.NullableSchema<v.StringSchema<undefined>, undefined>, null>;
    readonly data: v.SchemaWithPipe<readonly [v.ArraySchema<v.UnknownSchema, undefined>, v.TransformAction<unknown[], {
        results: {
            amount: number;
        }[];
    }[]>]>;
}, undefined>, v.TransformAction<{
    has_more: boolean;
    next_page: string | null;
    data: {
        results: {
            amount: number;
        }[];
    }[];
}, {
    totalUsd: number;
    nextPage: string | null;
}>]>;
/** One page of the cost report: its total in USD (`amount` is a decimal string in cents). */
export declare function parseCostReportPage(body: unknown): Parsed<v.InferOutput<typeof CostReportPageSchema>>;
export {};
