/**
 * The package as a user gets it: `npm run package`'s tarball installed with
 * `npm install -g --prefix` into an empty prefix, then run from outside the repo with a
 * clean HOME and a PATH without the repo's node_modules/.bin. Needs the npm registry (the
 * package's dependencies). Run by `npm run test:package` (in .ci/run), not by `npx jest`.
 *
 * better-sqlite3 is a native module. Its install script downloads a prebuilt binary from
 * GitHub, else compiles it (minutes, and node headers from nodedir). When the registry
 * gives the version this checkout has, its local-prebuilds option is pointed at a tarball
 * of the binary `npm ci` already built for this very Node (what a CI prebuild cache does);
 * otherwise the install compiles, with this machine's npm nodedir.
 */
import { execFileSync, spawn, spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packageManifest, PACKAGES_DIR, ROOT } from "../../scripts/package";
import { generateHistory } from "../generators/transcripts";
import { statuslinePayload } from "../exporter/statusline/payload";
import { freePort } from "../support/free-port";

jest.setTimeout(15 * 60_000);

const manifest = packageManifest();
const TARBALL = path.join(PACKAGES_DIR, `${manifest.name}-${manifest.version}.tgz`);
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), "quotacast-pkg-"));
const PREFIX = path.join(WORK, "prefix");
const BIN = path.join(PREFIX, "bin", "quotacast");
const END_MS = Date.UTC(2026, 10, 20, 12);
/** The home of both installs (`npm install -g`, then npx), so the second reuses npm's cache. */
const NPM_HOME = "npm-home";

/** PATH without anything inside the repo (npm run adds node_modules/.bin dirs). */
const CLEAN_PATH = (process.env.PATH ?? "")
  .split(path.delimiter)
  .filter((dir) => dir !== "" && !path.resolve(dir).startsWith(ROOT + path.sep))
  .join(path.delimiter);

function freshHome(name: string): string {
  const home = path.join(WORK, name);
  fs.mkdirSync(home, { recursive: true });
  return home;
}

/** The machine's network settings (a proxy, its CA), which reaching the registry needs. */
const NETWORK_ENV = Object.fromEntries(
  Object.entries(process.env).filter(
    (entry): entry is [string, string] =>
      /^(https?_proxy|no_proxy|node_extra_ca_certs|ssl_cert_file|ssl_cert_dir)$/i.test(entry[0]) &&
      entry[1] !== undefined,
  ),
);

/** A user's environment: nothing from this process (jest's XDG_DATA_HOME, npm's npm_config_*). */
function userEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...NETWORK_ENV,
    HOME: home,
    PATH: `${path.dirname(BIN)}${path.delimiter}${CLEAN_PATH}`,
    LANG: "C.UTF-8",
    ...extra,
  };
}

