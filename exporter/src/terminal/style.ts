/**
 * Colour for the terminal front, through picocolors (tiny, dependency-free, the choice of
 * vite and postcss). Whether to colour follows the convention every CLI user expects:
 * `--no-color` or `NO_COLOR` (any value) turn it off, `FORCE_COLOR` turns it on, otherwise
 * only when the stream is a terminal.
 */
import type { createColors } from "picocolors";

export type Style = ReturnType<typeof createColors>;

export interface ColorInputs {
  isTTY: boolean;
  env: Record<string, string | undefined>;
  /** `--no-color` on the command line. */
  noColorFlag?: boolean;
  /** `--color` on the command line. */
  colorFlag?: boolean;
}

function shouldColor({ isTTY, env, noColorFlag, colorFlag }: ColorInputs): boolean {
  if (noColorFlag) return false;
  if (colorFlag) return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false") return true;
  return isTTY && env.TERM !== "dumb";
}

export function createStyle(enabled: boolean): Style {
  // Loaded when a style is made: picocolors asks at load whether stdout is a terminal, which
  // builds process.stdout (node:net and its streams, several ms of a `--json` run).
  return (require("picocolors") as typeof import("picocolors")).createColors(enabled);
}

/** The style for one process's stdout. */
export function stdoutStyle(flags: { noColor?: boolean; color?: boolean } = {}): Style {
  return createStyle(
    shouldColor({
      isTTY: process.stdout.isTTY === true,
      env: process.env,
      noColorFlag: flags.noColor,
      colorFlag: flags.color,
    }),
  );
}

/** Columns of stdout, or the `COLUMNS` variable, or 80 when neither is known (a pipe). */
export function terminalColumns(stream: { columns?: number } = process.stdout, env = process.env): number {
  if (stream.columns && stream.columns > 0) return stream.columns;
  const fromEnv = Number(env.COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 80;
}
