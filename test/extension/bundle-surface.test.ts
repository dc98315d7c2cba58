/**
 * The extension's bundle carries only what it imports from core's subpath entries: walks
 * the runtime imports (not `import type`) from every `@quotacast/core/...` specifier in
 * extension/src through core/src, and checks that no OAuth, Admin API, credentials or
 * forecast-evaluation module is reached (core's dist is CommonJS, which a bundler cannot
 * tree-shake: whatever module is reached ships).
 */
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "../..");
const CORE_SRC = path.join(ROOT, "core", "src");
const EXPORTS = JSON.parse(fs.readFileSync(path.join(ROOT, "core", "package.json"), "utf8"))
  .exports as Record<string, { default: string }>;
/** Value imports and re-exports; `import type` and `export type` are erased and ship nothing. */
const RUNTIME_IMPORT = /^(?:import|export)\s+(?!type\b)[^;]*?from\s+"([^"]+)"/gms;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

function runtimeSpecifiers(file: string): string[] {
  return [...fs.readFileSync(file, "utf8").matchAll(RUNTIME_IMPORT)].map((m) => m[1]);
}

/** `@quotacast/core/x` -> the core source file its exports entry builds from. */
function coreEntry(specifier: string): string {
  const subpath = "." + specifier.slice("@quotacast/core".length);
  const target = EXPORTS[subpath];
  if (!target) throw new Error(`${specifier} is not in core's exports map`);
  return path.join(CORE_SRC, target.default.replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts"));
}

function resolveRelative(from: string, specifier: string): string | null {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [`${base}.ts`, path.join(base, "index.ts"), base])
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  return null;
}

function reachedCoreFiles(): Set<string> {
  const reached = new Set<string>();
  const queue = sourceFiles(path.join(ROOT, "extension", "src"))
    .flatMap(runtimeSpecifiers)
    .filter((s) => s.startsWith("@quotacast/core"))
    .map(coreEntry);
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (reached.has(file)) continue;
    reached.add(file);
    for (const specifier of runtimeSpecifiers(file)) {
      if (!specifier.startsWith(".")) continue;
      const next = resolveRelative(file, specifier);
      if (next && next.endsWith(".ts")) queue.push(next);
    }
  }
  return reached;
}

test("the extension imports core only through subpath entries (never the whole index)", () => {
  const bare = sourceFiles(path.join(ROOT, "extension", "src")).filter((file) =>
    /from\s+"@quotacast\/core"/.test(fs.readFileSync(file, "utf8")),
  );
  expect(bare.map((f) => path.relative(ROOT, f))).toEqual([]);
});

test("no OAuth, Admin API, credentials or evaluation module is reachable from the extension", () => {
  const reached = [...reachedCoreFiles()].map((f) => path.relative(CORE_SRC, f));
  expect(reached).toContain("ingest/ledger.ts");
  expect(reached).toContain("limits/sources/statusline.ts");
  const forbidden = reached.filter(
    (f) =>
      f === "index.ts" ||
      f.startsWith("limits/oauth/") ||
      f.startsWith("limits/admin/") ||
      f === "limits/sources/oauth.ts" ||
      f === "limits/sources/admin.ts" ||
      f === "limits/sources/index.ts",
  );
  expect(forbidden).toEqual([]);
});
