import * as path from "node:path";
import { MemoryLedgerStore, UsageLedger, nodeFiles, parseUsageLine, type FilePort } from "@quotacast/core";
import { assistantLine, failingFiles, tempConfig } from "./helpers";
import { perTest } from "../../support/per-test";

const origin = { project: "p", sessionId: "s", positionKey: "line:f:0" };
const NOW_MS = Date.parse("2026-11-20T12:00:00.000Z");
const bounds = { notAfterMs: NOW_MS + 86_400_000 };
const parse = (line: string) => parseUsageLine(line, origin, bounds);
const clock = { nowMs: () => NOW_MS };

/** A line with one usage field set to raw JSON text (so 1e308 and 2^63 stay as written). */
function withTokens(field: string, rawValue: string): string {
  return assistantLine({ id: `m-${field}-${rawValue}` }).replace(
    new RegExp(`"${field}":\\d+`),
    `"${field}":${rawValue}`,
  );
}

describe("every count is bounded", () => {
  it.each(["1e308", "9223372036854775808", "1e20", "10000001", "9007199254740993"])(
    "rejects output_tokens %s as malformed",
    (raw) => {
      expect(parse(withTokens("output_tokens", raw)).kind).toBe("malformed");
    },
  );

  it.each(["input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens"])(
    "bounds %s too",
    (field) => {
      expect(parse(withTokens(field, "10000001")).kind).toBe("malformed");
      const ok = parse(withTokens(field, "10000000"));
      expect(ok.kind).toBe("event");
    },
  );

  it("bounds the 5m/1h cache breakdown", () => {
    const line = assistantLine({ id: "c", cacheWrite: 100, cacheWrite1h: 60 }).replace(
      '"ephemeral_1h_input_tokens":60',
      '"ephemeral_1h_input_tokens":1e20',
    );
    expect(parse(line).kind).toBe("malformed");
  });

  it("does not believe a recorded costUSD that is negative or absurd", () => {
    const parsed = parse(assistantLine({ id: "k", extra: { costUSD: 1e300 } }));
    expect(parsed.kind === "event" && parsed.event.recordedCostUsd).toBeUndefined();
  });
});

describe("timestamps outside 2023-01-01 .. now + 1 day are skipped", () => {
  it.each([
    "1970-01-01T00:00:00.000Z",
    "0000-01-01T00:00:00.000Z",
    "2022-12-31T23:59:59.999Z",
    "2200-01-01T00:00:00.000Z",
    "2026-11-21T12:00:00.001Z",
  ])("%s is malformed", (timestamp) => {
    expect(parse(assistantLine({ timestamp })).kind).toBe("malformed");
  });

  it.each(["2023-01-01T00:00:00.000Z", "2026-11-21T11:59:59.000Z"])("%s counts", (timestamp) => {
    expect(parse(assistantLine({ timestamp })).kind).toBe("event");
  });
});

