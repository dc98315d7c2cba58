import * as fs from "node:fs"; import * as os from "node:os"; import * as path from "node:path";
import { UsageLedger, MemoryLedgerStore } from "./core/src/index";
import { FileLedgerStore } from "./extension/src/ledger-store";
async function main() {
  const data = "bench/data/history-500mb-seed1";
  const which = process.argv[2];
  const t0 = performance.now();
  const store = which === "mem" ? new MemoryLedgerStore() : new FileLedgerStore(fs.mkdtempSync(path.join(os.tmpdir(), "prof-")));
  const ledger = new UsageLedger({ configDirs: [data], store });
  const r = await ledger.refresh();
  console.log(which, (performance.now() - t0).toFixed(0), "ms", r.changes.length, r.bytesRead);
}
main();
