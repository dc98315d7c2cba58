import * as fs from "node:fs";
import * as path from "node:path";
import { bundledPriceTable, costUsd, type UsageEvent } from "@quotacast/core";
import { formatUsd } from "@quotacast/core/report/format";
import MenuBarCommand from "../../extension/src/menubar";
import { Clipboard, Color, launchCommand, mockRaycast, open, openExtensionPreferences } from "./raycast-mock";
import {
  FIVE_HOURS_MS,
  HOUR_MS,
  MENU_BAR,
  MENU_ITEM,
  MENU_SECTION,
  byTitle,
  deadUrl,
  exporterSummary,
  hasTitle,
  nodes,
  renderCommand,
  seedClimbTo80Percent,
  startExporter,
  titles,
  worldPerTest,
  writeFeed,
  writeTranscript,
} from "./fixtures";

const world = worldPerTest();

/** Two sessions of today, in two projects; returns the events' priced total. */
function writeTodayUsage(nowMs: number): number {
  const specs = [
    { atMs: nowMs - 40 * 60_000, input: 1200, output: 3000 },
    { atMs: nowMs - 20 * 60_000, input: 800, output: 1500 },
  ];
  writeTranscript(world, "-Users-me-src-app", "session-a", specs);
  writeTranscript(world, "-Users-me-src-site", "session-b", [
    { atMs: nowMs - 10 * 60_000, input: 500, output: 700, model: "claude-opus-4-5-20251101" },
  ]);
  const events = [
    ...specs.map((s) => ({ ...s, model: "claude-sonnet-4-5-20250929" })),
    {
      atMs: nowMs - 10 * 60_000,
      input: 500,
      output: 700,
      model: "claude-opus-4-5-20251101",
    },
  ];
  return events.reduce((sum, e) => sum + (costUsd(asEvent(e), bundledPriceTable()) ?? 0), 0);
}

function asEvent(e: { atMs: number; input: number; output: number; model: string }): UsageEvent {
  return {
    key: "k",
    timestampMs: e.atMs,
    model: e.model,
    sessionId: "s",
    project: "p",
    inputTokens: e.input,
    outputTokens: e.output,
    cacheCreationTokens: 0,
    cacheCreation1hTokens: 0,
    cacheReadTokens: 0,
    speed: "standard",
    isSidechain: false,
  };
}

function menu(renderer: Awaited<ReturnType<typeof renderCommand>>) {
  return nodes(renderer, MENU_BAR)[0].props as { title: string; icon: { source: string; tintColor: string } };
}

describe("menu bar: normal usage (local data)", () => {
  it("shows the highest window, a green icon, every section and the actions", async () => {
    const nowMs = Date.now();
    const todayCost = writeTodayUsage(nowMs);
    writeFeed(world, { fiveHourPercent: 40, sevenDayPercent: 22, observedAtMs: nowMs - 60_000 });

    const r = await renderCommand(MenuBarCommand);

    expect(menu(r).title).toBe("5h 40%");
    expect(menu(r).icon).toEqual({ source: "Gauge", tintColor: Color.Green });
    expect(titles(r, MENU_SECTION)).toEqual(
      expect.arrayContaining(["5-hour", "7-day", "Current 5-Hour Block", "Usage", "Sources"]),
    );
    const fiveHour = byTitle(r, MENU_ITEM, "40% used");
    expect(fiveHour.props.subtitle).toMatch(/^resets in (1h5\dm|2h00m)$/);
    expect(fiveHour.props.icon.tintColor).toBe(Color.Green);
    expect(hasTitle(r, MENU_ITEM, "22% used")).toBe(true);
    expect(byTitle(r, MENU_ITEM, /^Today: /).props.title).toContain(formatUsd(todayCost));
    expect(byTitle(r, MENU_ITEM, /^Today: /).props.title).toContain("sonnet-4-5");
    expect(byTitle(r, MENU_ITEM, /^\$[\d.]+ · \$[\d.]+\/h · projected/)).toBeDefined();
    expect(byTitle(r, MENU_ITEM, "Statusline Feed").props.subtitle).toMatch(/^ok · /);
    expect(hasTitle(r, MENU_SECTION, "No Rate-Limit Source")).toBe(false);
    expect(hasTitle(r, MENU_ITEM, "Open Grafana Dashboard")).toBe(false);

    await byTitle(r, MENU_ITEM, "Open Quick Look").props.onAction();
    expect(launchCommand).toHaveBeenCalledWith({ name: "usage", type: "userInitiated" });
    launchCommand.mockClear();
    await fiveHour.props.onAction();
    expect(launchCommand).toHaveBeenCalledWith({ name: "usage", type: "userInitiated" });
    const manifest = JSON.parse(
      fs.readFileSync(path.join(__dirname, "../../extension/package.json"), "utf8"),
    );
    expect(manifest.commands.map((c: { name: string }) => c.name)).toContain("usage");

    await byTitle(r, MENU_ITEM, "Copy Summary").props.onAction();
    expect(Clipboard.copy).toHaveBeenCalledWith(expect.stringContaining("5-hour: 40%"));

    await byTitle(r, MENU_ITEM, "Open Preferences").props.onAction();
    expect(openExtensionPreferences).toHaveBeenCalled();
    expect(byTitle(r, MENU_ITEM, "Refresh").props.onAction).toEqual(expect.any(Function));
  });

  it("offers the Grafana dashboard when its URL is set, and follows the title preference", async () => {
    const nowMs = Date.now();
    const todayCost = writeTodayUsage(nowMs);
    writeFeed(world, { fiveHourPercent: 40, sevenDayPercent: 22, observedAtMs: nowMs });
    mockRaycast.reset(world.supportPath, { grafanaUrl: "http://127.0.0.1:3000/d/now", menuBarTitle: "both" });

    const r = await renderCommand(MenuBarCommand);
    expect(menu(r).title).toBe("5h 40% · 7d 22%");
    await byTitle(r, MENU_ITEM, "Open Grafana Dashboard").props.onAction();
    expect(open).toHaveBeenCalledWith("http://127.0.0.1:3000/d/now");

    mockRaycast.reset(world.supportPath, { menuBarTitle: "cost" });
    const costTitle = await renderCommand(MenuBarCommand);
    expect(menu(costTitle).title).toBe(formatUsd(todayCost));
  });
});

