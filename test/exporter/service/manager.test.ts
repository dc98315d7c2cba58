import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { absolutizePathFlags, findCliPath, run } from "../../../exporter/src/commands/service";
import {
  installedNodePath,
  installService,
  showServiceStatus,
  uninstallService,
  type ServiceContext,
} from "../../../exporter/src/service/manager";
import {
  renderLaunchdPlist,
  renderSystemdUnit,
  type ServiceSpec,
} from "../../../exporter/src/service/render";
import type { CommandResult, CommandRunner } from "../../../exporter/src/service/runner";
import { captureStderr } from "../../support/capture-stdout";

/** Records every command and answers from a script of canned results (default: success). */
class RecordingRunner implements CommandRunner {
  readonly calls: string[] = [];
  constructor(private readonly answer: (line: string) => Partial<CommandResult> = () => ({})) {}
  async run(command: string, args: readonly string[]): Promise<CommandResult> {
    const line = [command, ...args].join(" ");
    this.calls.push(line);
    return { code: 0, stdout: "", stderr: "", notFound: false, ...this.answer(line) };
  }
}

const spec: ServiceSpec = {
  nodePath: "/usr/local/bin/node",
  cliPath: "/opt/quotacast/dist/cli.js",
  serveArgs: ["--sources.oauth"],
  environment: {},
};

let home: string;
let output: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "quotacast-service-"));
  output = "";
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

function context(platform: NodeJS.Platform, runner: CommandRunner, dryRun = false): ServiceContext {
  return { platform, homeDir: home, uid: 501, env: {}, runner, dryRun, out: (text) => (output += text) };
}

const unitPath = () => path.join(home, ".config", "systemd", "user", "quotacast.service");
const plistPath = () => path.join(home, "Library", "LaunchAgents", "dev.quotacast.exporter.plist");

describe("systemd (Linux)", () => {
  test("install writes the unit, reloads, enables and (re)starts it, and says where the logs are", async () => {
    const runner = new RecordingRunner();
    expect(await installService(spec, context("linux", runner))).toBe(0);
    expect(fs.readFileSync(unitPath(), "utf8")).toContain(
      "ExecStart=/usr/local/bin/node /opt/quotacast/dist/cli.js serve --sources.oauth\n",
    );
    expect(runner.calls).toEqual([
      "systemctl --user show-environment",
      "systemctl --user daemon-reload",
      "systemctl --user enable quotacast.service",
      "systemctl --user restart quotacast.service",
    ]);
    expect(output).toContain("journalctl --user -u quotacast.service");
  });

  test("never writes the Admin API key into the unit, and says how to supply it", async () => {
    const ctx = {
      ...context("linux", new RecordingRunner()),
      env: { ANTHROPIC_ADMIN_KEY: "sk-ant-admin01-secret" },
    };
    expect(await installService({ ...spec, serveArgs: ["--sources.admin"] }, ctx)).toBe(0);
    expect(fs.readFileSync(unitPath(), "utf8")).not.toContain("sk-ant-admin01-secret");
    expect(output).not.toContain("sk-ant-admin01-secret");
    expect(output).toContain("EnvironmentFile=%h/.config/quotacast/admin.env");
  });

  test("without systemctl (a container) says so and writes nothing", async () => {
    const runner = new RecordingRunner(() => ({ code: 127, notFound: true }));
    expect(await installService(spec, context("linux", runner))).toBe(1);
    expect(output).toMatch(/systemctl was not found.*container/);
    expect(fs.existsSync(unitPath())).toBe(false);
    expect(runner.calls).toEqual(["systemctl --user show-environment"]);
  });

  test("without a user service manager explains it and writes nothing", async () => {
    const runner = new RecordingRunner(() => ({
      code: 1,
      stderr: "Failed to connect to bus: No medium found",
    }));
    expect(await installService(spec, context("linux", runner))).toBe(1);
    expect(output).toContain(
      "cannot reach your user service manager (Failed to connect to bus: No medium found)",
    );
    expect(fs.existsSync(unitPath())).toBe(false);
  });

  test("a failing systemctl step stops the install with its message", async () => {
    const runner = new RecordingRunner((line) =>
      line.endsWith("restart quotacast.service") ? { code: 1, stderr: "Job failed" } : {},
    );
    expect(await installService(spec, context("linux", runner))).toBe(1);
    expect(output).toContain("'systemctl --user restart quotacast.service' failed (exit 1): Job failed");
  });

  test("--dry-run prints the unit and the commands, and changes nothing", async () => {
    const runner = new RecordingRunner();
    expect(await installService(spec, context("linux", runner, true))).toBe(0);
    expect(runner.calls).toEqual([]);
    expect(fs.existsSync(unitPath())).toBe(false);
    expect(output).toContain(`would write ${unitPath()}:\n# Written by`);
    expect(output).toContain("would run: systemctl --user enable quotacast.service\n");
  });

  test("uninstall stops, disables and removes the unit; a second uninstall says it is not installed", async () => {
    await installService(spec, context("linux", new RecordingRunner()));
    const runner = new RecordingRunner();
    expect(await uninstallService(context("linux", runner))).toBe(0);
    expect(runner.calls).toEqual([
      "systemctl --user disable --now quotacast.service",
      "systemctl --user daemon-reload",
    ]);
    expect(fs.existsSync(unitPath())).toBe(false);
    output = "";
    expect(await uninstallService(context("linux", new RecordingRunner()))).toBe(0);
    expect(output).toContain("not installed");
  });

  test("status reports installed, active, pid and logs; 3 when not running", async () => {
    await installService(spec, context("linux", new RecordingRunner()));
    output = "";
    const active = new RecordingRunner((line) =>
      line.includes("is-active")
        ? { stdout: "active\n" }
        : line.includes("is-enabled")
          ? { stdout: "enabled\n" }
          : line.includes("MainPID")
            ? { stdout: "4242\n" }
            : {},
    );
    expect(await showServiceStatus(context("linux", active))).toBe(0);
    expect(output).toContain(`installed: yes (${unitPath()})`);
    expect(output).toContain("state:     active (pid 4242)");
    expect(output).toContain("enabled:   enabled");
    expect(output).toContain("logs:      journalctl --user -u quotacast.service -f");

    output = "";
    const absent = new RecordingRunner(() => ({ code: 127, notFound: true }));
    expect(await showServiceStatus(context("linux", absent))).toBe(3);
    expect(output).toContain("state:     unknown (no service manager here)");
  });
});

