import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run, type ReportIo } from "../../../exporter/src/commands/report";
import {
  GENERATOR_MODELS,
  generateHistory,
  truthBy,
  truthByDay,
  truthDayKey,
  type GeneratedHistory,
  type TokenTruth,
} from "../../generators/transcripts";
import { withTempDir } from "../../support/per-test";

const END_MS = Date.parse("2026-11-20T12:00:00.000Z");
const TOKEN_FIELDS = [
  "inputTokens",
  "outputTokens",
  "cacheCreationTokens",
  "cacheReadTokens",
  "totalTokens",
] as const;

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

async function report(argv: string[], nowMs = END_MS): Promise<Captured> {
  let stdout = "";
  let stderr = "";
  const io: ReportIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: { HOME: "/nonexistent-home" },
    nowMs: () => nowMs,
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

async function reportJson(
  argv: string[],
  nowMs = END_MS,
): Promise<Record<string, unknown> & { totals: TokenRow }> {
  const out = await report([...argv, "--json"], nowMs);
  expect(out.stderr).toBe("");
  expect(out.code).toBe(0);
  return JSON.parse(out.stdout);
}

type TokenRow = Record<(typeof TOKEN_FIELDS)[number], number> & { totalCost: number };

function tokensOf(row: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(TOKEN_FIELDS.map((f) => [f, row[f] as number]));
}

function truthTokens(t: TokenTruth | undefined): Record<string, number> {
  return Object.fromEntries(TOKEN_FIELDS.map((f) => [f, t ? t[f] : 0]));
}

function sumTruth(history: GeneratedHistory): Record<string, number> {
  return truthTokens(truthBy(history.events, () => "all").get("all"));
}

describe("quotacast daily|weekly|monthly|session|blocks", () => {
  let dir: string;
  let history: GeneratedHistory;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "qc-report-"));
    history = generateHistory({ dir, sizeMb: 2, seed: 11, endMs: END_MS, medianFileBytes: 20_000 });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("daily --json has ccusage's shape and the generator's deduplicated totals per day", async () => {
    for (const timezone of ["UTC", "Asia/Tokyo"]) {
      const json = await reportJson(["daily", "--config-dir", dir, "--timezone", timezone]);
      const truth = truthByDay(history.events, timezone);
      const rows = json.daily as Record<string, unknown>[];
      expect(rows.map((r) => r.date)).toEqual([...truth.keys()]);
      for (const row of rows) {
        expect(tokensOf(row)).toEqual(truthTokens(truth.get(row.date as string)));
        expect([...(row.modelsUsed as string[])].sort()).toEqual(truth.get(row.date as string)!.models);
        const breakdowns = row.modelBreakdowns as Record<string, unknown>[];
        expect(Object.keys(breakdowns[0]).sort()).toEqual(
          expect.arrayContaining([
            "cacheCreationTokens",
            "cacheReadTokens",
            "cost",
            "inputTokens",
            "modelName",
            "outputTokens",
          ]),
        );
        const breakdownCost = breakdowns.reduce((s, b) => s + (b.cost as number), 0);
        expect(row.totalCost).toBeCloseTo(breakdownCost, 9);
      }
      expect(tokensOf(json.totals)).toEqual(sumTruth(history));
      expect(json.totals.totalCost).toBeCloseTo(
        rows.reduce((s, r) => s + (r.totalCost as number), 0),
        9,
      );
    }
  });

  it("marks models without a price instead of pricing them as another model", async () => {
    const json = await reportJson(["daily", "--config-dir", dir, "--timezone", "UTC"]);
    const rows = json.daily as {
      unpricedModels: string[];
      modelBreakdowns: { modelName: string; cost: number; unpriced?: boolean }[];
    }[];
    const proxy = rows
      .flatMap((r) => r.modelBreakdowns)
      .filter((b) => b.modelName === GENERATOR_MODELS.proxy);
    expect(proxy.length).toBeGreaterThan(0);
    for (const b of proxy) expect(b).toMatchObject({ cost: 0, unpriced: true });
    expect(rows.some((r) => r.unpricedModels.includes(GENERATOR_MODELS.proxy))).toBe(true);
    const priced = rows
      .flatMap((r) => r.modelBreakdowns)
      .filter((b) => b.modelName === GENERATOR_MODELS.opus45);
    expect(priced.every((b) => b.cost > 0 && b.unpriced === undefined)).toBe(true);
  });

  it("weekly and monthly --json group by Sunday weeks and months with the same totals", async () => {
    const weekly = await reportJson(["weekly", "--config-dir", dir, "--timezone", "UTC"]);
    const weeks = weekly.weekly as Record<string, unknown>[];
    for (const row of weeks) expect(new Date(`${row.week as string}T00:00:00Z`).getUTCDay()).toBe(0);
    const truthWeeks = truthBy(history.events, (e) => {
      const day = new Date(`${truthDayKey(e.timestampMs, "UTC")}T00:00:00Z`);
      return new Date(day.getTime() - day.getUTCDay() * 86_400_000).toISOString().slice(0, 10);
    });
    expect(weeks.map((w) => [w.week, tokensOf(w)])).toEqual(
      [...truthWeeks].map(([week, t]) => [week, truthTokens(t)]),
    );

    const monthly = await reportJson(["monthly", "--config-dir", dir, "--timezone", "UTC"]);
    const truthMonths = truthBy(history.events, (e) => truthDayKey(e.timestampMs, "UTC").slice(0, 7));
    expect((monthly.monthly as Record<string, unknown>[]).map((m) => [m.month, tokensOf(m)])).toEqual(
      [...truthMonths].map(([month, t]) => [month, truthTokens(t)]),
    );
    expect(tokensOf(monthly.totals)).toEqual(sumTruth(history));
  });

  it("--since, --until and --project filter by calendar day and project", async () => {
    const truth = truthByDay(history.events, "UTC");
    const days = [...truth.keys()];
    const since = days[1];
    const until = days[days.length - 2];
    const json = await reportJson([
      "daily",
      "--config-dir",
      dir,
      "-z",
      "UTC",
      "--since",
      since.replace(/-/g, ""),
      "--until",
      until,
    ]);
    expect((json.daily as { date: string }[]).map((r) => r.date)).toEqual(days.slice(1, -1));

    const project = history.events[0].project;
    const byProject = await reportJson(["monthly", "--config-dir", dir, "-z", "UTC", "--project", project]);
    const projectTruth = truthBy(
      history.events.filter((e) => e.project === project),
      () => "all",
    ).get("all");
    expect(tokensOf(byProject.totals)).toEqual(truthTokens(projectTruth));
    expect(byProject.totals.totalTokens).toBeLessThan(sumTruth(history).totalTokens);
  });

  it("session --json lists sessions with ccusage's fields and the same totals", async () => {
    const json = await reportJson(["session", "--config-dir", dir]);
    const sessions = json.sessions as Record<string, unknown>[];
    expect(sessions.length).toBeGreaterThan(3);
    for (const s of sessions) {
      expect(typeof s.sessionId).toBe("string");
      expect(s.projectPath).toMatch(/^-home-dev-src-/);
      expect(Date.parse(s.firstActivity as string)).toBeLessThanOrEqual(Date.parse(s.lastActivity as string));
      expect(Array.isArray(s.modelBreakdowns)).toBe(true);
    }
    // Subagent transcripts count in their parent session (the session directory).
    const sessionIds = new Set(sessions.map((s) => s.sessionId));
    const subagentSessions = history.files
      .filter((f) => f.includes(`${path.sep}subagents${path.sep}`))
      .map((f) => path.basename(path.dirname(path.dirname(f))));
    for (const id of subagentSessions) expect(sessionIds.has(id)).toBe(true);
    expect(tokensOf(json.totals)).toEqual(sumTruth(history));
  });

  it("blocks --json has 5-hour blocks, gaps, and burn rate and projection on the active block", async () => {
    const lastEventMs = history.events[history.events.length - 1].timestampMs;
    const nowMs = lastEventMs + 60_000;
    const json = await reportJson(["blocks", "--config-dir", dir], nowMs);
    const blocks = json.blocks as {
      startTime: string;
      endTime: string;
      isActive: boolean;
      isGap: boolean;
      entries: number;
      totalTokens: number;
      tokenCounts: Record<string, number>;
      burnRate: unknown;
      projection: { remainingMinutes: number; totalTokens: number } | null;
    }[];
    const real = blocks.filter((b) => !b.isGap);
    const tokenSum = real.reduce((s, b) => s + b.totalTokens, 0);
    expect(tokenSum).toBe(sumTruth(history).totalTokens);
    expect(real.reduce((s, b) => s + b.entries, 0)).toBe(history.events.length);
    for (const b of real) {
      expect(Date.parse(b.endTime) - Date.parse(b.startTime)).toBe(5 * 3600_000);
      expect(Date.parse(b.startTime) % 3600_000).toBe(0);
      const counts = b.tokenCounts;
      expect(
        counts.inputTokens +
          counts.outputTokens +
          counts.cacheCreationInputTokens +
          counts.cacheReadInputTokens,
      ).toBe(b.totalTokens);
    }
    expect(blocks.some((b) => b.isGap && b.totalTokens === 0)).toBe(true);
    const active = blocks.filter((b) => b.isActive);
    expect(active).toHaveLength(1);
    expect(active[0]).toBe(blocks[blocks.length - 1]);
    expect(active[0].entries).toBeGreaterThan(1);
    expect(active[0].burnRate).not.toBeNull();
    expect(active[0].projection!.remainingMinutes).toBe(
      Math.round((Date.parse(active[0].endTime) - nowMs) / 60_000),
    );
    expect(active[0].projection!.totalTokens).toBeGreaterThan(active[0].totalTokens);
    expect(blocks.filter((b) => !b.isActive).every((b) => b.burnRate === null && b.projection === null)).toBe(
      true,
    );
    const later = await reportJson(["blocks", "--config-dir", dir], lastEventMs + 6 * 3600_000);
    expect((later.blocks as { isActive: boolean }[]).some((b) => b.isActive)).toBe(false);
  });

  it("prints an aligned table with a totals row, the unknown-model note and the diagnostics line", async () => {
    const out = await report(["daily", "--config-dir", dir, "--timezone", "UTC"]);
    expect(out.code).toBe(0);
    const lines = out.stdout.split("\n");
    const header = lines.find((l) => l.startsWith("Date"))!;
    for (const title of [
      "Models",
      "Input",
      "Output",
      "Cache Create",
      "Cache Read",
      "Total Tokens",
      "Cost (USD)",
    ]) {
      expect(header).toContain(title);
    }
    const total = sumTruth(history).totalTokens.toLocaleString("en-US");
    const totalsRow = lines.find((l) => l.startsWith("Total "))!;
    expect(totalsRow).toContain(total);
    expect(totalsRow).toMatch(/\$\d+\.\d{2}$/);
    // Right-aligned numbers: every cost ends in the same column as the header's last character.
    const costEnd = header.length;
    for (const line of lines.filter((l) => /^\d{4}-\d{2}-\d{2} /.test(l))) expect(line.length).toBe(costEnd);
    expect(out.stdout).toContain(`no price known for ${GENERATOR_MODELS.proxy}`);
    expect(out.stdout).toMatch(
      new RegExp(`Scanned ${history.files.length} transcript files; skipped \\d+ lines`),
    );
  });

  it("counts skipped lines among the bytes read, once: a repeated run reads only appended bytes", async () => {
    await withTempDir("qc-report-skip-", async (fresh) => {
      const small = generateHistory({
        dir: fresh,
        sizeMb: 0.5,
        seed: 5,
        endMs: END_MS,
        medianFileBytes: 20_000,
      });
      const skippedInvalid = (stdout: string) =>
        Number(/skipped \d+ lines \((\d+) invalid JSON/.exec(stdout)![1]);
      // The generator's crash-cut lines that had started their usage are skipped and counted.
      const first = await report(["daily", "--config-dir", fresh]);
      expect(skippedInvalid(first.stdout)).toBeGreaterThan(0);
      expect(skippedInvalid(first.stdout)).toBeLessThanOrEqual(small.invalidLines);
      const again = await report(["daily", "--config-dir", fresh, "--json"]);
      expect(JSON.parse(again.stdout).diagnostics.linesSkippedInvalidJson).toBe(0);
      expect(JSON.parse(again.stdout).totals.totalTokens).toBe(sumTruth(small).totalTokens);
    });
  });

  it("--breakdown adds one row per model", async () => {
    const plain = await report(["monthly", "--config-dir", dir, "-z", "UTC"]);
    const detailed = await report(["monthly", "--config-dir", dir, "-z", "UTC", "--breakdown"]);
    const truthModels = new Set(history.events.map((e) => e.model));
    const subRows = detailed.stdout.split("\n").filter((l) => l.includes("└ "));
    expect(subRows.length).toBeGreaterThanOrEqual(truthModels.size);
    expect(plain.stdout.includes("└ ")).toBe(false);
  });

  it("session and blocks tables render", async () => {
    const sessions = await report(["session", "--config-dir", dir, "-z", "UTC"]);
    expect(sessions.code).toBe(0);
    expect(sessions.stdout).toContain("Last Activity");
    const blocks = await report(
      ["blocks", "--config-dir", dir, "-z", "UTC"],
      history.events.at(-1)!.timestampMs + 60_000,
    );
    expect(blocks.stdout).toContain("ACTIVE");
    expect(blocks.stdout).toContain("projected at block end");
  });

  it("rejects bad flags with a clear message and exit code 2", async () => {
    const badDay = await report(["daily", "--config-dir", dir, "--since", "2026-13-45x"]);
    expect(badDay.code).toBe(2);
    expect(badDay.stderr).toContain("--since '2026-13-45x' is not a day");
    const badZone = await report(["daily", "--config-dir", dir, "--timezone", "Mars/Olympus"]);
    expect(badZone.code).toBe(2);
    expect(badZone.stderr).toContain("unknown time zone 'Mars/Olympus'");
    const reversed = await report([
      "daily",
      "--config-dir",
      dir,
      "--since",
      "20261110",
      "--until",
      "20261101",
    ]);
    expect(reversed.code).toBe(2);
    const unknownFlag = await report(["daily", "--frobnicate"]);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toContain("--frobnicate");
    const help = await report(["weekly", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("usage: quotacast weekly");
  });

  it("says so when nothing matches instead of printing an empty table", async () => {
    const out = await report(["daily", "--config-dir", dir, "--since", "20300101"]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^No usage found for these days and project\.\n/);
    expect(out.stdout).toContain("Scanned");
  });

  it("warns about a --config-dir without projects/", async () => {
    await withTempDir("qc-empty-", async (empty) => {
      const out = await report(["monthly", "--config-dir", empty, "--config-dir", dir, "--json"]);
      expect(out.code).toBe(0);
      expect(out.stderr).toBe(`quotacast monthly: ${empty} has no projects/ folder: nothing read there\n`);
      expect(JSON.parse(out.stdout).totals.totalTokens).toBe(sumTruth(history).totalTokens);
    });
  });

  it("reports an empty history and says where it looked when no config dir is found", async () => {
    const out = await report(["daily", "--json"]);
    expect(out.code).toBe(0);
    expect(out.stderr).toContain("no Claude config dir");
    expect(JSON.parse(out.stdout)).toMatchObject({ daily: [], totals: { totalTokens: 0, totalCost: 0 } });
  });
});

describe("daily, weekly and monthly from stored per-day totals", () => {
  function line(id: string, output: number, timestamp: string, sidechain = false): string {
    return (
      JSON.stringify({
        type: "assistant",
        timestamp,
        sessionId: "s1",
        requestId: `req_${id}`,
        isSidechain: sidechain,
        cwd: "/home/me/app",
        version: "2.1.3",
        message: {
          id: `msg_${id}`,
          model: "claude-sonnet-4-5-20250929",
          usage: {
            input_tokens: 5,
            output_tokens: output,
            cache_read_input_tokens: 100,
            cache_creation_input_tokens: 0,
          },
        },
      }) + "\n"
    );
  }

  it("keeps the largest copy across files and later runs, and the totals of deleted files", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qc-report-days-"));
    const project = path.join(dir, "projects", "-home-me-app");
    fs.mkdirSync(project, { recursive: true });
    try {
      const a = path.join(project, "a.jsonl");
      const b = path.join(project, "b.jsonl");
      fs.writeFileSync(
        a,
        line("1", 10, "2026-11-01T23:30:00.000Z") + line("2", 7, "2026-11-02T10:00:00.000Z"),
      );
      const daily = async (...extra: string[]) =>
        (await reportJson(["daily", "--config-dir", dir, "-z", "UTC", ...extra])) as {
          daily: { date: string; outputTokens: number; totalCost: number }[];
          totals: TokenRow;
        };
      expect((await daily()).daily.map((d) => [d.date, d.outputTokens])).toEqual([
        ["2026-11-01", 10],
        ["2026-11-02", 7],
      ]);
      // A later, larger copy of message 1 in another file wins; a smaller copy of 2 does not.
      fs.writeFileSync(
        b,
        line("1", 40, "2026-11-01T23:30:01.000Z", true) + line("2", 3, "2026-11-02T10:00:01.000Z"),
      );
      const after = await daily();
      expect(after.daily.map((d) => [d.date, d.outputTokens])).toEqual([
        ["2026-11-01", 40],
        ["2026-11-02", 7],
      ]);
      // The same totals as the commands that read every event.
      const sessions = await reportJson(["session", "--config-dir", dir, "-z", "UTC"]);
      expect(tokensOf(after.totals)).toEqual(tokensOf(sessions.totals));
      expect(after.totals.totalCost).toBeCloseTo(sessions.totals.totalCost, 12);
      // Claude Code deletes old transcripts: the totals stay.
      fs.rmSync(a);
      fs.rmSync(b);
      expect(tokensOf((await daily()).totals)).toEqual(tokensOf(after.totals));
      // Another zone is built once from the stored winners: 23:30 UTC is the next day in Tokyo.
      const tokyo = (await reportJson(["daily", "--config-dir", dir, "-z", "Asia/Tokyo"])) as {
        daily: { date: string; outputTokens: number }[];
        totals: TokenRow;
      };
      expect(tokyo.daily.map((d) => [d.date, d.outputTokens])).toEqual([["2026-11-02", 47]]);
      expect(tokensOf(tokyo.totals)).toEqual(tokensOf(after.totals));
      const month = await reportJson(["monthly", "--config-dir", dir, "-z", "UTC", "--since", "2026-11-02"]);
      expect(month.totals.outputTokens).toBe(7);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
