/**
 * The statusline command as Claude Code runs it: a separate process, stdin in, one line
 * out, exit 0 whatever happens. And its hot path loads nothing but node built-ins, its own
 * small helpers and the feed's schema with valibot, the one dependency (shaken into the
 * statusline script by esbuild) (the CLI's start-up budget is 1.5x a bare `node -e 0`).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { tempDir } from "../../fakes/ports";
import { statuslinePayload } from "./payload";

const ROOT = path.resolve(__dirname, "../../..");
const CLI = path.join(ROOT, "exporter/src/cli.ts");

function runCli(input: string | Buffer, env: Record<string, string>) {
  return spawnSync(process.execPath, ["--require", "tsx/cjs", CLI, "statusline"], {
    input,
    env: { ...process.env, ...env },
    cwd: ROOT,
    timeout: 20_000,
  });
}

test("prints one status line and exits 0, also on garbage input", () => {
  const dir = tempDir();
  const env = { QUOTACAST_STATUSLINE_FILE: path.join(dir, "feed.json"), HOME: dir };
  const ok = runCli(JSON.stringify(statuslinePayload(Date.now(), { padToBytes: 20 * 1024 })), env);
  expect(ok.status).toBe(0);
  expect(ok.stdout.toString()).toMatch(
    /^opus-4-5 \| 5h 42% \(2h1[34]m\) \| 7d 18% \(3d4h\) \| \$1\.50 today \(Claude Code\)\n$/,
  );
  expect(fs.existsSync(env.QUOTACAST_STATUSLINE_FILE)).toBe(true);

  const garbage = runCli(Buffer.from([0xff, 0x00, 0x7b]), env);
  expect(garbage.status).toBe(0);
  expect(garbage.stdout.toString()).toMatch(/^opus-4-5 \| 5h 42%/);
});

const HOT_PATH = [
  "exporter/src/commands/statusline.ts",
  "core/src/statusline/paths.ts",
  "exporter/src/statusline/feed.ts",
  "exporter/src/statusline/render.ts",
  "exporter/src/statusline/stdin.ts",
  "core/src/statusline/atomic-write.ts",
  "core/src/statusline/private-files.ts",
  "exporter/src/args.ts",
  "exporter/src/statusline/payload.ts",
  "core/src/limits/statusline-feed.ts",
  "core/src/limits/snapshot.ts",
  "core/src/limits/units.ts",
  "core/src/schema.ts",
];

/** Core's statusline modules on the hot path, by subpath (each loaded alone, never core's index). */
const CORE_HOT_SUBPATHS: Record<string, string> = {
  "@quotacast/core/statusline/paths": "core/src/statusline/paths.ts",
  "@quotacast/core/statusline/atomic-write": "core/src/statusline/atomic-write.ts",
  "@quotacast/core/statusline/private-files": "core/src/statusline/private-files.ts",
  "@quotacast/core/limits/statusline-feed": "core/src/limits/statusline-feed.ts",
  "@quotacast/core/schema": "core/src/schema.ts",
};

/** The schema library: esbuild keeps only the functions the feed's schemas use. */
const SCHEMA_LIBRARY = "valibot";

/** Core's format module, loaded alone (never core's index): it imports nothing. */
const CORE_FORMAT = "@quotacast/core/report/format";

test("core's format module, on the hot path, imports nothing", () => {
  const source = fs.readFileSync(path.join(ROOT, "core/src/report/format.ts"), "utf8");
  expect(source).not.toMatch(/^import\s/m);
  expect(source).not.toMatch(/require\(/);
});

test.each(HOT_PATH)(
  "%s imports only node built-ins, its own helpers, core's format module and feed schema, valibot, and types",
  (file) => {
    const source = fs.readFileSync(path.join(ROOT, file), "utf8");
    const imports = [...source.matchAll(/^import\s+(type\s+)?[^;]*?from\s+"([^"]+)";/gms)].map((m) => ({
      typeOnly: Boolean(m[1]),
      specifier: m[2],
    }));
    // Every import statement was read (snapshot.ts has none).
    expect(imports.length).toBe(source.match(/^import\s/gm)?.length ?? 0);
    for (const { typeOnly, specifier } of imports) {
      const target =
        specifier in CORE_HOT_SUBPATHS
          ? path.join(ROOT, CORE_HOT_SUBPATHS[specifier])
          : path.resolve(path.dirname(path.join(ROOT, file)), specifier) + ".ts";
      const allowed =
        typeOnly ||
        specifier.startsWith("node:") ||
        specifier === CORE_FORMAT ||
        specifier === SCHEMA_LIBRARY ||
        HOT_PATH.map((f) => path.join(ROOT, f)).includes(target);
      expect({ specifier, allowed }).toEqual({ specifier, allowed: true });
    }
    // Lazily loaded modules (install, wrap) are required inside functions only.
    expect(source).not.toMatch(/^const .* = require\(/m);
  },
);
