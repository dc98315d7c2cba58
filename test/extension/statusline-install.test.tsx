/**
 * Install / Uninstall Statusline Feed from the quick look, with the CLI's installer (core):
 * the change is shown before it is made, the script asset is copied into the data dir, the
 * feed's state is shown, and uninstall leaves settings.json byte-identical.
 */

import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import UsageCommand from "../../extension/src/usage";
import { feedEnv } from "../../extension/src/statusline-feed";
import { confirmAlert, environment, mockRaycast } from "./raycast-mock";
import { byTitle, nodes, renderCommand, worldPerTest, writeFeed } from "./fixtures";

const ROOT = path.join(__dirname, "../..");
const ASSET = path.join(ROOT, "extension/assets/vendor/quotacast-statusline.cjs");
const SETTINGS = '{\n  "theme": "dark",\n  "statusLine": { "type": "command", "command": "echo mine" }\n}\n';

const world = worldPerTest();

beforeEach(() => {
  environment.assetsPath = path.join(ROOT, "extension/assets");
  fs.writeFileSync(path.join(world.configDir, "settings.json"), SETTINGS);
  writeFeed(world, { fiveHourPercent: 30, observedAtMs: Date.now() - 60_000 });
});

async function runAction(title: string): Promise<void> {
  const r = await renderCommand(UsageCommand);
  const action = nodes(r, "Action").find((a) => a.props.title === title);
  if (!action) throw new Error(`no action ${title}`);
  await action.props.onAction();
}

function feedItemText(r: Awaited<ReturnType<typeof renderCommand>>): string {
  return String(byTitle(r, "List.Item", "Statusline Feed").props.accessories[0].text);
}

test("install shows the change first, copies the script, then uninstall leaves settings.json byte-identical", async () => {
  const settings = path.join(world.configDir, "settings.json");
  expect(feedItemText(await renderCommand(UsageCommand))).toBe("not installed");

  await runAction("Install Statusline Feed");
  const message = String(confirmAlert.mock.calls[0][0].message);
  expect(message).toContain(settings);
  expect(message).toContain("statusLine.command: echo mine");
  expect(message).toMatch(/becomes: .*quotacast-statusline\.cjs'? --wrap <your command>/);

  const installed = fs.readFileSync(settings, "utf8");
  expect(installed).toMatch(/quotacast-statusline\.cjs'? --wrap /);
  const copied = path.join(path.dirname(world.feedFile), "quotacast-statusline.cjs");
  expect(fs.readFileSync(copied)).toEqual(fs.readFileSync(ASSET));
  expect(feedItemText(await renderCommand(UsageCommand))).toBe("installed · receiving");

  await runAction("Uninstall Statusline Feed");
  expect(fs.readFileSync(settings, "utf8")).toBe(SETTINGS);
  expect(feedItemText(await renderCommand(UsageCommand))).toBe("not installed");
});

test("a declined confirmation changes nothing", async () => {
  mockRaycast.confirm = false;
  await runAction("Install Statusline Feed");
  expect(confirmAlert).toHaveBeenCalled();
  expect(fs.readFileSync(path.join(world.configDir, "settings.json"), "utf8")).toBe(SETTINGS);
});

test("an installed command that can no longer run says so", async () => {
  const settings = path.join(world.configDir, "settings.json");
  fs.writeFileSync(
    settings,
    JSON.stringify({
      statusLine: { type: "command", command: `'/nowhere/node' '${world.root}/quotacast-statusline.cjs'` },
    }),
  );
  expect(feedItemText(await renderCommand(UsageCommand))).toMatch(
    /^installed · command no longer runs: \/nowhere\/node is gone/,
  );
});

test("PATH gains Homebrew's and /usr/local/bin (Raycast does not load the shell's PATH)", () => {
  expect(feedEnv({ env: { PATH: "/usr/bin:/bin" } }).PATH).toBe(
    "/usr/bin:/bin:/opt/homebrew/bin:/usr/local/bin",
  );
  expect(feedEnv({ env: { PATH: "/usr/local/bin" } }).PATH).toBe("/usr/local/bin:/opt/homebrew/bin");
});

test("the statusline script asset is the one npm run package builds (regenerate: npm run extension:assets)", () => {
  execFileSync(
    process.execPath,
    [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "scripts/package.ts", "statusline"],
    {
      cwd: ROOT,
      stdio: "pipe",
    },
  );
  const built = fs.readFileSync(path.join(ROOT, "exporter/dist/statusline/quotacast-statusline.cjs"));
  expect(fs.readFileSync(ASSET).equals(built)).toBe(true);
});