test("status warns when the node binary the service runs is gone", async () => {
  await installService(
    { ...spec, nodePath: path.join(home, "old node", "bin", "node") },
    context("linux", new RecordingRunner()),
  );
  output = "";
  await showServiceStatus(context("linux", new RecordingRunner()));
  expect(output).toContain(
    `warning: ${path.join(home, "old node", "bin", "node")} (the node it runs) no longer exists`,
  );
  output = "";
  await installService({ ...spec, nodePath: process.execPath }, context("linux", new RecordingRunner()));
  output = "";
  await showServiceStatus(context("linux", new RecordingRunner()));
  expect(output).not.toContain("warning");
});

test("reads back the node path from both service files, quoting and escaping included", () => {
  const odd = { ...spec, nodePath: "/opt/a b/50%/$x/&<node>" };
  expect(installedNodePath("systemd", renderSystemdUnit(odd))).toBe(odd.nodePath);
  expect(installedNodePath("launchd", renderLaunchdPlist(odd, "/tmp/log"))).toBe(odd.nodePath);
  expect(installedNodePath("systemd", renderSystemdUnit(spec))).toBe(spec.nodePath);
});

describe("launchd (macOS)", () => {
  test("install writes the agent and bootstraps it into the user's GUI domain", async () => {
    const runner = new RecordingRunner();
    expect(await installService(spec, context("darwin", runner))).toBe(0);
    expect(fs.readFileSync(plistPath(), "utf8")).toContain("<string>dev.quotacast.exporter</string>");
    expect(fs.existsSync(path.join(home, "Library", "Logs", "quotacast"))).toBe(true);
    expect(runner.calls).toEqual([
      "launchctl version",
      "launchctl bootout gui/501/dev.quotacast.exporter",
      `launchctl bootstrap gui/501 ${plistPath()}`,
    ]);
    expect(output).toContain(path.join(home, "Library", "Logs", "quotacast", "exporter.log"));
  });

  test("status reads state and pid from launchctl print", async () => {
    await installService(spec, context("darwin", new RecordingRunner()));
    output = "";
    const runner = new RecordingRunner((line) =>
      line.startsWith("launchctl print")
        ? {
            stdout:
              "gui/501/dev.quotacast.exporter = {\n\tactive count = 1\n\tstate = running\n\tpid = 777\n}\n",
          }
        : {},
    );
    expect(await showServiceStatus(context("darwin", runner))).toBe(0);
    expect(runner.calls).toEqual(["launchctl print gui/501/dev.quotacast.exporter"]);
    expect(output).toContain("state:     running (pid 777)");
  });

  test("uninstall boots it out and removes the plist", async () => {
    await installService(spec, context("darwin", new RecordingRunner()));
    const runner = new RecordingRunner();
    expect(await uninstallService(context("darwin", runner))).toBe(0);
    expect(runner.calls).toEqual(["launchctl bootout gui/501/dev.quotacast.exporter"]);
    expect(fs.existsSync(plistPath())).toBe(false);
  });
});

