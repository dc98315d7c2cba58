// Generated from core/src/io/ports.ts by scripts/vendor-core.ts (npm run extension:vendor): do not edit.
/**
 * The small interfaces through which core does I/O. Each front supplies its own
 * (node implementations live in `io/node.ts`); tests supply fakes.
 */

export interface FileIdentity {
  /** Device and inode, to notice a replaced file. */
  dev: number;
  ino: number;
  sizeBytes: number;
  mtimeMs: number;
}

export interface FilePort {
  /**
   * Recursively lists files under `dir` whose names end with `suffix`. Missing dir: [].
   * A directory that exists but cannot be read is passed to `onUnreadable` and skipped.
   */
  listFiles(dir: string, suffix: string, onUnreadable?: (dir: string) => void): Promise<string[]>;
  /** Null when the file does not exist (deleted). */
  stat(path: string): Promise<FileIdentity | null>;
  /**
   * Reads bytes [start, end) of a file. With `into` (large enough), may read into it and
   * return a view of it: the caller must be done with that view before reusing `into`. An
   * `into` that is too small (a view of WebAssembly memory that has grown since reads as
   * empty) is not used.
   */
  readRange(path: string, start: number, end: number, into?: Buffer): Promise<Buffer>;
  readText(path: string): Promise<string | null>;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  bodyText: string;
  /** The URL asked for (redirects are never followed, so also the URL that answered). */
  url?: string;
}

/** GET with credentials in `headers`: implementations never follow redirects (3xx comes back as is). */
export interface HttpPort {
  get(url: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpResponse>;
}

/** Key-value state that survives restarts (SQLite in the exporter, Cache in Raycast, a file in the CLI). */
export interface StatePort {
  load(key: string): Promise<string | null>;
  save(key: string, value: string): Promise<void>;
}

export interface Clock {
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };
