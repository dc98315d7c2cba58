import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  renderLaunchdPlist,
  renderSystemdUnit,
  serviceEnvironment,
  systemdQuote,
  systemdUnitPath,
  type ServiceSpec,
} from "../../../exporter/src/service/render";

const spec: ServiceSpec = {
  nodePath: "/opt/node 22/bin/node",
  cliPath: "/home/dev/.npm/lib/node_modules/quotacast/dist/cli.js",
  serveArgs: [
    "--web.listen-address=127.0.0.1:9847",
    "--timezone",
    "Europe/Paris",
    "--db.path=/home/dev/my data/q.db",
  ],
  environment: {
    CLAUDE_CONFIG_DIR: "/home/dev/.claude,/home/dev/work claude",
    QUOTACAST_METRICS_PROJECTS: "5",
  },
};

function commandAvailable(command: string, args: string[]): boolean {
  const probe = spawnSync(command, args, { stdio: "ignore" });
  return !probe.error && probe.status === 0;
}

describe("systemd unit", () => {
  test("quotes words only when needed and escapes what systemd would expand", () => {
    expect(systemdQuote("/usr/bin/node")).toBe("/usr/bin/node");
    expect(systemdQuote("--timezone=Europe/Paris")).toBe("--timezone=Europe/Paris");
    expect(systemdQuote("/a b/node")).toBe('"/a b/node"');
    expect(systemdQuote('say "hi"\\')).toBe('"say \\"hi\\"\\\\"');
    expect(systemdQuote("50%")).toBe("50%%");
    expect(systemdQuote("$HOME/x y")).toBe('"$$HOME/x y"');
  });

  test("runs this node and this cli.js with the serve flags, restarts on failure, starts with the session", () => {
    const unit = renderSystemdUnit(spec);
    expect(unit).toContain(
      'ExecStart="/opt/node 22/bin/node" /home/dev/.npm/lib/node_modules/quotacast/dist/cli.js serve ' +
        '--web.listen-address=127.0.0.1:9847 --timezone Europe/Paris "--db.path=/home/dev/my data/q.db"\n',
    );
    expect(unit).toContain('Environment="CLAUDE_CONFIG_DIR=/home/dev/.claude,/home/dev/work claude"\n');
    expect(unit).toContain("Environment=QUOTACAST_METRICS_PROJECTS=5\n");
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/\[Install\]\nWantedBy=default.target\n$/);
  });

  test("is accepted by systemd-analyze verify, which finds the executable through the quoting", () => {
    if (!commandAvailable("systemd-analyze", ["--version"])) {
      console.warn("skipping: systemd-analyze is not on PATH");
      return;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quotacast unit "));
    try {
      // A node binary in a directory with a space: unquoted, systemd would look for ".../quotacast".
      fs.symlinkSync(process.execPath, path.join(dir, "node"));
      const unitFile = path.join(dir, "quotacast.service");
      const withArgs = {
        ...spec,
        nodePath: path.join(dir, "node"),
        serveArgs: [...spec.serveArgs, "--x=100%", "$HOME"],
      };
      fs.writeFileSync(unitFile, renderSystemdUnit(withArgs));
      const verify = spawnSync("systemd-analyze", ["verify", unitFile], { encoding: "utf8" });
      expect(verify.stderr).toBe("");
      expect(verify.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("lives in ~/.config/systemd/user, or under XDG_CONFIG_HOME", () => {
    expect(systemdUnitPath("/home/dev")).toBe("/home/dev/.config/systemd/user/quotacast.service");
    expect(systemdUnitPath("/home/dev", { XDG_CONFIG_HOME: "/cfg" })).toBe(
      "/cfg/systemd/user/quotacast.service",
    );
  });
});

describe("launchd agent", () => {
  test("is a property list that runs this node and cli.js at load and logs to the given file", () => {
    const plist = renderLaunchdPlist(
      { ...spec, serveArgs: ["--web.config.file=/Users/dev/a&b <web>.yml"] },
      "/Users/dev/Library/Logs/quotacast/exporter.log",
    );
    if (!commandAvailable("python3", ["-c", "import plistlib"])) {
      console.warn("skipping the plist parse: python3 is not on PATH");
      expect(plist).toContain("<string>--web.config.file=/Users/dev/a&amp;b &lt;web&gt;.yml</string>");
      return;
    }
    // Parsed by Python's plistlib, a real reader of Apple's format.
    const parsed = spawnSync(
      "python3",
      ["-c", "import json, plistlib, sys; print(json.dumps(plistlib.loads(sys.stdin.buffer.read())))"],
      { input: plist, encoding: "utf8" },
    );
    expect(parsed.stderr).toBe("");
    expect(JSON.parse(parsed.stdout)).toEqual({
      Label: "dev.quotacast.exporter",
      ProgramArguments: [spec.nodePath, spec.cliPath, "serve", "--web.config.file=/Users/dev/a&b <web>.yml"],
      EnvironmentVariables: spec.environment,
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      ThrottleInterval: 10,
      ProcessType: "Background",
      StandardOutPath: "/Users/dev/Library/Logs/quotacast/exporter.log",
      StandardErrorPath: "/Users/dev/Library/Logs/quotacast/exporter.log",
    });
  });
});

describe("serviceEnvironment", () => {
  test("keeps config locations and quotacast settings, never credentials", () => {
    expect(
      serviceEnvironment({
        CLAUDE_CONFIG_DIR: "/c",
        XDG_DATA_HOME: "/d",
        QUOTACAST_TIMEZONE: "Europe/Paris",
        QUOTACAST_ADMIN_API_KEY: "sk-ant-admin-xxx",
        ANTHROPIC_ADMIN_KEY: "sk-ant-admin-yyy",
        CLAUDE_CODE_OAUTH_TOKEN: "tok",
        HOME: "/home/dev",
        PATH: "/usr/bin",
        QUOTACAST_EMPTY: "",
      }),
    ).toEqual({ CLAUDE_CONFIG_DIR: "/c", QUOTACAST_TIMEZONE: "Europe/Paris", XDG_DATA_HOME: "/d" });
  });
});
