import * as fs from "node:fs";
import * as path from "node:path";
import {
  ConfigError,
  defaultConfig,
  parseListenAddress,
  parseServeArgs,
  serveUsage,
  serveOptions,
  envName,
} from "../../../exporter/src/config";
import { tempDir } from "./helpers";

function parse(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const parsed = parseServeArgs(argv, env);
  if (parsed.help) throw new Error("unexpected help");
  return parsed.config;
}

describe("serve configuration", () => {
  test("defaults work with nothing set", () => {
    const config = parse([]);
    expect(config).toEqual({ ...defaultConfig() });
    expect(config.listenAddress).toBe("127.0.0.1:9847");
    expect(config.sources.oauth).toBe(false);
    expect(config.sources.admin).toBe(false);
    expect(config.metricsProjects).toBe(0);
    expect(config.retentionDays).toBe(180);
  });

  test("precedence: flags > env > file > defaults", () => {
    const dir = tempDir();
    const file = path.join(dir, "quotacast.yaml");
    fs.writeFileSync(
      file,
      [
        "web:",
        "  listen-address: 127.0.0.1:1111",
        "timezone: Asia/Tokyo",
        "retention.days: 30",
        "claude:",
        "  config-dir: [/from/file]",
        "sources:",
        "  oauth: true",
      ].join("\n"),
    );
    const env = {
      QUOTACAST_CONFIG_FILE: file,
      QUOTACAST_TIMEZONE: "Europe/Paris",
      QUOTACAST_RETENTION_DAYS: "60",
    };
    const config = parse(
      ["--retention.days", "90", "--claude.config-dir=/a", "--claude.config-dir", "/b"],
      env,
    );
    expect(config.listenAddress).toBe("127.0.0.1:1111"); // file
    expect(config.timezone).toBe("Europe/Paris"); // env over file
    expect(config.retentionDays).toBe(90); // flag over env
    expect(config.claudeConfigDirs).toEqual(["/a", "/b"]); // repeatable flag
    expect(config.sources.oauth).toBe(true); // file
    expect(config.configFile).toBe(file);
  });

  test("JSON config file with dotted keys; env lists are comma separated", () => {
    const file = path.join(tempDir(), "q.json");
    fs.writeFileSync(file, JSON.stringify({ "metrics.projects": 5, "sources.admin": "true" }));
    const config = parse([`--config.file=${file}`], { QUOTACAST_CLAUDE_CONFIG_DIR: "/x, /y" });
    expect(config.metricsProjects).toBe(5);
    expect(config.sources.admin).toBe(true);
    expect(config.claudeConfigDirs).toEqual(["/x", "/y"]);
  });

  test("--metrics.projects alone means the default cap; booleans take =false", () => {
    expect(parse(["--metrics.projects"]).metricsProjects).toBe(20);
    expect(parse(["--metrics.projects", "7"]).metricsProjects).toBe(7);
    expect(parse(["--metrics.projects", "--sources.oauth"]).sources.oauth).toBe(true);
    expect(parse(["--sources.oauth=false"], { QUOTACAST_SOURCES_OAUTH: "true" }).sources.oauth).toBe(false);
  });

  test("bad input gets a clear message naming the setting", () => {
    expect(() => parse(["--nope"])).toThrow(/unknown flag --nope/);
    expect(() => parse(["--retention.days=-3"])).toThrow(
      /--retention.days \(QUOTACAST_RETENTION_DAYS\): expected a positive/,
    );
    expect(() => parse(["--schedule.transcripts=every minute"])).toThrow(/cron expression/);
    expect(() => parse(["--timezone=Mars/Olympus"])).toThrow(/unknown time zone 'Mars\/Olympus'/);
    expect(() => parse(["--sources.oauth=maybe"])).toThrow(ConfigError);
    const file = path.join(tempDir(), "bad.yaml");
    fs.writeFileSync(file, "web: [unclosed");
    expect(() => parse([`--config.file=${file}`])).toThrow(/not valid YAML/);
    fs.writeFileSync(file, "web:\n  listen-adress: x\n");
    expect(() => parse([`--config.file=${file}`])).toThrow(/unknown setting 'web.listen-adress'/);
    expect(() => parse(["--config.file=/does/not/exist.yaml"])).toThrow(/cannot read config file/);
  });

  test("--help lists every flag with its environment variable", () => {
    expect(parseServeArgs(["--help"], {})).toEqual({ help: true });
    const text = serveUsage();
    for (const option of serveOptions()) {
      expect(text).toContain(`--${option.flag}`);
      expect(text).toContain(envName(option.flag));
    }
  });

  test("listen addresses", () => {
    expect(parseListenAddress("127.0.0.1:9847")).toEqual({ host: "127.0.0.1", port: 9847 });
    expect(parseListenAddress(":9847")).toEqual({ host: undefined, port: 9847 });
    expect(parseListenAddress("[::1]:80")).toEqual({ host: "::1", port: 80 });
    expect(() => parseListenAddress("9847")).toThrow(/host:port/);
  });
});
