import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { UsageLedger, isBetterCopy, keepBestCopies, type UsageEvent } from "@quotacast/core";
import { generateHistory } from "../../generators/transcripts";
import { assistantLine, sumTokens, tempConfig } from "./helpers";
import { perTest } from "../../support/per-test";

/** The compiled worker: `npm test` builds core first, as users run it from dist/. */
const WORKER_SCRIPT = path.resolve(__dirname, "../../../core/dist/ingest/scan-worker.js");

function ledger(configDir: string, parallel?: { workerScript: string }): UsageLedger {
  return new UsageLedger({
    configDirs: [configDir],
    // Small chunks: big files are read in several batches, as in a real cold scan.
    scan: { chunkBytes: 16 * 1024 },
    parallel: parallel && { threads: 2, minBytes: 0, workerScript: parallel.workerScript },
  });
}

async function refreshOf(l: UsageLedger) {
  const result = await l.refresh();
  const byKey = (a: UsageEvent, b: UsageEvent) => a.key.localeCompare(b.key);
  return {
    events: (await l.events()).sort(byKey),
    changedKeys: result.changes.map((c) => c.current.key),
    bytesRead: result.bytesRead,
    diagnostics: result.diagnostics,
  };
}

describe("cold scan in worker threads", () => {
  const tmp = perTest(tempConfig, (config) => config.cleanup());

  it("has the compiled worker to test", () => {
    expect(fs.existsSync(WORKER_SCRIPT)).toBe(true);
  });

  it("counts exactly what one thread counts: same winners, same change order, same diagnostics", async () => {
    const history = generateHistory({
      dir: tmp().configDir,
      sizeMb: 3,
      seed: 5,
      endMs: Date.parse("2026-11-20T12:00:00Z"),
      medianFileBytes: 20_000,
    });
    expect(history.files.length).toBeGreaterThan(20);

    const inThread = await refreshOf(ledger(tmp().configDir));
    const inWorkers = await refreshOf(ledger(tmp().configDir, { workerScript: WORKER_SCRIPT }));

    expect(inWorkers.events).toEqual(inThread.events);
    expect(inWorkers.changedKeys).toEqual(inThread.changedKeys);
    expect(inWorkers.bytesRead).toBe(inThread.bytesRead);
    expect(inWorkers.diagnostics).toEqual(inThread.diagnostics);
    expect(inThread.diagnostics.linesSkippedInvalidJson).toBeGreaterThan(0);
    expect(sumTokens(inWorkers.events)).toEqual(sumTokens(history.events));
  });

  it("keeps the largest streamed copy across files and holds back a partial last line", async () => {
    tmp().write("p", "a.jsonl", [
      assistantLine({ id: "m", output: 3 }),
      assistantLine({ id: "n", output: 1 }),
    ]);
    tmp().write("p", "b.jsonl", [
      assistantLine({ id: "m", output: 9 }),
      assistantLine({ id: "m", output: 7 }),
    ]);
    const cut = assistantLine({ id: "q" }).length - 20;
    const partial = tmp().write(
      "p",
      "c.jsonl",
      [assistantLine({ id: "o" }), assistantLine({ id: "q" }).slice(0, cut)],
      {
        trailingNewline: false,
      },
    );
    const l = ledger(tmp().configDir, { workerScript: WORKER_SCRIPT });
    const first = await refreshOf(l);
    expect(first.events.map((e) => [e.key, e.outputTokens])).toEqual([
      ["m:req_1", 9],
      ["n:req_1", 1],
      ["o:req_1", 5],
    ]);
    expect(first.diagnostics.linesSkippedInvalidJson).toBe(0);

    tmp().append(partial, `${assistantLine({ id: "q" }).slice(cut)}\n${assistantLine({ id: "p" })}\n`);
    const second = await refreshOf(l);
    expect(second.changedKeys).toEqual(["q:req_1", "p:req_1"]);
    expect(second.diagnostics.linesSkippedInvalidJson).toBe(0);
  });

  it("reads in its own thread when the worker is missing or dies, losing nothing", async () => {
    for (let i = 0; i < 6; i++) {
      tmp().write("p", `s${i}.jsonl`, [
        assistantLine({ id: `m${i}`, output: i + 1 }),
        assistantLine({ id: "x" }),
      ]);
    }
    const dying = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "qc-worker-")), "dies.js");
    fs.writeFileSync(dying, "process.exit(3);\n");
    const expected = await refreshOf(ledger(tmp().configDir));

    for (const workerScript of [path.join(tmp().configDir, "no-such-worker.js"), dying]) {
      const got = await refreshOf(ledger(tmp().configDir, { workerScript }));
      expect(got.events).toEqual(expected.events);
      expect(got.changedKeys).toEqual(expected.changedKeys);
    }
    fs.rmSync(path.dirname(dying), { recursive: true, force: true });
  });

  it("counts a transcript it cannot read as unreadable, like one thread does", async () => {
    tmp().write("p", "good.jsonl", [assistantLine({ id: "a" })]);
    const dir = path.join(tmp().configDir, "a-directory");
    fs.mkdirSync(dir);
    fs.symlinkSync(dir, tmp().transcript("p", "broken.jsonl")); // listed, stat'ed, but read fails
    const inThread = await refreshOf(ledger(tmp().configDir));
    const inWorkers = await refreshOf(ledger(tmp().configDir, { workerScript: WORKER_SCRIPT }));
    expect(inThread.diagnostics.filesUnreadable).toBe(1);
    expect(inWorkers.diagnostics).toEqual(inThread.diagnostics);
    expect(inWorkers.events).toEqual(inThread.events);
  });
});

describe("keepBestCopies", () => {
  it("folds in any grouping to the winners of offering the copies one by one (random copies)", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 200; round++) {
      const events: UsageEvent[] = Array.from({ length: 30 }, (_, i) => ({
        key: `k${Math.floor(random() * 6)}`,
        timestampMs: i,
        model: "m",
        sessionId: "s",
        project: "p",
        inputTokens: Math.floor(random() * 3),
        outputTokens: Math.floor(random() * 3),
        cacheCreationTokens: Math.floor(random() * 3),
        cacheCreation1hTokens: 0,
        cacheReadTokens: 0,
        speed: "standard",
        isSidechain: random() < 0.5,
      }));
      const oneByOne = new Map<string, UsageEvent>();
      for (const e of events) {
        const kept = oneByOne.get(e.key);
        if (kept === undefined || isBetterCopy(e, kept)) oneByOne.set(e.key, e);
      }
      // Folded per file in a worker, then across files in the ledger: the same winners.
      const cut = Math.floor(random() * 30);
      const halves = keepBestCopies([
        ...keepBestCopies(events.slice(0, cut)),
        ...keepBestCopies(events.slice(cut)),
      ]);
      expect(new Map(halves.map((e) => [e.key, e]))).toEqual(oneByOne);
    }
  });
});
