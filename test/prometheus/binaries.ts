/** Finds Prometheus's binaries (Debian's `prometheus` package) so tests can skip clearly without them. */
import * as fs from "node:fs";
import * as path from "node:path";

const INSTALL_HINT = "apt-get install prometheus (what .ci/run does)";

/** Absolute path of `name` on PATH, or null. */
export function findBinary(name: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

/** A test name that says why the test was skipped, when it is. */
export function nameUnlessMissing(name: string, binary: string | null, binaryName: string): string {
  return binary ? name : `${name} [SKIPPED: ${binaryName} not found on PATH; ${INSTALL_HINT}]`;
}
