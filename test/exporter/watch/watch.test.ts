/**
 * `quotacast watch` in a real terminal (tmux, 80x24), run from the built CLI as a user runs
 * it: the 5-hour percent appears, a new statusline payload shows up on screen, no line is
 * wider than the terminal, colours are there (and not with NO_COLOR), and q exits 0 with
 * the terminal restored.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { generateHistory } from "../../generators/transcripts";
import { statuslinePayload } from "../statusline/payload";
import { BUILT_CLI as CLI, REPO_ROOT as ROOT, buildCoreAndExporter } from "../../support/built-cli";
import { TmuxPane } from "../../support/tmux";
import { tempDir } from "../../fakes/ports";

/** The bar: the screen answers within 2 s of a start or a change. */
const SCREEN_DEADLINE_MS = 2_000;
const CURSOR_HIDE = `${String.fromCharCode(27)}[?25l`;
const CURSOR_SHOW = `${String.fromCharCode(27)}[?25h`;
const ALT_SCREEN_OFF = `${String.fromCharCode(27)}[?1049l`;
/** An SGR sequence (colour or attribute), as tmux reports painted cells. */
const SGR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`);

let home: string;
let env: Record<string, string>;
const panes: TmuxPane[] = [];

function writeFeed(fiveHourPercent: number): void {
  const nowMs = Date.now();
  const payload = statuslinePayload(nowMs, {
    rateLimits: {
      five_hour: { used_percentage: fiveHourPercent, resets_at: Math.floor(nowMs / 1000) + 2 * 3600 },
      seven_day: { used_percentage: 23, resets_at: Math.floor(nowMs / 1000) + 3 * 86_400 },
    },
  });
  const result = spawnSync(process.execPath, [CLI, "statusline"], {
    input: JSON.stringify(payload),
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  expect(result.status).toBe(0);
}

function startWatch(extraEnv: Record<string, string> = {}): TmuxPane {
  const pane = new TmuxPane(
    `${process.execPath} ${CLI} watch -z UTC --config-dir ${path.join(home, ".claude")}`,
    { columns: 80, rows: 24, env: { ...env, ...extraEnv } },
  );
  panes.push(pane);
  return pane;
}

beforeAll(() => {
  buildCoreAndExporter();
  home = tempDir("quotacast-watch-");
  generateHistory({
    dir: path.join(home, ".claude"),
    sizeMb: 0.5,
    seed: 3,
    endMs: Date.now(),
    days: 3,
    medianFileBytes: 20_000,
  });
  env = {
    HOME: home,
    XDG_DATA_HOME: path.join(home, ".local", "share"),
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    TERM: "xterm-256color",
    TZ: "UTC",
  };
  writeFeed(42);
}, 60_000);

afterEach(() => {
  for (const pane of panes.splice(0)) pane.kill();
});

test("shows the 5-hour window, follows the feed, fits 80 columns, quits cleanly", async () => {
  const pane = startWatch();
  await pane.waitFor((screen) => /5-hour\s.*\b42%/.test(screen), SCREEN_DEADLINE_MS);

  writeFeed(57);
  const screen = await pane.waitFor((s) => /5-hour\s.*\b57%/.test(s), SCREEN_DEADLINE_MS);
  expect(screen).toMatch(/7-day\s.*\b23%/);
  expect(screen).toMatch(/resets (1h5\dm|2h00m) \(\d\d:\d\d\)/);
  expect(screen).toMatch(/Sources\s+transcripts ok.*statusline ok/);
  // The README's capture is taken here (QUOTACAST_UPDATE_DOCS=1), so it is the real screen.
  if (process.env.QUOTACAST_UPDATE_DOCS === "1") {
    fs.writeFileSync(path.join(ROOT, "docs", "watch-capture.txt"), `${screen.trimEnd()}\n`);
  }
  // Lines tmux had to wrap would be joined here: none is wider than the terminal.
  for (const line of pane.capture({ joinWrapped: true }).split("\n"))
    expect(line.length).toBeLessThanOrEqual(80);

  // Colour on a terminal: the used share and the percent are painted.
  expect(pane.capture({ escapes: true })).toMatch(SGR);
  expect(pane.info().alternateScreen).toBe(true);

  pane.sendKeys("q");
  await pane.waitFor(() => pane.info().dead, SCREEN_DEADLINE_MS);
  const info = pane.info();
  expect(info.deadStatus).toBe(0);
  expect(info.alternateScreen).toBe(false);
  // The cursor hidden on start is shown again, after leaving the alternate screen (tmux pipes
  // the last bytes out shortly after the pane dies).
  await pane.waitFor(() => pane.output().includes(ALT_SCREEN_OFF), SCREEN_DEADLINE_MS);
  const written = pane.output();
  expect(written.lastIndexOf(CURSOR_SHOW)).toBeGreaterThan(written.lastIndexOf(CURSOR_HIDE));
  expect(written.lastIndexOf(CURSOR_SHOW)).toBeGreaterThan(written.lastIndexOf(ALT_SCREEN_OFF));
});

test("NO_COLOR draws the same screen without any colour", async () => {
  const pane = startWatch({ NO_COLOR: "1" });
  await pane.waitFor((screen) => /5-hour\s.*%/.test(screen), SCREEN_DEADLINE_MS);
  expect(pane.capture({ escapes: true })).not.toMatch(SGR);
  pane.sendKeys("C-c");
  await pane.waitFor(() => pane.info().dead, SCREEN_DEADLINE_MS);
  expect(pane.info().deadStatus).toBe(0);
});
