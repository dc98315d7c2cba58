/**
 * Runs the CLI bundle with its compiled code cached on disk. Node 22.1+ has such a cache
 * (`module.enableCompileCache`); on Node 20 the bundle is compiled through `vm.Script` with
 * V8's code cache kept in a file named by the Node version and the bundle's content, which
 * saves most of the ~50 ms V8 spends compiling the bundle on every run (bench/RESULTS.md).
 * Any failure to read or write the cache only costs that saving.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import Module from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import * as vm from "node:vm";

/** `$XDG_CACHE_HOME/quotacast/compile-cache`, default `~/.cache/quotacast/compile-cache`. */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env, homeDir = os.homedir()): string {
  const xdg = (env.XDG_CACHE_HOME ?? "").trim();
  const base = xdg !== "" && path.isAbsolute(xdg) ? xdg : path.join(homeDir, ".cache");
  return path.join(base, "quotacast", "compile-cache");
}

type ModuleInternals = typeof Module & {
  enableCompileCache?: (dir: string) => unknown;
  _nodeModulePaths(dir: string): string[];
};
const internals = Module as ModuleInternals;

/** Loads and runs `file` (a CommonJS script) as `require(file)` would, through the cache in `cacheDir`. */
export function runWithCompileCache(file: string, cacheDir = compileCacheDir()): void {
  if (internals.enableCompileCache) {
    internals.enableCompileCache(cacheDir);
    Module.createRequire(file)(file);
    return;
  }
  const source = fs.readFileSync(file, "utf8").replace(/^#!.*/, "");
  const cacheFile = path.join(cacheDir, `${cacheKey(source)}.bin`);
  const cachedData = readIfPresent(cacheFile);
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  // Written at exit, so the functions the run compiled lazily are in the cache too.
  if (cachedData === undefined || script.cachedDataRejected)
    process.once("exit", () => save(cacheFile, script));
  const module = new Module(file);
  module.filename = file;
  module.paths = internals._nodeModulePaths(path.dirname(file));
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, Module.createRequire(file), module, file, path.dirname(file));
}

function cacheKey(source: string): string {
  return createHash("sha256")
    .update(`${process.version}\0${process.arch}\0`)
    .update(source)
    .digest("hex")
    .slice(0, 32);
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Atomically (a reader never sees half a file); private to the user, like the rest of the state. */
function save(cacheFile: string, script: vm.Script): void {
  try {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
    const temp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
    fs.renameSync(temp, cacheFile);
  } catch {
    // A read-only or full disk: run without the cache next time too.
  }
}
