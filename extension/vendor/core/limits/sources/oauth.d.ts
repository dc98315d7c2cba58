// Generated from the declarations of core/src/limits/sources/oauth.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
import * as z from "zod/mini";
import { type LimitSource, type PollContext, type SourceDefinition } from "../source";
export declare const DEFAULT_ANTHROPIC_BASE_URL = "https://api.anthropic.com";
export declare const OAUTH_DEFAULT_INTERVAL_MS: number;
export declare const oauthSourceOptions: z.ZodMiniObject<{
    enabled: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
    baseUrl: z.ZodMiniOptional<z.ZodMiniString<string>>;
    userAgent: z.ZodMiniOptional<z.ZodMiniString<string>>;
    intervalMs: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
    timeoutMs: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
    fetchProfile: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
}, z.z.core.$strip>;
export type OAuthSourceConfig = z.infer<typeof oauthSourceOptions>;
export declare function userAgentFor(ctx: PollContext): string;
export declare function createOAuthSource(): LimitSource;
export declare const oauthSource: SourceDefinition<OAuthSourceConfig>;
