import * as fs from "node:fs";
import * as path from "node:path";
import {
  GENERATOR_MODELS,
  generateHistory,
  truthByDay,
  truthDayKey,
  type GeneratedHistory,
  type TruthEvent,
} from "./transcripts";
import { measureHistoryShape } from "./shape";
import { tempDirPerBlock, withTempDir } from "../support/per-test";

const END_MS = Date.parse("2026-11-20T12:00:00.000Z");

/** Every usage line of the history, parsed, by dedup key (the test's own independent reading). */
function readUsageLines(
  history: GeneratedHistory,
): Map<string, { output: number; total: number; ts: number }[]> {
  const byKey = new Map<string, { output: number; total: number; ts: number }[]>();
  for (const file of history.files) {
    for (const text of fs.readFileSync(file, "utf8").split("\n")) {
      let line: {
        requestId?: string;
        timestamp?: string;
        message?: { id?: string; model?: string; usage?: Record<string, number> };
      };
      try {
        line = JSON.parse(text);
      } catch {
        continue;
      }
      const usage = line.message?.usage;
      if (!usage || line.message?.model === GENERATOR_MODELS.synthetic) continue;
      const key = line.requestId ? `${line.message!.id}:${line.requestId}` : `${line.message!.id}`;
      const total =
        usage.input_tokens +
        usage.output_tokens +
        usage.cache_creation_input_tokens +
        usage.cache_read_input_tokens;
      const copies = byKey.get(key) ?? [];
      copies.push({ output: usage.output_tokens, total, ts: Date.parse(line.timestamp!) });
      byKey.set(key, copies);
    }
  }
  return byKey;
}

describe("generateHistory", () => {
  const dir = tempDirPerBlock("qc-gen-");
  let history: GeneratedHistory;

  beforeAll(() => {
    history = generateHistory({ dir: dir(), sizeMb: 3, seed: 7, endMs: END_MS, medianFileBytes: 20_000 });
  });

  it("writes about the requested size as session and subagent transcripts", () => {
    expect(history.bytesWritten).toBeGreaterThan(2_900_000);
    expect(history.bytesWritten).toBeLessThan(3_600_000);
    const onDisk = history.files.reduce((sum, f) => sum + fs.statSync(f).size, 0);
    expect(onDisk).toBeGreaterThanOrEqual(history.bytesWritten);
    expect(
      history.files.every((f) => f.startsWith(path.join(dir(), "projects")) && f.endsWith(".jsonl")),
    ).toBe(true);
    expect(history.files.some((f) => /[/\\]subagents[/\\]agent-[^/\\]+\.jsonl$/.test(f))).toBe(true);
  });

  it("is deterministic for a seed", async () => {
    await withTempDir("qc-gen-", (other) => {
      const again = generateHistory({
        dir: other,
        sizeMb: 3,
        seed: 7,
        endMs: END_MS,
        medianFileBytes: 20_000,
      });
      expect(again.events).toEqual(history.events);
      const relative = (h: GeneratedHistory) => h.files.map((f) => path.relative(h.dir, f));
      expect(relative(again)).toEqual(relative(history));
      expect(fs.readFileSync(again.files[0], "utf8")).toBe(fs.readFileSync(history.files[0], "utf8"));
    });
  });

  it("has the ground truth equal to the largest copy of every key on disk", () => {
    const lines = readUsageLines(history);
    expect(lines.size).toBe(history.events.length);
    for (const event of history.events) {
      const copies = lines.get(event.key)!;
      const best = Math.max(...copies.map((c) => c.total));
      expect(best).toBe(
        event.inputTokens + event.outputTokens + event.cacheCreationTokens + event.cacheReadTokens,
      );
      expect(copies.length).toBe(event.copies.length);
    }
  });

  it("writes every response 2-5 times with growing output tokens", () => {
    const lines = readUsageLines(history);
    const streamed = [...lines.values()].filter((c) => c.length >= 2);
    expect(streamed.length).toBeGreaterThan(history.events.length * 0.9);
    for (const event of history.events) {
      const outputs = event.copies.map((c) => c.outputTokens);
      const own = outputs.slice(0, outputs.indexOf(event.outputTokens) + 1);
      expect(own.length).toBeGreaterThanOrEqual(2);
      expect(own.length).toBeLessThanOrEqual(5);
      for (let i = 1; i < own.length; i++) expect(own[i]).toBeGreaterThan(own[i - 1]);
    }
  });

  it("includes the awkward cases real histories have", () => {
    const models = new Set(history.events.map((e) => e.model));
    for (const model of [GENERATOR_MODELS.opus45, GENERATOR_MODELS.opus46, GENERATOR_MODELS.sonnet45]) {
      expect(models.has(model)).toBe(true);
    }
    expect(models.has(GENERATOR_MODELS.haiku45)).toBe(true);
    const some = (p: (e: TruthEvent) => boolean) => history.events.some(p);
    expect(some((e) => !e.hasRequestId)).toBe(true);
    expect(some((e) => e.cacheCreation1hTokens > 0)).toBe(true);
    expect(some((e) => e.isSidechain)).toBe(true);
    expect(some((e) => e.copies.length > 5)).toBe(true); // copied into a resumed session
    const all = history.files.map((f) => fs.readFileSync(f, "utf8")).join("");
    for (const type of ["user", "assistant", "system", "summary", "file-history-snapshot", "progress"]) {
      expect(all.includes(`"type":"${type}"`)).toBe(true);
    }
  });

  it("keeps every timestamp inside the requested span", () => {
    const first = history.events[0].timestampMs;
    const last = history.events[history.events.length - 1].timestampMs;
    expect(first).toBeGreaterThanOrEqual(END_MS - 60 * 86_400_000);
    expect(last).toBeLessThanOrEqual(END_MS);
    expect(truthByDay(history.events, "UTC").size).toBeGreaterThan(10);
  });
});

