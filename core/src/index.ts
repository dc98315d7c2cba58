// Public face of @quotacast/core. Each area owns its section; keep them in this order.

// --- shared types and I/O ports
export * from "./ingest/usage-event";
export * from "./limits/snapshot";
export * from "./forecast/types";
export * from "./report/summary";
export * from "./io/ports";
export * from "./time";

// --- ingest, pricing, usage (transcripts)
export * from "./ingest/discover";
export * from "./ingest/store";
export * from "./ingest/ledger";
export * from "./ingest/parse";
export * from "./ingest/dedup";
export * from "./ingest/reader";
export * from "./ingest/file-scan";
export { defaultScanThreads, DEFAULT_PARALLEL_MIN_BYTES, type ParallelScanOptions } from "./ingest/scan-pool";
export * from "./pricing/price";
export * from "./usage/aggregate";
export * from "./usage/blocks";
export { nodeFiles, nodeHttp } from "./io/node";

// --- limits (rate-limit sources, snapshot history)
export * from "./limits/history";
export * from "./limits/file-history";
export * from "./limits/source";
export { redactSecrets } from "./limits/redact";
export * from "./limits/backoff";
export * from "./limits/merge";
export * from "./limits/poll";
export * from "./limits/statusline-feed";
export {
  checkStatuslineCommand,
  planStatuslineCommand,
  transientPlaceOf,
  type CommandProbe,
  type StatuslineCommandCheck,
  type StatuslineCommandPlan,
} from "./limits/statusline-command";
export * from "./limits/header-file";
export * from "./limits/oauth/parse";
export * from "./limits/oauth/credentials";
export * from "./limits/admin/org-usage";
export * from "./limits/sources";
export * from "./limits/sources/statusline";
export * from "./limits/sources/oauth";
export * from "./limits/sources/header-file";
export * from "./limits/sources/admin";

// --- forecast
export * from "./forecast/series";
export * from "./forecast/random";
export { normalCdf, normalQuantile } from "./forecast/stats";
export * from "./forecast/model";
export * from "./forecast/learned-limit";
export * from "./forecast/transcript-prior";
export * from "./forecast/claumon";
export * from "./forecast/strategies";
export * from "./forecast/score";
export * from "./forecast/bench";
export * from "./forecast/current";

// --- report (Summary builder)
export * from "./report/build";
export * from "./report/format";
export * from "./report/pipeline";
