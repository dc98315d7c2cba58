/** The benchmark's pure helpers (bench/compare.ts): RESULTS.md sections and per-day comparison. */
import { ccusageDailyModel, dayDifferences } from "../../bench/compare";
import { replaceSection, sectionMarkers } from "../../bench/results";
import type { TruthEvent } from "./transcripts";

describe("replaceSection", () => {
  const { start: SECTION_START, end: SECTION_END } = sectionMarkers("transcripts");
  it("appends the section to a file without one and keeps what others wrote", () => {
    const existing = "# Benchmark results\n\n## Exporter\n\nscrape p99 4 ms\n";
    const out = replaceSection(existing, "transcripts", "## Transcripts\nfirst");
    expect(out.startsWith(existing.trimEnd())).toBe(true);
    expect(out).toContain(`${SECTION_START}\n## Transcripts\nfirst\n${SECTION_END}`);
  });

  it("replaces only its own section on the next run", () => {
    const before = replaceSection("# R\n\n## Exporter\nA\n", "transcripts", "old figures");
    const withLater = `${before}\n## Extension\nB\n`;
    const after = replaceSection(withLater, "transcripts", "new figures");
    expect(after).not.toContain("old figures");
    expect(after).toContain("new figures");
    expect(after).toContain("## Exporter\nA");
    expect(after).toContain("## Extension\nB");
    expect(after.split(SECTION_START)).toHaveLength(2);
  });

  it("starts a new file with a title", () => {
    expect(replaceSection("", "transcripts", "x")).toBe(
      `# Benchmark results\n\n${SECTION_START}\nx\n${SECTION_END}\n`,
    );
  });
});

describe("dayDifferences", () => {
  it("lists the days and token types that differ, a missing day counting as zeros", () => {
    const t = (i: number, o: number) => ({
      inputTokens: i,
      outputTokens: o,
      cacheCreationTokens: 0,
      cacheReadTokens: 0,
    });
    const a = new Map([
      ["2026-11-01", t(1, 2)],
      ["2026-11-02", t(5, 5)],
    ]);
    const b = new Map([
      ["2026-11-01", t(1, 2)],
      ["2026-11-02", t(5, 9)],
      ["2026-11-03", t(3, 0)],
    ]);
    expect(dayDifferences(a, b)).toEqual([
      { day: "2026-11-02", delta: { outputTokens: 4 } },
      { day: "2026-11-03", delta: { inputTokens: 3 } },
    ]);
  });
});

describe("ccusageDailyModel", () => {
  const base: TruthEvent = {
    key: "m:r",
    timestampMs: Date.parse("2026-11-01T10:00:02Z"),
    model: "claude-opus-4-5-20251101",
    sessionId: "s",
    project: "p",
    inputTokens: 10,
    outputTokens: 50,
    cacheCreationTokens: 100,
    cacheCreation1hTokens: 0,
    cacheReadTokens: 1000,
    speed: "standard",
    isSidechain: false,
    hasRequestId: true,
    nullCwd: false,
    copies: [
      { timestampMs: Date.parse("2026-11-01T10:00:01Z"), outputTokens: 5 },
      { timestampMs: Date.parse("2026-11-01T10:00:02Z"), outputTokens: 50 },
    ],
  };

  it("counts every copy of a response without requestId, once otherwise, and drops null cwd", () => {
    const days = ccusageDailyModel(
      [
        base,
        { ...base, key: "n", hasRequestId: false },
        { ...base, key: "side", hasRequestId: false, isSidechain: true },
        { ...base, key: "gone", nullCwd: true },
      ],
      "UTC",
    );
    expect(days.get("2026-11-01")).toEqual({
      inputTokens: 10 + 2 * 10 + 10,
      outputTokens: 50 + (5 + 50) + 50,
      cacheCreationTokens: 100 + 2 * 100 + 100,
      cacheReadTokens: 1000 + 2 * 1000 + 1000,
    });
  });
});
