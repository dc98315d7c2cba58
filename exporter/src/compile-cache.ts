/**
 * Runs the CLI bundle with its compiled code cached on disk. Node 22.1+ has such a cache
 * (`module.enableCompileCache`); on Node 20 the bundle is compiled through `vm.Script` with
 * V8's code cache kept in a file named by the Node version and the bundle file's identity,
 * which saves most of the ~50 ms V8 spends compiling the bundle on every run
 * (bench/RESULTS.md). Any failure to read or write the cache only costs that saving.
 */
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
  const cacheFile = path.join(cacheDir, `${cacheKey(file)}.bin`);
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

/**
 * The Node version and the bundle file's identity. V8 checks only the source's length when it
 * takes a cache, so the key must change with any change of content: an install or an edit
 * changes the file's ctime (which no tool can set back), and hashing the content instead
 * would load node:crypto, a tenth of a warm run.
 */
function cacheKey(file: string): string {
  const stat = fs.statSync(file);
  return [process.version, process.arch, stat.ino, stat.size, stat.mtimeMs, stat.ctimeMs].join("-");
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
    removeUnusedCaches(path.dirname(cacheFile));
  } catch {
    // A read-only or full disk: run without the cache next time too.
  }
}

/** Each install or upgrade writes a new file: those not used for a month go (a used one is read, not written). */
const UNUSED_CACHE_MS = 30 * 24 * 3600 * 1000;

function removeUnusedCaches(dir: string): void {
  const now = Date.now();
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (name.endsWith(".bin") && now - fs.statSync(file).atimeMs > UNUSED_CACHE_MS)
      fs.rmSync(file, { force: true });
  }
}
