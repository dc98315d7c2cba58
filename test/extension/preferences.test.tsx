/**
 * The extension's preferences and the edge cases of issue 17, through the commands with the
 * mocked @raycast/api: what the title says (used/remaining, which window, countdown, the
 * reading's age), the icon, the Claude config directory, the empty state, a stale feed, a window
 * after its reset, per-model cost, plan and extra usage, the claude.ai action.
 */

import * as path from "node:path";
import type { ReactTestInstance } from "react-test-renderer";
import MenuBarCommand from "../../extension/src/menubar";
import UsageCommand from "../../extension/src/usage";
import { configDirsPreference } from "../../extension/src/use-summary";
import { Color, mockRaycast, open } from "./raycast-mock";
import {
  HOUR_MS,
  LIST_ITEM,
  LIST_SECTION,
  MENU_BAR,
  MENU_ITEM,
  MENU_SECTION,
  byTitle,
  exporterSummary,
  hasTitle,
  nodes,
  renderCommand,
  startExporter,
  titles,
  worldPerTest,
  writeFeed,
  writeTranscript,
} from "./fixtures";

const world = worldPerTest();

function menu(r: Awaited<ReturnType<typeof renderCommand>>) {
  return nodes(r, MENU_BAR)[0].props as { title: string; icon: { source: string; tintColor: string } };
}

function detailMarkdown(item: ReactTestInstance): string {
  return String(item.props.detail?.props.markdown ?? "");
}

function feedNow(nowMs: number, five = 42, seven = 61): void {
  writeFeed(world, {
    fiveHourPercent: five,
    sevenDayPercent: seven,
    fiveHourResetsAtMs: nowMs + 2 * HOUR_MS + 13 * 60_000 + 20_000,
    observedAtMs: nowMs - 30_000,
  });
}

describe("title preferences", () => {
  it("shows the used percent of the highest window by default", async () => {
    feedNow(Date.now());
    expect(menu(await renderCommand(MenuBarCommand)).title).toBe("7d 61%");
  });

  it("shows what is left with titleShows = remaining", async () => {
    mockRaycast.reset(world.supportPath, { titleShows: "remaining" });
    feedNow(Date.now());
    expect(menu(await renderCommand(MenuBarCommand)).title).toBe("7d 39% left");
  });

  it("shows the 5-hour or the weekly window as chosen, with the countdown when asked", async () => {
    mockRaycast.reset(world.supportPath, { menuBarTitle: "five_hour", titleCountdown: true });
    feedNow(Date.now());
    expect(menu(await renderCommand(MenuBarCommand)).title).toBe("5h 42% · 2h13m");
    mockRaycast.reset(world.supportPath, { menuBarTitle: "seven_day" });
    expect(menu(await renderCommand(MenuBarCommand)).title).toBe("7d 61%");
  });

  it("adds the reading's age to the title when the feed is 40 minutes old", async () => {
    const nowMs = Date.now();
    writeFeed(world, { fiveHourPercent: 60, observedAtMs: nowMs - 40 * 60_000 });
    const r = await renderCommand(MenuBarCommand);
    expect(menu(r).title).toBe("5h 60% (40m old)");
    // A fresh reading has no age in the title.
    writeFeed(world, { fiveHourPercent: 60, observedAtMs: nowMs - 60_000 });
    expect(menu(await renderCommand(MenuBarCommand)).title).toBe("5h 60%");
  });
});

describe("icon preference", () => {
  it("is colored while normal by default, monochrome with monochromeIcon, colored again at a threshold", async () => {
    feedNow(Date.now(), 20, 30);
    expect(menu(await renderCommand(MenuBarCommand)).icon.tintColor).toBe(Color.Green);
    mockRaycast.reset(world.supportPath, { monochromeIcon: true });
    expect(menu(await renderCommand(MenuBarCommand)).icon.tintColor).toBe(Color.PrimaryText);
    feedNow(Date.now(), 20, 95);
    mockRaycast.reset(world.supportPath, { monochromeIcon: true });
    expect(menu(await renderCommand(MenuBarCommand)).icon.tintColor).toBe(Color.Red);
  });
});

describe("Claude config directory preference", () => {
  it("reads the transcripts of the directory set in the preferences, not the environment's", async () => {
    const nowMs = Date.now();
    const other = path.join(world.root, "elsewhere");
    writeTranscript({ ...world, configDir: other }, "-Users-me-src-app", "s1", [
      { atMs: nowMs - 10 * 60_000, input: 1000, output: 2000 },
    ]);
    mockRaycast.reset(world.supportPath, { menuBarTitle: "cost" });
    expect(menu(await renderCommand(MenuBarCommand)).title).toBe("$0.00");
    mockRaycast.reset(world.supportPath, { menuBarTitle: "cost", claudeConfigDir: ` ${other} ` });
    expect(menu(await renderCommand(MenuBarCommand)).title).toMatch(/^\$0\.0[1-9]$/);
  });

  it("splits a comma list and expands ~ as CLAUDE_CONFIG_DIR does", () => {
    expect(configDirsPreference("~/a, /b ,", "/home/me")).toEqual(["/home/me/a", "/b"]);
    expect(configDirsPreference("  ", "/home/me")).toBeUndefined();
  });
});