describe("generator extras on a larger history", () => {
  it("writes proxy models, fast mode, synthetic and invalid lines even in a small history", async () => {
    await withTempDir("qc-gen-", (dir) => {
      const history = generateHistory({ dir, sizeMb: 1, seed: 3, endMs: END_MS, medianFileBytes: 20_000 });
      expect(history.events.some((e) => e.model === GENERATOR_MODELS.proxy)).toBe(true);
      expect(history.events.some((e) => e.speed === "fast")).toBe(true);
      expect(history.syntheticLines).toBeGreaterThan(0);
      expect(history.invalidLines).toBeGreaterThan(0);
      let invalid = 0;
      for (const file of history.files) {
        for (const text of fs.readFileSync(file, "utf8").split("\n")) {
          if (text === "") continue;
          try {
            JSON.parse(text);
          } catch {
            invalid++;
          }
        }
      }
      expect(invalid).toBe(history.invalidLines);
    });
  });
});

describe("generator options", () => {
  it("can leave out requestId-less responses and null cwd fields", async () => {
    await withTempDir("qc-gen-", (dir) => {
      const history = generateHistory({
        dir,
        sizeMb: 1,
        seed: 3,
        endMs: END_MS,
        medianFileBytes: 20_000,
        missingRequestIdRatio: 0,
        nullCwdRatio: 0,
      });
      expect(history.events.length).toBeGreaterThan(50);
      expect(history.events.every((e) => e.hasRequestId && !e.nullCwd)).toBe(true);
      const text = history.files.map((f) => fs.readFileSync(f, "utf8")).join("");
      expect(text.includes('"cwd":null')).toBe(false);
    });
  });
});

describe("real-shaped histories", () => {
  it("has the proportions of data-sources.md and a truth equal to the largest copy on disk", async () => {
    await withTempDir("qc-gen-", (dir) => {
      const history = generateHistory({ dir, sizeMb: 12, seed: 5, endMs: END_MS, shape: "real" });
      const shape = measureHistoryShape(dir);
      expect(shape.bytesPerUsageLine).toBeGreaterThan(7_300);
      expect(shape.bytesPerUsageLine).toBeLessThan(10_100);
      expect(shape.byteShare.user).toBeGreaterThan(0.52);
      expect(shape.byteShare.assistantUsage).toBeGreaterThan(0.15);
      expect(shape.byteShare.assistantUsage).toBeLessThan(0.29);
      expect(shape.sidechainLineShare).toBeGreaterThan(0.04);
      expect(shape.linesPerFile.median).toBeLessThan(80);
      expect(shape.noRequestId.bedrockIds).toBeGreaterThan(0);
      expect(shape.noRequestId.maxCopies).toBeLessThanOrEqual(9);
      const lines = readUsageLines(history);
      expect(lines.size).toBe(history.events.length);
      for (const event of history.events) {
        const best = Math.max(...lines.get(event.key)!.map((c) => c.total));
        expect(best).toBe(
          event.inputTokens + event.outputTokens + event.cacheCreationTokens + event.cacheReadTokens,
        );
      }
    });
  });
});

describe("truthByDay", () => {
  it("groups by the calendar day of the given time zone", () => {
    const ms = Date.parse("2026-11-20T03:00:00Z");
    expect(truthDayKey(ms, "UTC")).toBe("2026-11-20");
    expect(truthDayKey(ms, "America/New_York")).toBe("2026-11-19");
  });
});
