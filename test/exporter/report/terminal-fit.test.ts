/**
 * The one-shot commands as a terminal sees them: tables that fit the width (by dropping and
 * shortening columns, or `--compact`), colour on a TTY only (checked in a real tmux pane),
 * none when piped or with NO_COLOR, and usage errors in one format with exit code 2.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { run, type ReportIo } from "../../../exporter/src/commands/report";
import { createStyle } from "../../../exporter/src/terminal/style";
import { generateHistory } from "../../generators/transcripts";
import { BUILT_CLI as CLI, buildCoreAndExporter } from "../../support/built-cli";
import { TmuxPane } from "../../support/tmux";
import { tempDir } from "../../fakes/ports";

const ESC = String.fromCharCode(27);
const END_MS = Date.now();

let dir: string;
let configDir: string;
let env: Record<string, string>;

beforeAll(() => {
  buildCoreAndExporter();
  dir = tempDir("quotacast-fit-");
  configDir = path.join(dir, ".claude");
  // Long project names and several models, as real histories have.
  generateHistory({
    dir: configDir,
    sizeMb: 0.6,
    seed: 9,
    endMs: END_MS - 30 * 60_000,
    days: 4,
    medianFileBytes: 20_000,
  });
  env = {
    HOME: dir,
    XDG_DATA_HOME: path.join(dir, "data"),
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    TZ: "UTC",
  };
}, 60_000);

async function report(argv: string[], columns: number | null, colour = false) {
  let stdout = "";
  let stderr = "";
  const io: ReportIo = {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: { HOME: dir },
    nowMs: () => END_MS,
    columns,
    style: createStyle(colour),
  };
  const code = await run([...argv, "--config-dir", configDir, "-z", "UTC"], io);
  return { code, stdout, stderr };
}

const widest = (text: string) => Math.max(...text.split("\n").map((l) => l.length));
/** The title and the table, without the notes under it (prose, which the terminal wraps). */
const tableOf = (text: string) => text.split("\n\n").slice(0, 2).join("\n\n");

test.each(["daily", "session", "blocks"])(
  "%s fits 80 columns with --compact, and the terminal's width without it",
  async (kind) => {
    const compact = await report([kind, "--compact"], 80);
    expect(compact.code).toBe(0);
    expect(widest(tableOf(compact.stdout))).toBeLessThanOrEqual(80);
    expect(compact.stdout).not.toContain("Cache Create");

    const narrow = await report([kind], 80);
    expect(widest(tableOf(narrow.stdout))).toBeLessThanOrEqual(80);
    const wide = await report([kind], 250);
    expect(wide.stdout).toContain("Cache Create");
    expect(widest(tableOf(wide.stdout))).toBeGreaterThan(80);
    // Piped (no width known): the whole table, exactly as before.
    const piped = await report([kind], null);
    expect(tableOf(piped.stdout)).toBe(tableOf(wide.stdout));
  },
);

test("--compact without a terminal fits 80 columns (ccusage's habit)", async () => {
  const { stdout } = await report(["session", "--compact"], null);
  expect(widest(tableOf(stdout))).toBeLessThanOrEqual(80);
});

test("tables are coloured only when the style says so", async () => {
  expect((await report(["daily"], 200, true)).stdout).toContain(ESC);
  expect((await report(["daily"], 200, false)).stdout).not.toContain(ESC);
  expect((await report(["daily", "--no-color"], 200, true)).stdout).not.toContain(ESC);
});

test("blocks --active shows the active block only", async () => {
  const all = await report(["blocks", "--json"], null);
  const active = await report(["blocks", "--active", "--json"], null);
  const blocks = JSON.parse(active.stdout).blocks as Array<{ isActive: boolean }>;
  expect(blocks.every((b) => b.isActive)).toBe(true);
  expect(blocks.length).toBeLessThan((JSON.parse(all.stdout).blocks as unknown[]).length);
});

test("piped or with NO_COLOR, no command writes an escape sequence", () => {
  for (const argv of [
    ["daily"],
    ["weekly"],
    ["monthly"],
    ["session"],
    ["blocks"],
    ["status"],
    ["status", "--json"],
    ["watch"],
  ]) {
    for (const extra of [{}, { NO_COLOR: "1" }]) {
      const out = spawnSync(process.execPath, [CLI, ...argv, "--config-dir", configDir], {
        env: { ...env, ...extra },
        encoding: "utf8",
      });
      expect({ argv, out: out.stdout + out.stderr }).toEqual({ argv, out: expect.not.stringContaining(ESC) });
    }
  }
});

test("usage mistakes answer alike: message, hint, exit 2; a missing project lists those there are", () => {
  const cli = (...argv: string[]) => spawnSync(process.execPath, [CLI, ...argv], { env, encoding: "utf8" });
  const unknownOption = cli("daily", "--nope");
  const badZone = cli("status", "-z", "Mars/Olympus");
  const badZoneReport = cli("daily", "-z", "Mars/Olympus", "--config-dir", configDir);
  for (const result of [unknownOption, badZone, badZoneReport]) {
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^quotacast (daily|status): .+\n/);
    expect(result.stderr).toContain("usage: quotacast");
  }
  expect(badZone.stderr).toContain("unknown time zone 'Mars/Olympus'\n  use an IANA name");
  const project = cli("daily", "--project", "nope", "--config-dir", configDir);
  expect(project.status).toBe(2);
  expect(project.stderr).toMatch(/no project 'nope'\n {2}projects: -home-dev-src-/);
});

test("on a terminal, status and daily are coloured (tmux capture with escapes)", async () => {
  for (const command of ["status", "daily"]) {
    const pane = new TmuxPane(`${process.execPath} ${CLI} ${command} --config-dir ${configDir} -z UTC`, {
      columns: 100,
      rows: 40,
      env: { ...env, TERM: "xterm-256color" },
    });
    try {
      await pane.waitFor(() => pane.info().dead, 20_000);
      expect(pane.info().deadStatus).toBe(0);
      expect(pane.capture({ escapes: true })).toMatch(new RegExp(`${ESC}\\[[0-9;]*m`));
    } finally {
      pane.kill();
    }
  }
});