describe("empty state", () => {
  it("names the directories looked at, with a gray icon, in the menu and the quick look", async () => {
    const missing = path.join(world.root, "no-such-claude");
    mockRaycast.reset(world.supportPath, { claudeConfigDir: missing });
    const r = await renderCommand(MenuBarCommand);
    expect(menu(r).icon.tintColor).toBe(Color.SecondaryText);
    expect(titles(r, MENU_SECTION)).toContain("No Claude Code Data");
    expect(byTitle(r, MENU_ITEM, /^Looked in /).props.title).toBe(`Looked in ${missing}`);

    const q = await renderCommand(UsageCommand);
    const item = byTitle(q, LIST_ITEM, "No Claude Code Data Found");
    expect(detailMarkdown(item)).toContain(`${missing}/projects`);
    expect(detailMarkdown(item)).toContain("**Claude Config Directory**");
  });
});

describe("window after its reset", () => {
  it("shows 0% once the reset time has passed, not a vanished window", async () => {
    const nowMs = Date.now();
    writeFeed(world, {
      fiveHourPercent: 85,
      fiveHourResetsAtMs: nowMs - 20 * 60_000,
      sevenDayPercent: 30,
      observedAtMs: nowMs - 60 * 60_000,
    });
    mockRaycast.reset(world.supportPath, { menuBarTitle: "five_hour" });
    const r = await renderCommand(MenuBarCommand);
    expect(titles(r, MENU_SECTION)).toContain("5-hour");
    expect(hasTitle(r, MENU_ITEM, "0% used")).toBe(true);
    expect(hasTitle(r, MENU_ITEM, "85% used")).toBe(false);
    // Known since the reset, 20 minutes ago.
    expect(menu(r).title).toBe("5h 0% (20m old)");
  });
});

describe("stale feed", () => {
  it("says the installed feed is stale (since when), not 'Enable the Statusline Feed'", async () => {
    const nowMs = Date.now();
    // Only a 5-hour window, which reset more than 5 hours ago: nothing current is left.
    writeFeed(world, {
      fiveHourPercent: 50,
      fiveHourResetsAtMs: nowMs - 6 * HOUR_MS,
      observedAtMs: nowMs - 8 * HOUR_MS,
    });
    const r = await renderCommand(MenuBarCommand);
    expect(hasTitle(r, MENU_ITEM, /Enable the Statusline Feed/)).toBe(false);
    expect(byTitle(r, MENU_ITEM, /^Statusline feed installed, last reading /).props.title).toMatch(
      /last reading .+ \(8h00m ago\): use Claude Code to refresh it$/,
    );
    const q = await renderCommand(UsageCommand);
    expect(hasTitle(q, LIST_ITEM, "Enable the Statusline Feed")).toBe(false);
    expect(detailMarkdown(byTitle(q, LIST_ITEM, "Statusline Feed Is Stale"))).toContain("8h00m ago");
  });

  it("still asks to enable the feed when there is no feed file", async () => {
    const r = await renderCommand(MenuBarCommand);
    expect(hasTitle(r, MENU_ITEM, /^Enable the Statusline Feed/)).toBe(true);
  });
});

describe("quick look: cost by model, plan, extra usage, claude.ai", () => {
  it("lists per-model cost rows for today and this week, costliest first", async () => {
    const nowMs = Date.now();
    writeTranscript(world, "-Users-me-src-app", "a", [
      { atMs: nowMs - 30 * 60_000, input: 1000, output: 2000 },
      { atMs: nowMs - 20 * 60_000, input: 500, output: 9000, model: "claude-opus-4-5-20251101" },
    ]);
    const q = await renderCommand(UsageCommand);
    for (const title of ["Today by Model", "This Week by Model"]) {
      const section = nodes(q, LIST_SECTION).find((s) => s.props.title === title);
      const rows = section?.findAll((n) => String(n.type) === LIST_ITEM) ?? [];
      expect(rows.map((row) => row.props.title)).toEqual(["opus-4-5", "sonnet-4-5"]);
      expect(rows[0].props.accessories[0].text).toMatch(/^\$0\.\d\d · 9\.5K tokens$/);
    }
  });

  it("shows the plan and extra-usage credits an exporter reports, and opens claude.ai's usage page", async () => {
    const nowMs = Date.now();
    const summary = exporterSummary(nowMs, {
      plan: { subscriptionType: "claude_max", rateLimitTier: "default_claude_max_20x" },
      extraUsage: { isEnabled: true, monthlyLimit: 50, used: 12.3, currency: "USD", utilizationRatio: 0.246 },
    });
    const exporter = await startExporter(() => ({ status: 200, body: JSON.stringify(summary) }));
    try {
      mockRaycast.reset(world.supportPath, { exporterUrl: exporter.url });
      const q = await renderCommand(UsageCommand);
      expect(byTitle(q, LIST_ITEM, "Plan").props.accessories).toEqual([{ text: "Max 20x" }]);
      expect(byTitle(q, LIST_ITEM, "Extra Usage").props.accessories).toEqual([
        { text: "$12.30 of $50.00 this month (25%)" },
      ]);
      const action = nodes(q, "Action.OpenInBrowser").find((a) => a.props.title === "Open Claude.ai Usage");
      expect(action?.props.url).toBe("https://claude.ai/settings/usage");
      expect(nodes(q, "List")[0].props.navigationTitle).toBeUndefined();

      const m = await renderCommand(MenuBarCommand);
      expect(hasTitle(m, MENU_ITEM, "Plan: Max 20x")).toBe(true);
      await byTitle(m, MENU_ITEM, "Open Claude.ai Usage").props.onAction();
      expect(open).toHaveBeenCalledWith("https://claude.ai/settings/usage");
    } finally {
      await exporter.close();
    }
  });
});
