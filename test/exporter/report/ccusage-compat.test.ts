/**
 * The report JSON against the real ccusage 20 (installed by .ci/run, see test/ccusage.ts; run offline)
 * on a generated history without the cases ccusage counts differently (responses without
 * requestId, `cwd: null`, and zero-usage `<synthetic>` lines, which ccusage keeps as entries
 * that move `lastActivity` and block times): same fields (ours may add), same per-day
 * tokens, same sessions, same blocks.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run } from "../../../exporter/src/commands/report";
import { generateHistory } from "../../generators/transcripts";
import { CCUSAGE_BIN, describeWithCcusage } from "../../support/ccusage";

const END_MS = Date.parse("2026-11-20T12:00:00.000Z");
const TOKENS = ["inputTokens", "outputTokens", "cacheCreationTokens", "cacheReadTokens", "totalTokens"];

type Json = Record<string, unknown>;

describeWithCcusage("JSON compatibility with ccusage 20", () => {
  let dir: string;
  let home: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "qc-compat-"));
    home = fs.mkdtempSync(path.join(os.tmpdir(), "qc-compat-home-"));
    generateHistory({
      dir,
      sizeMb: 1.5,
      seed: 21,
      endMs: END_MS,
      medianFileBytes: 20_000,
      missingRequestIdRatio: 0,
      nullCwdRatio: 0,
      syntheticRatio: 0,
    });
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  });

  function ccusage(command: string): Json {
    const stdout = execFileSync(
      CCUSAGE_BIN,
      ["claude", command, "--json", "--offline", "--timezone", "UTC"],
      {
        env: { PATH: process.env.PATH ?? "", HOME: home, CLAUDE_CONFIG_DIR: dir, NO_COLOR: "1" },
        encoding: "utf8",
      },
    );
    return JSON.parse(stdout) as Json;
  }

  async function ours(command: string, nowMs = Date.now()): Promise<Json> {
    let stdout = "";
    const code = await run([command, "--config-dir", dir, "--timezone", "UTC", "--json"], {
      stdout: (t) => (stdout += t),
      stderr: (t) => {
        throw new Error(t);
      },
      env: {},
      nowMs: () => nowMs,
    });
    expect(code).toBe(0);
    return JSON.parse(stdout) as Json;
  }

  /** Every field path of a JSON value (`daily.[].modelBreakdowns.[].cost`). */
  function fieldPaths(value: unknown, prefix = ""): Set<string> {
    const out = new Set<string>();
    if (Array.isArray(value)) {
      for (const v of value) for (const p of fieldPaths(v, `${prefix}[].`)) out.add(p);
    } else if (typeof value === "object" && value !== null) {
      for (const [k, v] of Object.entries(value)) {
        out.add(prefix + k);
        for (const p of fieldPaths(v, `${prefix}${k}.`)) out.add(p);
      }
    }
    return out;
  }

  function pick(row: Json, fields: string[]): Json {
    return Object.fromEntries(fields.map((f) => [f, row[f]]));
  }

  it.each([
    ["daily", "date"],
    ["weekly", "week"],
    ["monthly", "month"],
  ])("%s has every ccusage field and the same tokens per period", async (command, label) => {
    const theirs = ccusage(command);
    const mine = await ours(command);
    const missing = [...fieldPaths(theirs)].filter((p) => !fieldPaths(mine).has(p));
    expect(missing).toEqual([]);
    const rows = (json: Json) => (json[command] as Json[]).map((r) => pick(r, [label, ...TOKENS]));
    expect(rows(mine)).toEqual(rows(theirs));
    expect(pick(mine.totals as Json, TOKENS)).toEqual(pick(theirs.totals as Json, TOKENS));
  });

  it("session has every ccusage field and the same sessions", async () => {
    const theirs = ccusage("session");
    const mine = await ours("session");
    expect([...fieldPaths(theirs)].filter((p) => !fieldPaths(mine).has(p))).toEqual([]);
    const fields = ["sessionId", "projectPath", "firstActivity", "lastActivity", ...TOKENS];
    const rows = (json: Json) =>
      (json.sessions as Json[])
        .map((s) => pick(s, fields))
        .sort((a, b) => String(a.sessionId).localeCompare(String(b.sessionId)));
    expect(rows(mine)).toEqual(rows(theirs));
  });

  it("blocks has every ccusage field and the same blocks and gaps", async () => {
    const theirs = ccusage("blocks");
    const mine = await ours("blocks");
    expect([...fieldPaths(theirs)].filter((p) => !fieldPaths(mine).has(p))).toEqual([]);
    const fields = [
      "id",
      "startTime",
      "endTime",
      "actualEndTime",
      "isGap",
      "isActive",
      "totalTokens",
      "tokenCounts",
    ];
    const rows = (json: Json) => (json.blocks as Json[]).map((b) => pick(b, fields));
    expect(rows(mine)).toEqual(rows(theirs));
    expect((mine.blocks as Json[]).some((b) => b.isGap === true)).toBe(true);
  });
});
