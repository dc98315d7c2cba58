/**
 * The installable `quotacast` package (what `npm publish` would upload).
 *
 * esbuild bundles the compiled CLI (exporter/dist, built by `npm run build`) with core and
 * every other workspace inlined; packages from the registry stay `require`s and are the
 * package's `dependencies` (exporter/package.json, checked by test/package/manifest.test.ts).
 *
 *   tsx scripts/package.ts             bundle into dist/package/, npm pack to dist/packages/quotacast-<version>.tgz
 *   tsx scripts/package.ts statusline  only the statusline script, next to the compiled install code
 *
 * The package's dist/ holds one file per thing Node loads separately:
 *   quotacast.js              the bin: runs cli.js through the compile cache (exporter/src/launch.ts)
 *   cli.js                    the CLI, core inlined
 *   bench.js                  `quotacast bench forecast` (forecast evaluation), loaded only by that command
 *   scan-worker.js            the transcript scan worker thread (core/src/ingest/scan-pool.ts)
 *   bcrypt-worker.js          basic auth's bcrypt worker thread (exporter/src/http/password-check.ts)
 *   quotacast-statusline.cjs  the statusline command, self-contained (install copies it to the data dir)
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { builtinModules } from "node:module";
import * as path from "node:path";
import * as esbuild from "esbuild";
import { STATUSLINE_SCRIPT_FILE } from "../core/src/statusline/paths";

export const ROOT = path.resolve(__dirname, "..");
const EXPORTER = path.join(ROOT, "exporter");
const STAGE_DIR = path.join(ROOT, "dist", "package");
export const PACKAGES_DIR = path.join(ROOT, "dist", "packages");

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  [key: string]: unknown;
}

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, "utf8")) as T;

export const packageManifest = (): Manifest => readJson<Manifest>(path.join(EXPORTER, "package.json"));

/** Names of the repo's workspaces: never on the registry, so always bundled. */
export function workspaceNames(): Set<string> {
  const root = readJson<{ workspaces: string[] }>(path.join(ROOT, "package.json"));
  return new Set(root.workspaces.map((dir) => readJson<Manifest>(path.join(ROOT, dir, "package.json")).name));
}

/** `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

const isBuiltin = (specifier: string) =>
  specifier.startsWith("node:") || builtinModules.includes(packageNameOf(specifier));

/** Workspaces are inlined; every other bare import stays a `require` of an installed dependency. */
function workspacesInlined(workspaces: Set<string>): esbuild.Plugin {
  return {
    name: "workspaces-inlined",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (isBuiltin(args.path) || workspaces.has(packageNameOf(args.path))) return undefined;
        return { path: args.path, external: true };
      });
    },
  };
}

/** The CLI loads `bench forecast` from its own file (cli.ts requires "./commands/bench" lazily). */
const benchSeparate: esbuild.Plugin = {
  name: "bench-separate",
  setup(build) {
    build.onResolve({ filter: /^\.\/commands\/bench(\.js)?$/ }, (args) =>
      path.resolve(args.resolveDir) === path.join(EXPORTER, "dist")
        ? { path: "./bench.js", external: true }
        : undefined,
    );
  },
};

const COMMON: esbuild.BuildOptions = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  logLevel: "warning",
  legalComments: "none",
  metafile: true,
};

export interface BundleOutput {
  /** The output file, relative to the bundle's dir. */
  file: string;
  /** Bare imports left as `require` (not node built-ins): the package must declare them. */
  externals: string[];
  /** Inputs inlined into it, relative to the repo root. */
  inputs: string[];
}

function outputsOf(result: esbuild.BuildResult, outdir: string): BundleOutput[] {
  return Object.entries(result.metafile?.outputs ?? {}).map(([file, output]) => ({
    file: path.relative(outdir, path.resolve(ROOT, file)),
    externals: [
      ...new Set(
        output.imports
          .filter((i) => i.external && !isBuiltin(i.path) && !i.path.startsWith("."))
          .map((i) => i.path),
      ),
    ].sort(),
    inputs: Object.keys(output.inputs).map((input) => path.relative(ROOT, path.resolve(ROOT, input))),
  }));
}

