/** Claude Code's credentials file, as tests write it (never a real token). */
import * as fs from "node:fs";
import * as path from "node:path";

/** Writes `<claudeDir>/.credentials.json` with `claudeAiOauth` set to `oauth`, creating the directory. */
export function writeCredentialsFile(claudeDir: string, oauth: Record<string, unknown>): void {
  fs.mkdirSync(claudeDir, { recursive: true });
  fs.writeFileSync(path.join(claudeDir, ".credentials.json"), JSON.stringify({ claudeAiOauth: oauth }));
}
