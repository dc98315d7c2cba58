import type { ReactTestInstance, ReactTestRenderer } from "react-test-renderer";
import UsageCommand from "../../extension/src/usage";
import { Color, mockRaycast } from "./raycast-mock";
import {
  HOUR_MS,
  LIST_ITEM,
  LIST_SECTION,
  byTitle,
  deadUrl,
  hasTitle,
  nodes,
  renderCommand,
  seedClimbTo80Percent,
  titles,
  worldPerTest,
  writeFeed,
  writeTranscript,
} from "./fixtures";

const world = worldPerTest();

function writeSessions(nowMs: number): void {
  writeTranscript(world, "-Users-me-src-app", "session-a", [
    { atMs: nowMs - 50 * 60_000, input: 4000, output: 9000 },
    { atMs: nowMs - 30 * 60_000, input: 3000, output: 6000 },
  ]);
  writeTranscript(world, "-Users-me-src-site", "session-b", [
    { atMs: nowMs - 15 * 60_000, input: 500, output: 700, model: "claude-opus-4-5-20251101" },
  ]);
  // Three days ago: part of the last 14 days, not of today.
  writeTranscript(world, "-Users-me-src-app", "session-old", [
    { atMs: nowMs - 3 * 24 * HOUR_MS, output: 50_000 },
  ]);
}

function detailMarkdown(item: ReactTestInstance): string {
  return String(item.props.detail.props.markdown ?? "");
}

/** Metadata labels of an item's detail pane: title -> text (string or {value,color}). */
function metadata(item: ReactTestInstance): Map<string, unknown> {
  const labels = item.findAll((n) => String(n.type) === "List.Item.Detail.Metadata.Label");
  return new Map(labels.map((label) => [String(label.props.title), label.props.text]));
}

/** Titles of the actions in an item's action panel, in order. */
function actionTitles(item: ReactTestInstance): string[] {
  return item
    .findAll((n) => String(n.type).startsWith("Action") && String(n.type) !== "ActionPanel")
    .map((action) => String(action.props.title));
}

function list(r: ReactTestRenderer) {
  return nodes(r, "List")[0].props as { isShowingDetail: boolean; isLoading: boolean };
}

describe("quick look: normal usage", () => {
  it("lists windows with progress icons, usage, the 14-day chart and today's sessions", async () => {
    const nowMs = Date.now();
    writeSessions(nowMs);
    writeFeed(world, { fiveHourPercent: 40, sevenDayPercent: 22, observedAtMs: nowMs });

    const r = await renderCommand(UsageCommand);
    expect(list(r).isShowingDetail).toBe(true);
    expect(list(r).isLoading).toBe(false);
    expect(titles(r, LIST_SECTION)).toEqual([
      "Windows",
      "Usage",
      "Today by Model",
      "This Week by Model",
      "Sessions Today",
      "Sources",
    ]);

    const fiveHour = byTitle(r, LIST_ITEM, "5-hour");
    expect(fiveHour.props.icon).toEqual({ kind: "progress", progress: 0.4, color: Color.Green });
    expect(fiveHour.props.accessories).toEqual([{ tag: { value: "40%", color: Color.Green } }]);
    expect(metadata(fiveHour).get("Utilization")).toEqual({ value: "40%", color: Color.Green });
    expect(String(metadata(fiveHour).get("Resets"))).toMatch(
      /^\d{1,2}:\d\d(\s?[AP]M)? \(in (1h5\dm|2h00m)\)$/,
    );
    expect(byTitle(r, LIST_ITEM, "7-day").props.icon.progress).toBeCloseTo(0.22);

    const chart = detailMarkdown(byTitle(r, LIST_ITEM, "Last 14 Days"));
    const bars = chart.split("\n").filter((line) => /^\d\d-\d\d /.test(line));
    expect(bars).toHaveLength(14);
    // The day three days ago (50k output tokens of Sonnet) is the tallest bar.
    const longest = bars.reduce((a, b) =>
      (b.match(/█/g) ?? []).length > (a.match(/█/g) ?? []).length ? b : a,
    );
    expect(longest.slice(0, 5)).toBe(new Date(nowMs - 3 * 24 * HOUR_MS).toISOString().slice(5, 10));

    const sessions = nodes(r, LIST_SECTION).find((s) => s.props.title === "Sessions Today");
    const sessionItems = sessions?.findAll((n) => String(n.type) === LIST_ITEM) ?? [];
    expect(sessionItems.map((i) => i.props.title).sort()).toEqual(["app", "site"]);
    const site = sessionItems.find((i) => i.props.title === "site");
    expect(site?.props.subtitle).toBe("opus-4-5");
    expect(metadata(site as ReactTestInstance).get("Project")).toBe("-Users-me-src-site");
    expect(String(metadata(site as ReactTestInstance).get("Tokens"))).toMatch(/^\$0\.\d\d · 1\.2K tokens$/);

    const today = byTitle(r, LIST_ITEM, "Today");
    expect(metadata(today).get("Top Model")).toBe("sonnet-4-5");
    expect(actionTitles(today)).toEqual([
      "Refresh",
      "Copy Summary",
      "Open Claude.ai Usage",
      "Open Preferences",
    ]);
    expect(hasTitle(r, LIST_SECTION, "Setup")).toBe(false);
  });

  it("adds the Grafana action when its URL is set", async () => {
    mockRaycast.reset(world.supportPath, { grafanaUrl: "http://127.0.0.1:3000/d/now" });
    writeFeed(world, { fiveHourPercent: 10, observedAtMs: Date.now() });
    const r = await renderCommand(UsageCommand);
    const item = byTitle(r, LIST_ITEM, "5-hour");
    expect(actionTitles(item)).toContain("Open Grafana Dashboard");
    const browser = nodes(r, "Action.OpenInBrowser").find((a) => a.props.title === "Open Grafana Dashboard");
    expect(browser?.props.url).toBe("http://127.0.0.1:3000/d/now");
  });
});