describe("menu bar: thresholds", () => {
  it.each([
    [82, Color.Yellow],
    [95, Color.Red],
  ])("a 5-hour window at %i%% turns the icon %s", async (percent, color) => {
    const nowMs = Date.now();
    writeTodayUsage(nowMs);
    writeFeed(world, { fiveHourPercent: percent, sevenDayPercent: 30, observedAtMs: nowMs });

    const r = await renderCommand(MenuBarCommand);
    expect(menu(r).title).toBe(`5h ${percent}%`);
    expect(menu(r).icon.tintColor).toBe(color);
    expect(byTitle(r, MENU_ITEM, `${percent}% used`).props.icon.tintColor).toBe(color);
    expect(byTitle(r, MENU_ITEM, "30% used").props.icon.tintColor).toBe(Color.Green);
  });

  it("uses the thresholds from the preferences", async () => {
    const nowMs = Date.now();
    writeFeed(world, { fiveHourPercent: 60, observedAtMs: nowMs });
    mockRaycast.reset(world.supportPath, { warningPercent: "50", criticalPercent: "55" });
    const r = await renderCommand(MenuBarCommand);
    expect(menu(r).icon.tintColor).toBe(Color.Red);
  });
});

describe("menu bar: forecast of exhaustion", () => {
  it("shows when the limit is reached and colours the icon", async () => {
    const nowMs = Date.now();
    const resetsAtMs = await seedClimbTo80Percent(world, nowMs);
    writeTodayUsage(nowMs);
    writeFeed(world, {
      fiveHourPercent: 80,
      fiveHourResetsAtMs: resetsAtMs,
      sevenDayPercent: 30,
      observedAtMs: nowMs,
    });
    mockRaycast.reset(world.supportPath, { menuBarTitle: "countdown" });

    const r = await renderCommand(MenuBarCommand);
    const exhaustion = byTitle(r, MENU_ITEM, /^limit in ~/);
    expect(exhaustion.props.icon.tintColor).toBe(Color.Red);
    expect(exhaustion.props.title).toMatch(/\d+% likely$/);
    expect(byTitle(r, MENU_ITEM, /^at reset ~\d+% \(80%: \d+%–\d+%\)$/)).toBeDefined();
    expect(menu(r).title).toMatch(/^⚠ (\d+h \d\dm|\d+m)$/);
    expect(menu(r).icon.tintColor).toBe(Color.Yellow);
  });
});

describe("menu bar: stale data", () => {
  it("shows the age of an old statusline reading", async () => {
    const nowMs = Date.now();
    writeTodayUsage(nowMs);
    writeFeed(world, {
      fiveHourPercent: 50,
      observedAtMs: nowMs - 45 * 60_000,
      fiveHourResetsAtMs: nowMs + 50 * 60_000,
    });

    const r = await renderCommand(MenuBarCommand);
    expect(byTitle(r, MENU_ITEM, "50% used").props.subtitle).toMatch(/^resets in (49|50)m · 45m old$/);
    const feed = byTitle(r, MENU_ITEM, "Statusline Feed");
    expect(feed.props.subtitle).toBe("stale · 45m ago");
    expect(feed.props.icon.tintColor).toBe(Color.Orange);
    expect(feed.props.tooltip).toMatch(/45 min old/);
  });
});

