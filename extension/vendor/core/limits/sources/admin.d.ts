// Generated from the declarations of core/src/limits/sources/admin.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * Admin API source (opt-in, organizations): month-to-date Claude Code cost per user and
 * per model, the cost report total, and an end-of-month projection. The admin key comes
 * from the config or `ANTHROPIC_ADMIN_KEY` and is sent only to the configured base URL.
 */
import * as v from "valibot";
import type { LimitSource, SourceDefinition } from "../source";
export declare const ADMIN_SOURCE = "admin";
/** `enabled` by default when an admin key is configured (env `ANTHROPIC_ADMIN_KEY`); timeout default 30 s. */
declare const adminSourceOptions: v.ObjectSchema<{
    readonly apiKey: v.OptionalSchema<v.StringSchema<undefined>, undefined>;
    /** Only count these users (email addresses); default everyone. */
    readonly userEmails: v.OptionalSchema<v.ArraySchema<v.StringSchema<undefined>, undefined>, undefined>;
    readonly enabled: v.OptionalSchema<v.BooleanSchema<undefined>, undefined>;
    readonly baseUrl: v.OptionalSchema<v.StringSchema<undefined>, undefined>;
    readonly intervalMs: v.OptionalSchema<v.NumberSchema<undefined>, undefined>;
    readonly timeoutMs: v.OptionalSchema<v.NumberSchema<undefined>, undefined>;
}, undefined>;
export type AdminSourceConfig = v.InferOutput<typeof adminSourceOptions>;
export declare function createAdminSource(): LimitSource;
export declare const adminSource: SourceDefinition<AdminSourceConfig>;
export {};
