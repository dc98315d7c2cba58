/**
 * ccusage 20, the tool users would pick instead, installed on demand next to the bench
 * data rather than as a dependency: its platform packages are not all published for the
 * pinned version, which would make `npm ci` reject the lock file on other platforms.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const CCUSAGE_VERSION = "20.0.24";
export const CCUSAGE_PREFIX = path.join(__dirname, "data", "ccusage");

/** Path of the native ccusage binary when installed, else null. */
export function ccusageBinary(): string | null {
  const native = path.join(
    CCUSAGE_PREFIX,
    "node_modules",
    "@ccusage",
    `ccusage-${process.platform}-${process.arch}`,
    "bin",
    "ccusage",
  );
  const launcher = path.join(CCUSAGE_PREFIX, "node_modules", ".bin", "ccusage");
  if (fs.existsSync(native)) {
    // npm leaves the optional platform package's binary without its executable bit here.
    fs.chmodSync(native, 0o755);
    return native;
  }
  return fs.existsSync(launcher) ? launcher : null;
}

/** Installs ccusage@CCUSAGE_VERSION into bench/data/ccusage when missing; returns its binary. */
export function ensureCcusage(): string {
  const existing = ccusageBinary();
  if (existing) return existing;
  fs.mkdirSync(CCUSAGE_PREFIX, { recursive: true });
  execFileSync(
    "npm",
    [
      "install",
      "--no-save",
      "--no-package-lock",
      "--no-audit",
      "--no-fund",
      "--prefix",
      CCUSAGE_PREFIX,
      `ccusage@${CCUSAGE_VERSION}`,
    ],
    { stdio: "inherit" },
  );
  const installed = ccusageBinary();
  if (!installed) throw new Error(`ccusage@${CCUSAGE_VERSION} did not install into ${CCUSAGE_PREFIX}`);
  return installed;
}

if (require.main === module) process.stdout.write(`${ensureCcusage()}\n`);