describe("quick look: warning and exhaustion", () => {
  it("colours a window above the warning level and shows the forecast of exhaustion", async () => {
    const nowMs = Date.now();
    const resetsAtMs = await seedClimbTo80Percent(world, nowMs);
    writeSessions(nowMs);
    writeFeed(world, {
      fiveHourPercent: 80,
      fiveHourResetsAtMs: resetsAtMs,
      sevenDayPercent: 93,
      observedAtMs: nowMs,
    });

    const r = await renderCommand(UsageCommand);
    const fiveHour = byTitle(r, LIST_ITEM, "5-hour");
    expect(fiveHour.props.icon).toEqual({ kind: "progress", progress: 0.8, color: Color.Yellow });
    const meta = metadata(fiveHour);
    expect(meta.get("Exhaustion")).toEqual({ value: expect.stringMatching(/^limit in ~/), color: Color.Red });
    expect(String(meta.get("80% Interval"))).toMatch(/^\d+%–\d+%$/);
    expect(Number(String(meta.get("Forecast at Reset")).replace("%", ""))).toBeGreaterThanOrEqual(80);
    expect(detailMarkdown(fiveHour)).toMatch(/\*\*limit in ~/);
    expect(byTitle(r, LIST_ITEM, "7-day").props.icon.color).toBe(Color.Red);
  });
});

describe("quick look: no rate-limit source", () => {
  it("shows the setup section with the install command and the exporter preference", async () => {
    writeSessions(Date.now());
    const r = await renderCommand(UsageCommand);
    expect(titles(r, LIST_SECTION)).toContain("Setup");
    const statusline = byTitle(r, LIST_ITEM, "Enable the Statusline Feed");
    expect(detailMarkdown(statusline)).toContain("quotacast statusline install");
    expect(detailMarkdown(statusline)).toContain(world.feedFile);
    expect(actionTitles(statusline).slice(0, 2)).toEqual(["Install Statusline Feed", "Copy Install Command"]);
    const exporter = byTitle(r, LIST_ITEM, "Connect an Exporter");
    expect(detailMarkdown(exporter)).toContain("**Exporter URL**");
    expect(actionTitles(exporter)[0]).toBe("Set Exporter URL");
    expect(
      nodes(r, LIST_SECTION)
        .find((s) => s.props.title === "Windows")
        ?.findAll((n) => String(n.type) === LIST_ITEM),
    ).toEqual([]);
  });
});

describe("quick look: exporter unreachable", () => {
  it("says so, with what to check, and still offers the setup", async () => {
    mockRaycast.reset(world.supportPath, { exporterUrl: await deadUrl() });
    const r = await renderCommand(UsageCommand);
    const problem = byTitle(r, LIST_ITEM, "Exporter Unreachable");
    expect(problem.props.icon).toEqual({ source: "Warning", tintColor: Color.Orange });
    expect(detailMarkdown(problem)).toMatch(
      /cannot reach the exporter at http:\/\/127\.0\.0\.1:\d+\/api\/v1\/summary/,
    );
    expect(detailMarkdown(problem)).toContain("No earlier data to show.");
    expect(hasTitle(r, LIST_ITEM, "Connect an Exporter")).toBe(true);
    expect(actionTitles(problem)).toEqual(["Refresh", "Open Claude.ai Usage", "Open Preferences"]);
  });
});

describe("quick look: empty history", () => {
  it("shows zero usage and no sessions", async () => {
    const r = await renderCommand(UsageCommand);
    expect(byTitle(r, LIST_ITEM, "Today").props.accessories).toEqual([{ text: "$0.00" }]);
    expect(hasTitle(r, LIST_ITEM, "No Sessions Today")).toBe(true);
    expect(byTitle(r, LIST_ITEM, "Current 5-Hour Block").props.accessories).toEqual([{ text: "none" }]);
    const chart = detailMarkdown(byTitle(r, LIST_ITEM, "Last 14 Days"));
    expect(chart.split("\n").filter((line) => /^\d\d-\d\d /.test(line))).toHaveLength(14);
    expect(chart).not.toContain("█");
    expect(byTitle(r, LIST_ITEM, "Transcripts").props.accessories).toEqual([{ text: "ok · just now" }]);
  });
});
