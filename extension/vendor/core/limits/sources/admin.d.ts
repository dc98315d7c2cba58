// Generated from the declarations of core/src/limits/sources/admin.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
import * as z from "zod/mini";
import { type LimitSource, type SourceDefinition } from "../source";
export declare const ADMIN_SOURCE = "admin";
export declare const adminSourceOptions: z.ZodMiniObject<{
    enabled: z.ZodMiniOptional<z.ZodMiniBoolean<boolean>>;
    apiKey: z.ZodMiniOptional<z.ZodMiniString<string>>;
    baseUrl: z.ZodMiniOptional<z.ZodMiniString<string>>;
    intervalMs: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
    timeoutMs: z.ZodMiniOptional<z.ZodMiniNumber<number>>;
    userEmails: z.ZodMiniOptional<z.ZodMiniArray<z.ZodMiniString<string>>>;
}, z.z.core.$strip>;
export type AdminSourceConfig = z.infer<typeof adminSourceOptions>;
export declare function createAdminSource(): LimitSource;
export declare const adminSource: SourceDefinition<AdminSourceConfig>;
