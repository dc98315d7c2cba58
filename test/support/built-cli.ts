/** The compiled CLI (exporter/dist/cli.js) for tests that run it as a user does. */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "../..");
export const BUILT_CLI = path.join(REPO_ROOT, "exporter", "dist", "cli.js");

/** Builds core and exporter with `tsc -b` (incremental: quick when the build is current). */
export function buildCoreAndExporter(): void {
  const build = spawnSync(
    process.execPath,
    [path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc"), "-b", "core", "exporter"],
    { cwd: REPO_ROOT, encoding: "utf8" },
  );
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
}
