/** The three LedgerStore implementations run the one contract suite (test/support/ledger-store-contract.ts). */
import * as fs from "node:fs";
import * as path from "node:path";
import { MemoryLedgerStore } from "@quotacast/core";
import { openDatabase, type Db } from "../../exporter/src/db/open";
import { SqliteLedgerStore } from "../../exporter/src/db/ledger-store";
import { FileLedgerStore } from "../../extension/src/ledger-store";
import { CONTRACT_NOW_MS, describeLedgerStoreContract } from "../support/ledger-store-contract";
import { tempDir } from "../fakes/ports";

describeLedgerStoreContract("core's MemoryLedgerStore", () => ({
  store: new MemoryLedgerStore(),
  close: () => undefined,
}));

describeLedgerStoreContract("the exporter's SqliteLedgerStore", () => {
  const dir = tempDir("qc-contract-sqlite-");
  const dbPath = path.join(dir, "quotacast.db");
  const dbs: Db[] = [openDatabase(dbPath)];
  return {
    store: new SqliteLedgerStore(dbs[0]),
    reopen: () => {
      const db = openDatabase(dbPath);
      dbs.push(db);
      return new SqliteLedgerStore(db);
    },
    close: () => {
      for (const db of dbs) db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describeLedgerStoreContract("the extension's FileLedgerStore", () => {
  const dir = tempDir("qc-contract-file-");
  const open = () =>
    new FileLedgerStore(path.join(dir, "ledger"), { nowMs: () => CONTRACT_NOW_MS, shards: 4 });
  return {
    store: open(),
    reopen: open,
    close: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});
