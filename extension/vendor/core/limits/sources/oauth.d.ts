// Generated from the declarations of core/src/limits/sources/oauth.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * OAuth usage source (opt-in): the user's own Claude Code token, read on every poll,
 * sent only to the configured Anthropic base URL, never refreshed, stored or logged.
 * After 401/403 it stops calling until the token changes (compared by an in-memory digest).
 */
import * as v from "valibot";
import type { LimitSource, SourceDefinition } from "../source";
export declare const OAUTH_DEFAULT_INTERVAL_MS: number;
/** `enabled` (default false: it reads the user's own Claude Code token); timeout default 15 s. */
declare const oauthSourceOptions: v.ObjectSchema<{
    /** Default `quotacast/<version>`. */
    readonly userAgent: v.OptionalSchema<v.StringSchema<undefined>, undefined>;
    /** Also read /api/oauth/profile (plan, organization). Default true. */
    readonly fetchProfile: v.OptionalSchema<v.BooleanSchema<undefined>, undefined>;
    readonly enabled: v.OptionalSchema<v.BooleanSchema<undefined>, undefined>;
    readonly baseUrl: v.OptionalSchema<v.StringSchema<undefined>, undefined>;
    readonly intervalMs: v.OptionalSchema<v.NumberSchema<undefined>, undefined>;
    readonly timeoutMs: v.OptionalSchema<v.NumberSchema<undefined>, undefined>;
}, undefined>;
export type OAuthSourceConfig = v.InferOutput<typeof oauthSourceOptions>;
export declare function createOAuthSource(): LimitSource;
export declare const oauthSource: SourceDefinition<OAuthSourceConfig>;
export {};
