// Generated from core/src/ingest/index.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
// "@quotacast/core/ingest": reading transcripts into usage events (no rate-limit source code).
export { candidateConfigDirs, claudeConfigDirs, projectsDir } from "./discover";
export { isBetterCopy } from "./dedup";
export { UsageLedger, type Diagnostics, type RefreshProgress, type UsageChange } from "./ledger";
export {
  NUMBER_FIELDS,
  packEvents,
  packedTimestampMs,
  REF_FIELDS,
  unpackEvent,
  type PackedEvents,
} from "./packed-events";
export { defaultScanThreads } from "./scan-pool";
export type { FileCursor, LedgerCommit, LedgerStore } from "./store";
export type { UsageEvent } from "./usage-event";
