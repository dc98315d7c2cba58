/**
 * One line per event on stderr, logfmt style: `ts=... level=info msg="..." key=value`.
 * Callers pass only values they chose; request headers and tokens never reach a log, and
 * anything shaped like a key or token is redacted from every line all the same.
 */
import { redactSecrets } from "@quotacast/core";

export type LogLevel = "info" | "warn" | "error";
export type LogFields = Record<string, string | number | boolean | null | undefined>;
export type Logger = (level: LogLevel, msg: string, fields?: LogFields) => void;

export function createLogger(write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  return (level, msg, fields = {}) => {
    const parts = [`ts=${new Date().toISOString()}`, `level=${level}`, `msg=${quote(msg)}`];
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) parts.push(`${key}=${quote(String(value))}`);
    }
    write(redactSecrets(parts.join(" ")) + "\n");
  };
}

export const silentLogger: Logger = () => {};

function quote(value: string): string {
  return /^[\w.:/@+-]+$/.test(value) ? value : JSON.stringify(value);
}
