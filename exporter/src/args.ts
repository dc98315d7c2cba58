/**
 * The one way every command reads its argv: node:util `parseArgs` behind one call, strict
 * (an unknown option, a missing value or a stray argument is an error), and one error type,
 * `UsageError`, that every command answers with its usage on stderr and exit code 2.
 * Imports node built-ins only: `quotacast statusline` (run on every Claude Code update) uses it.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

/** Bad command-line input: the command prints it with its usage and exits 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  /** What to do instead (the projects there are, a valid zone), printed under the message. */
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

/** The zone, when it is an IANA time zone this Node knows; a UsageError otherwise. */
export function checkTimezone(zone: string): string {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone;
  } catch {
    throw new UsageError(
      `unknown time zone '${zone}'`,
      "use an IANA name such as UTC, Europe/Paris or America/New_York",
    );
  }
}

/** `parseArgs`, strict unless told otherwise, with its errors as `UsageError`. */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs<T>({ strict: true, ...config });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/**
 * Runs a command's body; a `UsageError` becomes `quotacast <command>: <message>`, the usage,
 * and exit code 2. Other errors go on to the entry point (exit 1).
 */
export async function withUsage(
  command: string,
  usage: () => string,
  body: () => Promise<number> | number,
  stderr: (text: string) => void = (text) => process.stderr.write(text),
): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    stderr(`quotacast ${command}: ${err.message}\n${err.hint ? `  ${err.hint}\n` : ""}\n${usage()}`);
    return err.exitCode;
  }
}