describe("the ledger counts every valid line and skips the rest out loud", () => {
  const tmp = perTest(tempConfig, (config) => config.cleanup());

  it('counts a spaced `"usage": {` line; counts 1e308 and year-2200 lines as skipped', async () => {
    const spaced = JSON.stringify(JSON.parse(assistantLine({ id: "spaced", output: 7 })), null, 1)
      .replace(/\n\s*/g, " ")
      .replace(/\{ /g, "{");
    expect(spaced).toContain('"usage": {');
    tmp().write("p", "s.jsonl", [
      assistantLine({ id: "good", output: 5 }),
      withTokens("output_tokens", "1e308"),
      assistantLine({ id: "future", timestamp: "2200-01-01T00:00:00.000Z" }),
      spaced,
    ]);
    const ledger = new UsageLedger({ configDirs: [tmp().configDir], clock });
    const result = await ledger.refresh();
    expect((await ledger.events()).map((e) => [e.key, e.outputTokens]).sort()).toEqual([
      ["good:req_1", 5],
      ["spaced:req_1", 7],
    ]);
    expect(result.diagnostics).toMatchObject({ linesSkippedInvalidJson: 0, linesSkippedOther: 2 });
  });

  it("reports unreadable files per refresh, not summed over refreshes", async () => {
    const bad = tmp().write("p", "bad.jsonl", [assistantLine({ id: "b" })]);
    const ledger = new UsageLedger({
      configDirs: [tmp().configDir],
      files: failingFiles(nodeFiles, (p) => p === bad),
      clock,
    });
    for (let i = 0; i < 3; i++) await ledger.refresh();
    expect(ledger.diagnostics().filesUnreadable).toBe(1);
  });

  it("reports a directory it cannot list", async () => {
    tmp().write("p", "ok.jsonl", [assistantLine({ id: "ok" })]);
    tmp().write("locked", "s.jsonl", [assistantLine({ id: "hidden" })]);
    const lockedDir = path.join(tmp().configDir, "projects", "locked");
    const files = unlistableDirs(nodeFiles, lockedDir);
    const ledger = new UsageLedger({ configDirs: [tmp().configDir], files, clock });
    const result = await ledger.refresh();
    expect((await ledger.events()).map((e) => e.key)).toEqual(["ok:req_1"]);
    expect(result.diagnostics.filesUnreadable).toBe(1);
    expect(ledger.diagnostics().filesUnreadable).toBe(1);
  });

  it("still lists an unpriced model after a restart (a new ledger on the same store)", async () => {
    tmp().write("p", "s.jsonl", [assistantLine({ id: "g", model: "glm-4.7" }), assistantLine({ id: "c" })]);
    const store = new MemoryLedgerStore();
    await new UsageLedger({ configDirs: [tmp().configDir], store, clock }).refresh();
    const restarted = new UsageLedger({ configDirs: [tmp().configDir], store, clock });
    const result = await restarted.refresh();
    expect(result.changes).toEqual([]);
    expect(restarted.diagnostics().unknownModels).toEqual(["glm-4.7"]);
  });
});

/** node:fs with one directory that cannot be read (tests run as root, so chmod would not do). */
function unlistableDirs(inner: FilePort, lockedDir: string): FilePort {
  return {
    ...inner,
    async listFiles(dir, suffix, onUnreadable) {
      const listed = await inner.listFiles(dir, suffix, onUnreadable);
      if (listed.some((p) => p.startsWith(lockedDir + path.sep))) onUnreadable?.(lockedDir);
      return listed.filter((p) => !p.startsWith(lockedDir + path.sep));
    },
  };
}

describe("timestamps in Claude Code's form are read from their digits exactly as Date.parse reads them", () => {
  it("on every field at and beyond its range", () => {
    const pad = (n: number, width: number) => String(n).padStart(width, "0");
    const wide = { notAfterMs: Date.UTC(2100, 0, 1) };
    let checked = 0;
    for (const year of [999, 1999, 2024, 2026]) {
      for (const month of [0, 1, 2, 12, 13]) {
        for (const day of [0, 1, 28, 29, 30, 31, 32]) {
          for (const [hour, minute, second] of [
            [0, 0, 0],
            [23, 59, 59],
            [24, 0, 0],
            [12, 60, 0],
            [12, 0, 60],
          ]) {
            const timestamp = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(checked % 1000, 3)}Z`;
            const expectedMs = Date.parse(timestamp);
            const parsed = parseUsageLine(assistantLine({ timestamp }), origin, wide);
            if (Number.isNaN(expectedMs) || expectedMs < Date.UTC(2023, 0, 1))
              expect({ timestamp, kind: parsed.kind }).toEqual({ timestamp, kind: "malformed" });
            else
              expect({ timestamp, ms: parsed.kind === "event" && parsed.event.timestampMs }).toEqual({
                timestamp,
                ms: expectedMs,
              });
            checked++;
          }
        }
      }
    }
    expect(checked).toBe(700);
  });
});
