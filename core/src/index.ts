// Public face of @quotacast/core. Each area owns its section; keep them in this order.

// --- shared types and I/O ports
export * from "./ingest/usage-event";
export * from "./limits/snapshot";
export * from "./forecast/types";
export * from "./report/summary";
export * from "./io/ports";

// --- ingest, pricing, usage (transcripts)

// --- limits (rate-limit sources, snapshot history)

// --- forecast

// --- report (Summary builder)
