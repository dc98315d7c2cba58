/**
 * A real terminal for tests: a private tmux server (its own socket), one pane of a fixed
 * size running a command. Tests read the screen as the user sees it (with or without the
 * escape sequences) and type into it.
 */
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface PaneInfo {
  dead: boolean;
  deadStatus: number | null;
  alternateScreen: boolean;
}

export class TmuxPane {
  private readonly socket = `quotacast-test-${randomUUID().slice(0, 8)}`;

  /** Every byte the program wrote to the terminal, as tmux received it. */
  readonly outputFile = path.join(os.tmpdir(), `${this.socket}.out`);

  constructor(command: string, opts: { columns?: number; rows?: number; env?: Record<string, string> } = {}) {
    const env = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)}`);
    this.tmux(
      "new-session",
      "-d",
      "-s",
      "t",
      "-x",
      String(opts.columns ?? 80),
      "-y",
      String(opts.rows ?? 24),
      // script(1) records every byte the program writes (tmux's pipe-pane can lose the last
      // ones when the pane dies) and exits with the program's status.
      `env ${env.join(" ")} script --quiet --flush --return --command ${shellQuote(command)} ${shellQuote(this.outputFile)}`,
      ";",
      "set-option",
      "-t",
      "t",
      "remain-on-exit",
      "on",
    );
  }

  /**
   * The visible screen; with `escapes`, colours and attributes as escape sequences; with
   * `joinWrapped`, a line the terminal had to wrap comes back whole (so its width shows).
   */
  capture(opts: { escapes?: boolean; joinWrapped?: boolean } = {}): string {
    const flags = [...(opts.escapes ? ["-e"] : []), ...(opts.joinWrapped ? ["-J"] : [])];
    return this.tmux("capture-pane", "-p", ...flags, "-t", "t");
  }

  sendKeys(...keys: string[]): void {
    this.tmux("send-keys", "-t", "t", ...keys);
  }

  /** What the program wrote so far (escape sequences included). */
  output(): string {
    try {
      return fs.readFileSync(this.outputFile, "utf8");
    } catch {
      return "";
    }
  }

  info(): PaneInfo {
    // Not the cursor flag: tmux resets it when it marks a pane dead, whatever the program left.
    const [dead, alternate, status, signal] = this.tmux(
      "display-message",
      "-p",
      "-t",
      "t",
      "#{pane_dead}|#{alternate_on}|#{pane_dead_status}|#{pane_dead_signal}",
    )
      .trim()
      .split("|");
    return {
      dead: dead === "1",
      // tmux 3.3 leaves the status empty for a clean exit and sets the signal for a kill.
      deadStatus: dead !== "1" || signal ? null : Number(status || "0"),
      alternateScreen: alternate === "1",
    };
  }

  /** Polls the pane until `check` holds; throws with the last screen after `timeoutMs`. */
  async waitFor(check: (screen: string) => boolean, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.capture();
      if (check(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`screen did not match within ${timeoutMs} ms:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  kill(): void {
    try {
      this.tmux("kill-server");
      fs.rmSync(this.outputFile, { force: true });
    } catch {
      // Already gone.
    }
  }

  private tmux(...args: string[]): string {
    return execFileSync("tmux", ["-L", this.socket, "-f", "/dev/null", ...args], { encoding: "utf8" });
  }
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
