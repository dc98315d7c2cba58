/**
 * The PollContext every exporter-side front (serve, status) hands to the rate-limit
 * sources: node I/O, the real environment, and the macOS Keychain reader, which only the
 * exporter and CLI may use (the Raycast extension never does).
 */
import { execFile } from "node:child_process";
import * as os from "node:os";
import { nodeFiles, nodeHttp, systemClock, type LimitsConfig, type PollContext } from "@quotacast/core";
import { VERSION } from "./version";

const KEYCHAIN_TIMEOUT_MS = 5_000;

/** Reads a generic password with /usr/bin/security; null when absent or denied. Never logs the secret. */
function readMacKeychain(service: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(
      "/usr/bin/security",
      ["find-generic-password", "-s", service, "-w"],
      { timeout: KEYCHAIN_TIMEOUT_MS, encoding: "utf8" },
      (error, stdout) => resolve(error ? null : stdout.trim() || null),
    );
  });
}

export function createPollContext(config: LimitsConfig, env: NodeJS.ProcessEnv = process.env): PollContext {
  return {
    clock: systemClock,
    files: nodeFiles,
    http: nodeHttp,
    env,
    homeDir: os.homedir(),
    config,
    version: VERSION,
    readKeychain: readMacKeychain,
    platform: process.platform,
  };
}
