import { execFileSync } from "node:child_process";
import { UsageLedger, aggregateByPeriod, type PeriodUsage } from "@quotacast/core";
import { CCUSAGE_BIN, describeWithCcusage } from "../../support/ccusage";
import { assistantLine, tempConfig, userLine, type TempConfig } from "./helpers";

// Compare our per-period token totals with ccusage 20.

interface CcusageRow {
  date?: string;
  totalCost?: number;
  week?: string;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
}

function ccusageRows(configDir: string, command: "daily" | "weekly", timezone: string): CcusageRow[] {
  const out = execFileSync(CCUSAGE_BIN, ["claude", command, "--json", "--offline", "-z", timezone], {
    env: { ...process.env, CLAUDE_CONFIG_DIR: configDir },
  }).toString();
  return (JSON.parse(out) as Record<string, CcusageRow[]>)[command];
}

function ccusage(configDir: string, command: "daily" | "weekly", timezone: string): Map<string, string> {
  return new Map(ccusageRows(configDir, command, timezone).map((r) => [r.date ?? r.week ?? "", tokens(r)]));
}

function tokens(r: CcusageRow | PeriodUsage): string {
  return [r.inputTokens, r.outputTokens, r.cacheCreationTokens, r.cacheReadTokens].join("/");
}

/** Transcripts with every trap we know: copies, growth, sidechains, cross-file copies, bad lines. */
function writeTrickyTranscripts(tmp: TempConfig): void {
  const day = (d: number, h: number, m = 0) =>
    `2026-11-${String(d).padStart(2, "0")}T${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:00.000Z`;
  const lines: string[] = [];
  for (let i = 0; i < 60; i++) {
    const ts = day(10 + (i % 8), (i * 5) % 24, (i * 7) % 60);
    const id = `msg_${i}`;
    const base = {
      id,
      requestId: `req_${i}`,
      timestamp: ts,
      input: 3 + i,
      cacheRead: 1000 * i,
      cacheWrite: 50 * (i % 4),
    };
    lines.push(assistantLine({ ...base, output: 1 }), assistantLine({ ...base, output: 10 + i }));
    if (i % 5 === 0)
      lines.push(assistantLine({ ...base, output: 10 + i, sidechain: true, timestamp: day(20, 23, 30) }));
    if (i % 7 === 0) lines.push(userLine("tool output ".repeat(200)));
    if (i % 9 === 0) lines.push("{broken json", assistantLine({ ...base, id: null, output: 2 }));
    if (i % 11 === 0) lines.push(assistantLine({ ...base, id: `nr_${i}`, requestId: null, output: 4 }));
  }
  lines.push(assistantLine({ model: "<synthetic>", input: 0, output: 0, timestamp: day(12, 1) }));
  lines.push(assistantLine({ id: "err", extra: { isApiErrorMessage: true }, timestamp: day(13, 2) }));
  lines.push(assistantLine({ id: "onehour", cacheWrite: 500, cacheWrite1h: 300, timestamp: day(14, 3) }));
  tmp.write("-home-me-app", "s1.jsonl", lines);
  // A resumed session copies some messages, one of them larger, into another file.
  tmp.write("-home-me-app", "s2.jsonl", [
    assistantLine({
      id: "msg_3",
      requestId: "req_3",
      input: 6,
      cacheRead: 3000,
      cacheWrite: 150,
      output: 99,
      timestamp: day(13, 15, 21),
    }),
    assistantLine({ id: "msg_4", requestId: "req_4", input: 1, output: 1, timestamp: day(14, 20, 28) }),
  ]);
  tmp.write("-home-me-app", "s1/subagents/agent-a.jsonl", [
    assistantLine({ id: "sub_1", requestId: "r", sidechain: true, output: 30, timestamp: day(17, 23, 59) }),
  ]);
  tmp.write("other", "s3.jsonl", [assistantLine({ id: "late", output: 5, timestamp: day(21, 23, 30) })], {
    trailingNewline: false,
  });
}

describeWithCcusage("parity with ccusage 20 (per-period totals of all four token types)", () => {
  let tmp: TempConfig;
  beforeAll(() => {
    tmp = tempConfig();
    writeTrickyTranscripts(tmp);
  });
  afterAll(() => tmp.cleanup());

  it.each(["UTC", "Europe/Berlin", "America/Los_Angeles"])(
    "daily totals are equal in %s",
    async (timezone) => {
      const ledger = new UsageLedger({ configDirs: [tmp.configDir] });
      await ledger.refresh();
      const ours = aggregateByPeriod(await ledger.events(), { period: "day", timezone });
      expect(new Map(ours.map((d) => [d.period, tokens(d)]))).toEqual(
        ccusage(tmp.configDir, "daily", timezone),
      );
    },
  );

  it("weekly totals are equal with the default week start", async () => {
    const ledger = new UsageLedger({ configDirs: [tmp.configDir] });
    await ledger.refresh();
    const ours = aggregateByPeriod(await ledger.events(), { period: "week", timezone: "UTC" });
    expect(new Map(ours.map((d) => [d.period, tokens(d)]))).toEqual(ccusage(tmp.configDir, "weekly", "UTC"));
  });
});

describeWithCcusage("cost parity with ccusage 20 under its long-context rule", () => {
  let tmp: TempConfig;
  beforeAll(() => {
    tmp = tempConfig();
    const at = (d: number) => `2026-11-${10 + d}T10:00:00.000Z`;
    tmp.write("p", "s.jsonl", [
      // Above 200k in total but no single type above 200k: only Anthropic's rule charges premium.
      assistantLine({ id: "a", input: 150_000, cacheRead: 60_000, output: 1000, timestamp: at(0) }),
      assistantLine({ id: "b", input: 250_000, output: 10, timestamp: at(1) }),
      assistantLine({
        id: "c",
        model: "claude-opus-4-6",
        speed: "fast",
        input: 1000,
        cacheWrite: 5000,
        cacheWrite1h: 2000,
        output: 100,
        timestamp: at(2),
      }),
      assistantLine({ id: "d", model: "claude-opus-4-5-20251101", input: 10, output: 10, timestamp: at(3) }),
      assistantLine({
        id: "e",
        model: "claude-sonnet-4-20250514",
        input: 300_000,
        output: 5,
        timestamp: at(4),
      }),
    ]);
  });
  afterAll(() => tmp.cleanup());

  it("prices every day like ccusage with longContext 'ccusage', and higher with Anthropic's rule", async () => {
    const ledger = new UsageLedger({ configDirs: [tmp.configDir] });
    await ledger.refresh();
    const events = await ledger.events();
    const theirs = ccusageRows(tmp.configDir, "daily", "UTC");
    const ours = aggregateByPeriod(events, { period: "day", timezone: "UTC", longContext: "ccusage" });
    expect(ours.map((d) => d.period)).toEqual(theirs.map((r) => r.date));
    ours.forEach((day, i) => expect(day.costUsd).toBeCloseTo(theirs[i].totalCost ?? NaN, 9));
    const anthropic = aggregateByPeriod(events, { period: "day", timezone: "UTC" });
    expect(anthropic[0].costUsd).toBeGreaterThan(ours[0].costUsd);
  });
});