/** What npm needs to install better-sqlite3 here without GitHub: see the header. */
function nativeBuildEnv(): Record<string, string> {
  const env: Record<string, string> = { npm_config_update_notifier: "false", npm_config_fund: "false" };
  const nodedir = execFileSync("npm", ["config", "get", "nodedir"], { encoding: "utf8" }).trim();
  if (nodedir !== "" && nodedir !== "undefined" && nodedir !== "null") env.npm_config_nodedir = nodedir;
  const built = path.join(ROOT, "node_modules/better-sqlite3");
  const { version } = JSON.parse(fs.readFileSync(path.join(built, "package.json"), "utf8")) as {
    version: string;
  };
  const binary = path.join(built, "build/Release/better_sqlite3.node");
  if (fs.existsSync(binary) && process.platform === "linux") {
    const dir = path.join(WORK, "prebuilds");
    fs.mkdirSync(dir, { recursive: true });
    const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-linux-${process.arch}.tar.gz`;
    execFileSync("tar", ["czf", path.join(dir, name), "-C", built, "build/Release/better_sqlite3.node"]);
    env.npm_config_better_sqlite3_local_prebuilds = dir;
  }
  return env;
}

function run(
  command: string,
  args: string[],
  env: Record<string, string>,
  input?: string,
): SpawnSyncReturns<string> {
  return spawnSync(command, args, { env, cwd: WORK, input, encoding: "utf8", timeout: 10 * 60_000 });
}

function ok(result: SpawnSyncReturns<string>, what: string): string {
  if (result.status !== 0)
    throw new Error(
      `${what}: exit ${result.status}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
  return result.stdout;
}

const timings: string[] = [];
function timed<T>(label: string, f: () => T): T {
  const startMs = Date.now();
  try {
    return f();
  } finally {
    timings.push(`${label}: ${((Date.now() - startMs) / 1000).toFixed(1)} s`);
  }
}

let buildEnv: Record<string, string>;

beforeAll(() => {
  if (!fs.existsSync(TARBALL)) throw new Error(`${TARBALL} is missing: run \`npm run package\` first`);
  expect(WORK.startsWith(ROOT)).toBe(false);
  buildEnv = nativeBuildEnv();
  const home = freshHome(NPM_HOME);
  timed("npm install -g --prefix (empty prefix)", () =>
    ok(
      run("npm", ["install", "-g", "--prefix", PREFIX, "--no-audit", TARBALL], userEnv(home, buildEnv)),
      "npm install -g",
    ),
  );
});

afterAll(() => {
  process.stdout.write(
    `tarball ${(fs.statSync(TARBALL).size / 1024).toFixed(0)} kB; ${timings.join("; ")}\n`,
  );
  fs.rmSync(WORK, { recursive: true, force: true });
});

test("bin/quotacast --version prints the version in its package.json", () => {
  const home = freshHome("version-home");
  expect(ok(run(BIN, ["--version"], userEnv(home)), "--version")).toBe(`${manifest.version}\n`);
  expect(ok(run("quotacast", ["-v"], userEnv(home)), "-v")).toBe(`${manifest.version}\n`);
  const installed = JSON.parse(
    fs.readFileSync(path.join(PREFIX, "lib/node_modules/quotacast/package.json"), "utf8"),
  ) as { version: string };
  expect(installed.version).toBe(manifest.version);
});

test("daily --json on a generated history equals the checkout's output; status runs", () => {
  const home = freshHome("daily-home");
  const claude = path.join(home, ".claude");
  generateHistory({ dir: claude, sizeMb: 1, seed: 11, endMs: END_MS, medianFileBytes: 20_000 });
  const args = ["daily", "--json", "--timezone", "UTC"];
  const installed = ok(run("quotacast", args, userEnv(home)), "installed daily --json");
  const checkoutEnv = userEnv(home, { XDG_DATA_HOME: path.join(WORK, "checkout-data") });
  const checkout = ok(
    run(process.execPath, [path.join(ROOT, "exporter/dist/cli.js"), ...args], checkoutEnv),
    "checkout daily --json",
  );
  const parsed = JSON.parse(installed) as { daily: unknown[] };
  expect(parsed.daily.length).toBeGreaterThan(3);
  expect(parsed).toEqual(JSON.parse(checkout));
  expect(ok(run("quotacast", ["status"], userEnv(home)), "status")).toMatch(/\S/);
  // bench forecast lives in its own file, loaded only by that command.
  expect(ok(run("quotacast", ["bench", "--help"], userEnv(home)), "bench --help")).toMatch(
    /^usage: quotacast bench/,
  );
});

test("serve answers /healthz", async () => {
  const home = freshHome("serve-home");
  const port = await freePort();
  const child = spawn("quotacast", ["serve", `--web.listen-address=127.0.0.1:${port}`], {
    env: userEnv(home),
    cwd: WORK,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  try {
    let status = 0;
    for (let attempt = 0; attempt < 600 && status !== 200 && child.exitCode === null; attempt++) {
      status = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status,
        () => 0,
      );
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (status !== 200) throw new Error(`/healthz never answered 200 (last ${status})\n${stderr}`);
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
});

/** The statusline as Claude Code runs it: the command from settings.json through `sh -c`. */
function statuslineRoundTrip(home: string): void {
  const settings = JSON.parse(fs.readFileSync(path.join(home, ".claude/settings.json"), "utf8")) as {
    statusLine: { command: string };
  };
  const command = settings.statusLine.command;
  expect(command).not.toMatch(/_npx|node_modules/);
  const nowMs = Date.now();
  const line = run("sh", ["-c", command], userEnv(home), JSON.stringify(statuslinePayload(nowMs)));
  expect({ status: line.status, stderr: line.stderr }).toEqual({ status: 0, stderr: "" });
  expect(line.stdout).toMatch(/5h 42%/);

  const summary = JSON.parse(ok(run("quotacast", ["status", "--json"], userEnv(home)), "status --json")) as {
    windows: Array<{ reading: { window: string; utilizationRatio: number } }>;
  };
  const fiveHour = summary.windows.find((w) => w.reading.window === "five_hour");
  expect(fiveHour?.reading.utilizationRatio).toBeCloseTo(0.42, 6);
  const status = run("quotacast", ["statusline", "status"], userEnv(home));
  expect({ status: status.status, out: status.stdout }).toMatchObject({
    status: 0,
    out: expect.stringContaining("can run: yes"),
  });
}

test("statusline install from the global install: the command from settings.json runs and feeds status", () => {
  const home = freshHome("statusline-home");
  ok(run("quotacast", ["statusline", "install"], userEnv(home)), "statusline install");
  statuslineRoundTrip(home);
});

test("statusline install through npx --package <tarball>, then the npx cache deleted: still runs", () => {
  // The home npm installed from: npx finds the dependencies in its cache (~/.npm/_cacache).
  const home = freshHome(NPM_HOME);
  timed("npx --package <tarball> quotacast statusline install", () =>
    ok(
      // PATH without the global install: the npx copy runs.
      run("npx", ["--yes", "--package", TARBALL, "quotacast", "statusline", "install"], {
        ...userEnv(home, buildEnv),
        PATH: CLEAN_PATH,
      }),
      "npx statusline install",
    ),
  );
  const npxCache = path.join(home, ".npm/_npx");
  expect(fs.existsSync(npxCache)).toBe(true);
  fs.rmSync(npxCache, { recursive: true, force: true });
  statuslineRoundTrip(home);
});
