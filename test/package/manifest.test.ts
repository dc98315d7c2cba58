/**
 * The `quotacast` package installs from the registry alone: every bare import its bundle
 * leaves as a `require` is declared in its manifest's `dependencies` (exporter/package.json),
 * nothing it depends on is a workspace of this repo (unpublished), and what Node loads
 * separately is there. Needs the compiled sources (`npm run build`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { stop as stopEsbuild } from "esbuild";
import {
  bundlePackage,
  packageManifest,
  packageNameOf,
  publishedManifest,
  workspaceNames,
  ROOT,
  type BundleOutput,
} from "../../scripts/package";
import { STATUSLINE_SCRIPT_FILE } from "../../core/src/statusline/paths";
import { tempDir } from "../fakes/ports";
import { OWN_MALLOC_TUNABLES } from "../../exporter/src/malloc-tunables";

let outputs: BundleOutput[];
const output = (file: string) => {
  const found = outputs.find((o) => o.file === file);
  if (!found) throw new Error(`${file} is not in the bundle (${outputs.map((o) => o.file).join(", ")})`);
  return found;
};

let outdir: string;

beforeAll(async () => {
  outdir = path.join(tempDir("quotacast-bundle-"), "dist");
  outputs = await bundlePackage(outdir);
});

// esbuild's API keeps a service process alive: stop it, or jest never exits.
afterAll(() => stopEsbuild());

test("every bare import left in the bundle is a declared dependency, and every dependency is imported", () => {
  const manifest = packageManifest();
  const declared = Object.keys(manifest.dependencies ?? {}).sort();
  const imported = [...new Set(outputs.flatMap((o) => o.externals.map(packageNameOf)))].sort();
  expect(imported.filter((name) => !declared.includes(name))).toEqual([]);
  expect(declared.filter((name) => !imported.includes(name))).toEqual([]);
  expect(imported).toContain("better-sqlite3");
});

test("it depends on nothing unpublished: workspaces are bundled, never dependencies", () => {
  const workspaces = workspaceNames();
  const manifest = packageManifest();
  expect(Object.keys(manifest.dependencies ?? {}).filter((name) => workspaces.has(name))).toEqual([]);
  expect(outputs.flatMap((o) => o.externals).filter((name) => workspaces.has(packageNameOf(name)))).toEqual(
    [],
  );
  expect(output("cli.js").inputs.some((input) => input.startsWith("core/"))).toBe(true);
});

test("one package named quotacast with the bin quotacast; no two workspaces share a name", () => {
  const manifest = packageManifest();
  expect(manifest.name).toBe("quotacast");
  expect(manifest.bin).toEqual({ quotacast: "bin/quotacast.js" });
  expect(manifest.engines).toEqual({ node: ">=20" });
  const root = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    workspaces: string[];
  };
  expect(workspaceNames().size).toBe(root.workspaces.length);
});

test("the published bin is the bundled launcher (its shebang's flags), which runs the bundled CLI beside it", () => {
  const published = publishedManifest(packageManifest());
  expect(published.bin).toEqual({ quotacast: "dist/quotacast.js" });
  expect(output("quotacast.js").inputs).toContain("exporter/dist/launch.js");
  expect(output("quotacast.js").inputs).not.toContain("exporter/dist/cli.js");
  expect(fs.readFileSync(path.join(outdir, "quotacast.js"), "utf8").split("\n")[0]).toBe(
    `#!/usr/bin/env -S GLIBC_TUNABLES=${OWN_MALLOC_TUNABLES}\${GLIBC_TUNABLES} node --max-semi-space-size=2 --initial-old-space-size=64`,
  );
  // The workspace refuses `npm pack -w exporter` (unbundled); the tarball has no scripts.
  expect(packageManifest().scripts).toHaveProperty("prepack");
  expect(published.scripts).toBeUndefined();
  expect(published.devDependencies).toBeUndefined();
  expect(output("cli.js").inputs).toContain("exporter/dist/cli.js");
  expect(fs.readFileSync(path.join(outdir, "cli.js"), "utf8")).toMatch(/^#!\/usr\/bin\/env (-S )?node/);
});

test("bench forecast has its own file, loaded only by that command", () => {
  expect(output("bench.js").inputs).toContain("exporter/dist/commands/bench.js");
  expect(output("cli.js").inputs).not.toContain("exporter/dist/commands/bench.js");
  expect(fs.readFileSync(path.join(ROOT, "exporter/dist/cli.js"), "utf8")).toContain(
    'require("./commands/bench")',
  );
});

test("the scan worker sits next to the CLI (core starts it from __dirname)", () => {
  expect(output("scan-worker.js").inputs).toContain("core/dist/ingest/scan-worker.js");
});

test("the bcrypt worker sits next to the CLI (basic auth starts it from __dirname)", () => {
  expect(output("bcrypt-worker.js").inputs).toContain("exporter/dist/http/bcrypt-worker.js");
  expect(output("bcrypt-worker.js").externals).toEqual(["bcryptjs"]);
});

test("the statusline script is one file needing nothing but Node: no dependency, only core's format module, statusline file helpers and feed schema, no install code", () => {
  const script = output(STATUSLINE_SCRIPT_FILE);
  expect(script.externals).toEqual([]);
  // Core's formatting module, its statusline file helpers and the feed's schema are the only
  // core files it carries (built from the sources, so valibot's ES build can be shaken).
  const coreHotPath = [
    "core/src/report/format.ts",
    "core/src/statusline/paths.ts",
    "core/src/statusline/atomic-write.ts",
    "core/src/statusline/private-files.ts",
    "core/src/limits/statusline-feed.ts",
    "core/src/limits/snapshot.ts",
    "core/src/limits/units.ts",
    "core/src/schema.ts",
  ];
  expect(
    script.inputs.filter(
      (input) =>
        (input.startsWith("core/") && !coreHotPath.includes(input)) ||
        /statusline\/(install|command)\.[jt]s$/.test(input),
    ),
  ).toEqual([]);
  expect(script.inputs).toContain("exporter/src/statusline/feed.ts");
  expect(script.inputs.filter((input) => input.includes("node_modules/"))).toEqual([
    "node_modules/valibot/dist/index.mjs",
  ]);
});
