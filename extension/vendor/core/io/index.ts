// Generated from core/src/io/index.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
// "@quotacast/core/io": the I/O ports core works through, and node's implementation of files.
export { nodeFiles, systemTimeZone } from "./node";
export type { FileIdentity, FilePort, HttpPort, StatePort } from "./ports";
