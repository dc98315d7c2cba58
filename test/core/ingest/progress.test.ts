/** A refresh reports its progress after each file, ending at the bytes it had to read. */
import * as fs from "node:fs";
import { UsageLedger, type RefreshProgress } from "@quotacast/core";
import { assistantLine, tempConfig, userLine } from "./helpers";

test("progress grows file by file to the total of the bytes to read, and only for new bytes", async () => {
  const config = tempConfig();
  try {
    const first = config.write("p", "a.jsonl", [
      assistantLine({ id: "m1", requestId: "r1" }),
      userLine("x".repeat(500)),
    ]);
    const second = config.write("p", "b.jsonl", [assistantLine({ id: "m2", requestId: "r2" })]);
    const seen: RefreshProgress[] = [];
    const ledger = new UsageLedger({
      configDirs: [config.configDir],
      onProgress: (p) => seen.push({ ...p }),
    });
    await ledger.refresh();
    const total = fs.statSync(first).size + fs.statSync(second).size;
    expect(seen.map((p) => p.bytesTotal)).toEqual([total, total]);
    expect(seen[0].bytesDone).toBeLessThan(total);
    expect(seen[1].bytesDone).toBe(total);

    seen.length = 0;
    config.append(second, `${assistantLine({ id: "m3", requestId: "r3" })}\n`);
    await ledger.refresh();
    const appended = fs.statSync(second).size - (total - fs.statSync(first).size);
    expect(seen).toEqual([{ bytesDone: appended, bytesTotal: appended }]);
  } finally {
    config.cleanup();
  }
});
