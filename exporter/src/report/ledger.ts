import type { UsageLedger } from "@quotacast/core";
import { openCliState } from "../cli-state";

/**
 * The ledger the report commands read: the CLI's persistent state (see cli-state.ts), so
 * deleted transcripts keep their totals and repeated runs read only appended bytes.
 */
export function openLedger(configDirs: string[]): UsageLedger {
  return openCliState(configDirs).ledger;
}
