import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { compileCacheDir } from "../../exporter/src/compile-cache";
import { tempDirPerTest } from "../support/per-test";

/** The compiled launcher, as `npm test` builds it (the package's bin is its bundle). */
const LAUNCHER = path.resolve(__dirname, "../../exporter/dist/launch.js");
const hasBuiltInCache =
  typeof (require("node:module") as { enableCompileCache?: unknown }).enableCompileCache === "function";

function runVersion(cacheHome: string): string {
  return execFileSync(process.execPath, [LAUNCHER, "--version"], {
    env: { ...process.env, XDG_CACHE_HOME: cacheHome },
    encoding: "utf8",
  });
}

function cacheFiles(cacheHome: string): string[] {
  const dir = compileCacheDir({ XDG_CACHE_HOME: cacheHome });
  return fs.existsSync(dir) ? fs.readdirSync(dir).map((name) => path.join(dir, name)) : [];
}

describe("the bin's compile cache", () => {
  const cacheHome = tempDirPerTest("qc-compile-cache-");

  test("lives under XDG_CACHE_HOME, else ~/.cache", () => {
    expect(compileCacheDir({ XDG_CACHE_HOME: "/c" }, "/home/me")).toBe("/c/quotacast/compile-cache");
    expect(compileCacheDir({}, "/home/me")).toBe("/home/me/.cache/quotacast/compile-cache");
  });

  (hasBuiltInCache ? test.skip : test)(
    "Node 20: the first run writes V8's code cache (private to the user); later runs reuse it as is",
    () => {
      const version = runVersion(cacheHome());
      const [file] = cacheFiles(cacheHome());
      expect(file).toBeDefined();
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
      const written = fs.readFileSync(file);
      expect(runVersion(cacheHome())).toBe(version);
      expect(cacheFiles(cacheHome())).toEqual([file]);
      expect(fs.readFileSync(file).equals(written)).toBe(true);
    },
  );

  (hasBuiltInCache ? test.skip : test)(
    "Node 20: a damaged cache file is rejected and replaced, the run is unchanged",
    () => {
      const version = runVersion(cacheHome());
      const [file] = cacheFiles(cacheHome());
      fs.writeFileSync(file, Buffer.from("not a code cache"));
      expect(runVersion(cacheHome())).toBe(version);
      expect(fs.readFileSync(file).toString()).not.toBe("not a code cache");
    },
  );

  (hasBuiltInCache ? test.skip : test)(
    "Node 20: writing a cache removes the ones unused for a month (left by earlier installs), not recent ones",
    () => {
      const dir = compileCacheDir({ XDG_CACHE_HOME: cacheHome() });
      fs.mkdirSync(dir, { recursive: true });
      const old = path.join(dir, "v20.0.0-x64-1-2-3-4.bin");
      const recent = path.join(dir, "v20.0.0-x64-5-6-7-8.bin");
      fs.writeFileSync(old, "old");
      fs.writeFileSync(recent, "recent");
      const fortyDaysAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000);
      fs.utimesSync(old, fortyDaysAgo, fortyDaysAgo);
      runVersion(cacheHome());
      const files = cacheFiles(cacheHome());
      expect(files).not.toContain(old);
      expect(files).toContain(recent);
      expect(files).toHaveLength(2);
    },
  );

  test("a cache dir that cannot be written costs nothing but the cache", () => {
    const blocked = path.join(cacheHome(), "file-not-dir");
    fs.writeFileSync(blocked, "");
    expect(runVersion(blocked)).toMatch(/^\d+\.\d+\.\d+/);
  });
});