function compiled(file: string): string {
  const full = path.join(ROOT, file);
  if (!fs.existsSync(full)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  return full;
}

/**
 * The script runs only the hot path of commands/statusline.ts: the install and status code
 * that module requires lazily (and core with it) is left out of the script, not shipped in it.
 */
const statuslineHotPathOnly: esbuild.Plugin = {
  name: "statusline-hot-path-only",
  setup(build) {
    build.onResolve({ filter: /^(\.\.|@quotacast\/core)\/statusline\/(install|command)$/ }, (args) => ({
      path: args.path,
      namespace: "left-out",
    }));
    build.onLoad({ filter: /.*/, namespace: "left-out" }, () => ({
      contents: 'throw new Error("not in the statusline script: run quotacast");',
      loader: "js",
    }));
  },
};

/**
 * Core's subpath entries (`@quotacast/core/<subpath>`, core/package.json `exports`) resolved to
 * core's TypeScript sources: ES modules, so esbuild keeps only what is used of what they import.
 */
const coreFromSources: esbuild.Plugin = {
  name: "core-from-sources",
  setup(build) {
    const exportsMap = readJson<{ exports: Record<string, { default: string }> }>(
      path.join(ROOT, "core", "package.json"),
    ).exports;
    build.onResolve({ filter: /^@quotacast\/core(\/.*)?$/ }, (args) => {
      const target = exportsMap[`.${args.path.slice("@quotacast/core".length)}`];
      if (!target) return { errors: [{ text: `${args.path} is not in core's exports map` }] };
      return {
        path: path.join(ROOT, "core", target.default.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts")),
      };
    });
  },
};

/**
 * The statusline command as one file that needs nothing but Node (no dependency, no other
 * file). Built from the TypeScript sources, not the compiled CommonJS: valibot (the feed's
 * schemas) is then shaken down to the few functions they use, where a `require` of it would
 * carry all of it (about 210 kB).
 */
async function bundleStatuslineScript(outfile: string): Promise<BundleOutput> {
  const result = await esbuild.build({
    ...COMMON,
    entryPoints: [path.join(EXPORTER, "src", "statusline", "script.ts")],
    outfile,
    absWorkingDir: ROOT,
    plugins: [statuslineHotPathOnly, coreFromSources],
  });
  return outputsOf(result, path.dirname(outfile))[0];
}

/** Everything the package runs, into `outdir` (its dist/). */
export async function bundlePackage(outdir: string): Promise<BundleOutput[]> {
  fs.rmSync(outdir, { recursive: true, force: true });
  const workspaces = workspaceNames();
  const entries = {
    quotacast: compiled("exporter/dist/launch.js"),
    cli: compiled("exporter/dist/cli.js"),
    bench: compiled("exporter/dist/commands/bench.js"),
    "scan-worker": compiled("core/dist/ingest/scan-worker.js"),
    "bcrypt-worker": compiled("exporter/dist/http/bcrypt-worker.js"),
  };
  const result = await esbuild.build({
    ...COMMON,
    entryPoints: entries,
    outdir,
    absWorkingDir: ROOT,
    plugins: [benchSeparate, workspacesInlined(workspaces)],
  });
  const script = await bundleStatuslineScript(path.join(outdir, STATUSLINE_SCRIPT_FILE));
  return [...outputsOf(result, outdir), script];
}

/**
 * The manifest that goes in the tarball: the package's own, without what only the repo
 * uses. Its bin is the bundled launcher, so the launcher's shebang (Node flags) is what runs;
 * the workspace's bin/quotacast.js shim exists only so npm can link it in a checkout before a build.
 */
export function publishedManifest(manifest: Manifest): Manifest {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { devDependencies, scripts, ...published } = manifest;
  return {
    ...published,
    main: "dist/cli.js",
    bin: { [manifest.name]: "dist/quotacast.js" },
    files: ["dist"],
  };
}

/** Stages dist/package/ and packs it; returns the tarball's path. */
async function buildPackage(): Promise<string> {
  const manifest = packageManifest();
  fs.rmSync(STAGE_DIR, { recursive: true, force: true });
  await bundlePackage(path.join(STAGE_DIR, "dist"));
  fs.copyFileSync(path.join(ROOT, "README.md"), path.join(STAGE_DIR, "README.md"));
  fs.writeFileSync(
    path.join(STAGE_DIR, "package.json"),
    `${JSON.stringify(publishedManifest(manifest), null, 2)}\n`,
  );
  fs.mkdirSync(PACKAGES_DIR, { recursive: true });
  const packed = JSON.parse(
    execFileSync("npm", ["pack", STAGE_DIR, "--pack-destination", PACKAGES_DIR, "--json", "--silent"], {
      cwd: ROOT,
      encoding: "utf8",
    }),
  ) as Array<{ filename: string; size: number }>;
  const tarball = path.join(PACKAGES_DIR, packed[0].filename);
  const expected = path.join(PACKAGES_DIR, `${manifest.name}-${manifest.version}.tgz`);
  if (tarball !== expected) throw new Error(`npm pack wrote ${tarball}, expected ${expected}`);
  return tarball;
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === "statusline") {
    await bundleStatuslineScript(path.join(EXPORTER, "dist", "statusline", STATUSLINE_SCRIPT_FILE));
    return;
  }
  const tarball = await buildPackage();
  process.stdout.write(
    `${path.relative(ROOT, tarball)} (${(fs.statSync(tarball).size / 1024).toFixed(0)} kB)\n`,
  );
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`package: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
