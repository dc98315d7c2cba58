/**
 * The menu bar runs every minute over histories of thousands of transcripts, most of them
 * untouched for weeks. A transcript not modified since the Summary's horizon (its mtime is
 * older than `sinceMs()`) holds only events older than anything the menu bar shows, so it is
 * reported as absent (its events stay in the ledger, like those of a deleted file).
 *
 * To keep a warm run from costing a stat per old file, the files found idle are remembered in
 * one small file and not stat'ed again until the next sweep (hourly); nor are the directories
 * of idle sessions listed (Claude Code keeps a session's subagent transcripts in
 * `<project>/<session>/`, beside `<session>.jsonl`, and only a running session adds to them). A
 * warm run then lists the projects and the active sessions and stats only the recently active
 * transcripts, whatever the size of the history. Claude Code writes a resumed conversation
 * into a new file, so an idle transcript is practically never appended to; if one is, the
 * next sweep (within the hour) reads it from the start and dedup keeps every total exact.
 */
import * as fs from "node:fs";
import type { FileIdentity, FilePort } from "../vendor/core/io";
import { writeFileAtomic } from "../vendor/core/statusline/atomic-write";
import { dirEntries } from "./local-files";

export const IDLE_SWEEP_EVERY_MS = 3_600_000;
const RECORD_VERSION = 1;

interface IdleRecord {
  version: number;
  sweptAtMs: number;
  /** Paths of the transcripts idle at the last sweep. */
  idle: string[];
}

export class IdleFiles {
  private idle = new Set<string>();
  private sweptAtMs = 0;
  private sweeping = true;
  private changed = false;

  private constructor(
    private readonly recordPath: string,
    private readonly sinceMs: () => number,
    private readonly nowMs: () => number,
    private readonly sweepEveryMs: number,
  ) {}

  /** Reads the record (a missing or unreadable one means a sweep: every file is stat'ed). */
  static load(
    recordPath: string,
    sinceMs: () => number,
    opts: { nowMs?: () => number; sweepEveryMs?: number } = {},
  ): IdleFiles {
    const files = new IdleFiles(recordPath, sinceMs, opts.nowMs ?? Date.now, opts.sweepEveryMs ?? IDLE_SWEEP_EVERY_MS);
    const record = readRecord(recordPath);
    const nowMs = files.nowMs();
    if (record && nowMs >= record.sweptAtMs && nowMs - record.sweptAtMs < files.sweepEveryMs) {
      files.idle = new Set(record.idle);
      files.sweptAtMs = record.sweptAtMs;
      files.sweeping = false;
    }
    return files;
  }

  /** `inner`, with idle transcripts reported as absent and, between sweeps, neither listed nor stat'ed. */
  wrap(inner: FilePort): FilePort {
    return {
      listFiles: (dir, suffix, onUnreadable) =>
        this.sweeping ? inner.listFiles(dir, suffix, onUnreadable) : this.listActive(inner, dir, suffix, onUnreadable),
      readRange: (file, start, end, into) => inner.readRange(file, start, end, into),
      readText: (file) => inner.readText(file),
      stat: (file) => this.stat(inner, file),
    };
  }

  /** Writes the record when this run learned something (a sweep, a file gone idle or active). */
  async save(): Promise<void> {
    if (!this.changed) return;
    const record: IdleRecord = {
      version: RECORD_VERSION,
      sweptAtMs: this.sweeping ? this.nowMs() : this.sweptAtMs,
      idle: [...this.idle],
    };
    writeFileAtomic(this.recordPath, JSON.stringify(record));
    this.changed = false;
  }

  /**
   * Between sweeps: core's listing of `dir` (a config dir's `projects/`), without the directories
   * of idle sessions. Claude Code writes `projects/<project>/<session>.jsonl` and the session's
   * subagents under `projects/<project>/<session>/`: the projects are read here, and core lists
   * each session directory whose transcript is not idle.
   */
  private async listActive(
    inner: FilePort,
    dir: string,
    suffix: string,
    onUnreadable?: (dir: string) => void,
  ): Promise<string[]> {
    const top = dirEntries(dir, suffix, onUnreadable);
    const found = [...top.files];
    for (const project of top.dirs) {
      const inProject = dirEntries(project, suffix, onUnreadable);
      found.push(...inProject.files);
      for (const sessionDir of inProject.dirs) {
        if (!this.idle.has(sessionDir + suffix))
          found.push(...(await inner.listFiles(sessionDir, suffix, onUnreadable)));
      }
    }
    return found;
  }

  private async stat(inner: FilePort, file: string): Promise<FileIdentity | null> {
    if (!this.sweeping && this.idle.has(file)) return null;
    const identity = await inner.stat(file);
    const isIdle = identity !== null && identity.mtimeMs < this.sinceMs();
    if (isIdle !== this.idle.has(file)) {
      if (isIdle) this.idle.add(file);
      else this.idle.delete(file);
      this.changed = true;
    }
    if (this.sweeping) this.changed = true;
    return isIdle ? null : identity;
  }
}

function readRecord(recordPath: string): IdleRecord | null {
  try {
    const record = JSON.parse(fs.readFileSync(recordPath, "utf8")) as Partial<IdleRecord>;
    const valid =
      record.version === RECORD_VERSION && typeof record.sweptAtMs === "number" && Array.isArray(record.idle);
    return valid ? (record as IdleRecord) : null;
  } catch {
    return null;
  }
}
