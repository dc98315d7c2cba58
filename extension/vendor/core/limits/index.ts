// Generated from core/src/limits/index.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
// "@quotacast/core/limits": the face of a rate-limit source, snapshots, their history and
// polling. No source implementation: each source is its own entry (limits/sources/<name>),
// so a bundle carries only the sources it imports (the extension: no OAuth, Admin API or
// credentials code).
export { FileSnapshotHistory } from "./file-history";
export { pollAll } from "./poll";
export type { ExtraUsage, PlanInfo, RateLimitSnapshot } from "./snapshot";
export type { LimitSource, PollContext, SourceStatus } from "./source";
