/**
 * A full-screen terminal session: the alternate screen, a hidden cursor, keys read raw, and
 * frames drawn in place (cursor home, each line cleared to its end, the rest erased) so a
 * redraw never flickers. Escape sequences come from ansi-escapes (sindresorhus), not by hand.
 * Whatever ends the session (q, Ctrl+C, SIGTERM, a crash) restores the terminal.
 */
import type { Line } from "./line";
import { paintLine } from "./line";
import type { Style } from "./style";

type AnsiEscapes = typeof import("ansi-escapes", { with: { "resolution-mode": "import" } }).default;

export interface Screen {
  readonly columns: number;
  readonly rows: number;
  draw(lines: Line[]): void;
  /** Resolves when the user quits (q, Ctrl+C) or the process is asked to stop. */
  closed: Promise<void>;
  close(): void;
  onResize(listener: () => void): void;
  onKey(listener: (key: string) => void): void;
}

export async function openScreen(style: Style): Promise<Screen> {
  // ansi-escapes is an ES module; a dynamic import loads it from this CommonJS build.
  const escapes: AnsiEscapes = (await import("ansi-escapes")).default;
  const out = process.stdout;
  const input = process.stdin;
  const keyListeners: Array<(key: string) => void> = [];
  let open = true;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));

  out.write(escapes.enterAlternativeScreen + escapes.cursorHide + escapes.eraseScreen);
  if (input.isTTY) input.setRawMode(true);
  input.resume();
  input.setEncoding("utf8");

  const onData = (key: string) => {
    if (key === "q" || key === "Q" || key === "\u0003" /* Ctrl+C */ || key === "\u001b" /* Esc */) close();
    else for (const listener of keyListeners) listener(key);
  };
  const onSignal = () => close();
  input.on("data", onData);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("exit", restore);

  function restore() {
    if (input.isTTY) input.setRawMode(false);
    out.write(escapes.exitAlternativeScreen + escapes.cursorShow);
  }

  function close() {
    if (!open) return;
    open = false;
    input.off("data", onData);
    input.pause();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("exit", restore);
    restore();
    resolveClosed();
  }

  return {
    get columns() {
      return out.columns || 80;
    },
    get rows() {
      return out.rows || 24;
    },
    draw(lines) {
      if (!open) return;
      const body = lines.map((line) => paintLine(line, style) + escapes.eraseEndLine).join("\n");
      out.write(escapes.cursorTo(0, 0) + body + escapes.eraseDown);
    },
    closed,
    close,
    onResize(listener) {
      out.on("resize", listener);
    },
    onKey(listener) {
      keyListeners.push(listener);
    },
  };
}