describe("menu bar: no rate-limit source", () => {
  it("says how to enable the statusline feed and still shows usage", async () => {
    const nowMs = Date.now();
    const todayCost = writeTodayUsage(nowMs);

    const r = await renderCommand(MenuBarCommand);
    expect(menu(r).title).toBe(formatUsd(todayCost));
    expect(menu(r).icon.tintColor).toBe(Color.Green);
    const setup = byTitle(r, MENU_ITEM, /quotacast statusline install/);
    await setup.props.onAction();
    expect(Clipboard.copy).toHaveBeenCalledWith("quotacast statusline install");
    expect(hasTitle(r, MENU_ITEM, "Connect an Exporter in Preferences")).toBe(true);
    expect(byTitle(r, MENU_ITEM, "Statusline Feed").props.subtitle).toBe("missing");
    expect(byTitle(r, MENU_ITEM, "Statusline Feed").props.icon.tintColor).toBe(Color.Orange);
  });
});

describe("menu bar: exporter", () => {
  it("shows what the exporter serves, then its age when the exporter goes away", async () => {
    const nowMs = Date.now();
    const served = exporterSummary(nowMs - 5 * 60_000, {
      windows: [
        {
          reading: {
            window: "five_hour",
            utilizationRatio: 0.55,
            resetsAtMs: nowMs + HOUR_MS,
            windowLengthMs: FIVE_HOURS_MS,
            status: "allowed",
            source: "oauth",
            observedAtMs: nowMs - 5 * 60_000,
          },
          forecast: null,
          learnedLimit: null,
        },
      ],
      sources: [
        {
          source: "oauth",
          state: "ok",
          message: "ok",
          lastSuccessMs: nowMs - 5 * 60_000,
          lastErrorReason: "none",
        },
      ],
    });
    const exporter = await startExporter(() => ({ status: 200, body: JSON.stringify(served) }));
    mockRaycast.reset(world.supportPath, { exporterUrl: exporter.url });

    const live = await renderCommand(MenuBarCommand);
    expect(exporter.requests).toEqual(["/api/v1/summary"]);
    expect(menu(live).title).toBe("5h 55%");
    expect(byTitle(live, MENU_ITEM, "OAuth Usage").props.subtitle).toBe("ok · 5m ago");
    // The exporter does the work: nothing local was read or stored.
    expect(fs.readdirSync(world.supportPath)).toEqual([]);

    await exporter.close();
    const offline = await renderCommand(MenuBarCommand);
    expect(menu(offline).title).toBe("5h 55% (5m old)");
    expect(hasTitle(offline, MENU_ITEM, "Exporter unreachable: check the Exporter URL")).toBe(true);
    expect(hasTitle(offline, MENU_ITEM, /^Showing data from 5m ago$/)).toBe(true);
  });

  it("never leaves the menu bar blank when the exporter was never reached", async () => {
    mockRaycast.reset(world.supportPath, { exporterUrl: await deadUrl() });
    const r = await renderCommand(MenuBarCommand);
    expect(menu(r).title).toBe("Quotacast");
    expect(menu(r).icon.tintColor).toBe(Color.SecondaryText);
    const problem = byTitle(r, MENU_ITEM, "Exporter unreachable: check the Exporter URL");
    expect(problem.props.tooltip).toMatch(
      /cannot reach the exporter at http:\/\/127\.0\.0\.1:\d+\/api\/v1\/summary/,
    );
    await problem.props.onAction();
    expect(openExtensionPreferences).toHaveBeenCalled();
    expect(hasTitle(r, MENU_ITEM, "No earlier data")).toBe(true);
    expect(titles(r, MENU_ITEM)).toEqual(
      expect.arrayContaining(["Open Quick Look", "Refresh", "Open Preferences"]),
    );
    expect(hasTitle(r, MENU_ITEM, "Copy Summary")).toBe(false);
  });
});

describe("menu bar: empty history", () => {
  it("shows zero usage, no block, and what is missing", async () => {
    const r = await renderCommand(MenuBarCommand);
    expect(menu(r).title).toBe("$0.00");
    expect(byTitle(r, MENU_ITEM, /^Today: /).props.title).toBe("Today: $0.00 · 0 tokens");
    expect(byTitle(r, MENU_ITEM, /^This Week: /).props.title).toBe("This Week: $0.00 · 0 tokens");
    expect(hasTitle(r, MENU_ITEM, "No active block")).toBe(true);
    // Nothing read yet is not a failure (as the exporter says it): the state is ok.
    expect(byTitle(r, MENU_ITEM, "Transcripts").props.subtitle).toBe("ok · just now");
    expect(hasTitle(r, MENU_ITEM, /quotacast statusline install/)).toBe(true);
  });
});
