import { UsageLedger } from "@quotacast/core";

/**
 * The ledger the report commands read. One place to construct it, so the persistent store
 * (SQLite) can replace the in-memory default without touching the commands.
 */
export function openLedger(configDirs: string[]): UsageLedger {
  return new UsageLedger({ configDirs });
}