test("other platforms get a clear message", async () => {
  expect(await installService(spec, context("win32", new RecordingRunner()))).toBe(1);
  expect(output).toContain("win32 is not supported");
});

describe("quotacast service command", () => {
  test("finds the compiled cli.js from dist/commands or from the sources", () => {
    const root = path.join(home, "exporter");
    fs.mkdirSync(path.join(root, "dist", "commands"), { recursive: true });
    fs.mkdirSync(path.join(root, "src", "commands"), { recursive: true });
    expect(findCliPath(path.join(root, "dist", "commands"))).toBeNull();
    fs.writeFileSync(path.join(root, "dist", "cli.js"), "");
    expect(findCliPath(path.join(root, "dist", "commands"))).toBe(path.join(root, "dist", "cli.js"));
    expect(findCliPath(path.join(root, "src", "commands"))).toBe(path.join(root, "dist", "cli.js"));
    // The installed package: one bundle, the command's code is in dist/cli.js itself.
    expect(findCliPath(path.join(root, "dist"))).toBe(path.join(root, "dist", "cli.js"));
  });

  test("makes path flags absolute, in both flag forms", () => {
    expect(
      absolutizePathFlags(
        ["--web.config.file=web.yml", "--db.path", "data/q.db", "--timezone", "UTC"],
        "/home/dev",
      ),
    ).toEqual([
      "--web.config.file=/home/dev/web.yml",
      "--db.path",
      "/home/dev/data/q.db",
      "--timezone",
      "UTC",
    ]);
  });

  test("install --dry-run shows a unit with this node, and the flags given after --", async () => {
    const runner = new RecordingRunner();
    const stdout = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      const code = await run(["install", "--dry-run", "--", "--timezone=UTC", "--metrics.projects=3"], {
        platform: "linux",
        homeDir: home,
        env: {},
        runner,
        out: (text) => (output += text),
        cliPath: "/opt/quotacast/dist/cli.js",
      });
      expect(code).toBe(0);
    } finally {
      stdout.mockRestore();
    }
    expect(runner.calls).toEqual([]);
    expect(output).toContain(
      `ExecStart=${process.execPath} /opt/quotacast/dist/cli.js serve --timezone=UTC --metrics.projects=3\n`,
    );
  });

  test("refuses serve flags that serve would refuse, before installing anything", async () => {
    const runner = new RecordingRunner();
    const { code, stderr } = await captureStderr(() =>
      run(["install", "--", "--web.listen-adress=:9847"], { platform: "linux", homeDir: home, runner }),
    );
    expect(code).toBe(2);
    expect(stderr).toContain("unknown flag --web.listen-adress");
    expect(runner.calls).toEqual([]);
  });

  test("refuses to install a service that runs quotacast from npx's cache (npm deletes it)", async () => {
    const runner = new RecordingRunner();
    const cliPath = path.join(home, ".npm", "_npx", "3f2a", "node_modules", "quotacast", "dist", "cli.js");
    const { code, stderr } = await captureStderr(() =>
      run(["install"], { platform: "linux", homeDir: home, runner, cliPath }),
    );
    expect(code).toBe(1);
    expect(stderr).toContain("npm install -g quotacast");
    expect(runner.calls).toEqual([]);
  });
});
