/** Running systemctl/launchctl through a small interface, so tests record instead of running. */
import { execFile } from "node:child_process";

export interface CommandResult {
  /** Exit code; 127 when the program does not exist. */
  code: number;
  stdout: string;
  stderr: string;
  /** The program is not installed (ENOENT). */
  notFound: boolean;
}

export interface CommandRunner {
  run(command: string, args: readonly string[]): Promise<CommandResult>;
}

/** Runs commands for real, without a shell; never rejects. */
export const nodeRunner: CommandRunner = {
  run(command, args) {
    return new Promise((resolve) => {
      execFile(command, [...args], { timeout: 30_000 }, (err, stdout, stderr) => {
        const error = err as (NodeJS.ErrnoException & { code?: string | number }) | null;
        if (error?.code === "ENOENT") {
          resolve({ code: 127, stdout: "", stderr: `${command}: not found`, notFound: true });
          return;
        }
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr), notFound: false });
      });
    });
  },
};
