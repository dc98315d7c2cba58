/**
 * `quotacast statusline install | uninstall`: edits Claude Code's settings.json
 * surgically with jsonc-parser (only the bytes of `statusLine` change), keeps one backup,
 * wraps a statusline command the user already has, and undoes all of it byte for byte.
 * The file is written through a symlink (dotfiles managers) with its mode and owner kept,
 * and a file without its owner's write bit is refused.
 * In core (node:fs directly, not the ports: see atomic-write.ts) so that the CLI and the
 * Raycast extension install with the same code.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  applyEdits,
  findNodeAtLocation,
  format,
  getNodeValue,
  modify,
  parseTree,
  type FormattingOptions,
  type JSONPath,
  type Node,
} from "jsonc-parser";
import { writeFileAtomic } from "./atomic-write";
import { installRecordPath, settingsFilePath, type Env } from "./paths";
import { decodeWrapped, encodeWrapped } from "./wrap-codec";

const WRAP_FLAG = "--wrap";

interface InstallRecord {
  version: 1;
  settingsPath: string;
  /** created: settings.json did not exist; inserted: statusLine added; replaced: a value swapped. */
  mode: "created" | "inserted" | "replaced";
  /** The exact text install put in. */
  ourText: string;
  /** The exact text it replaced ('' for inserted/created). */
  originalText: string;
  originalCommand: string | null;
  installedAtMs: number;
}

export interface Outcome {
  ok: boolean;
  message: string;
}

export interface InstallOptions {
  env: Env;
  /** Our command, e.g. `'/usr/bin/node' '/x/cli.js' statusline`. */
  command: string;
  nowMs?: number;
}

/** Whether a statusline command is ours (so install is idempotent and uninstall can recognise it). */
export function isOurCommand(command: string): boolean {
  return /(^|[\s/'"])((quotacast|cli\.js)['"]?\s+statusline|quotacast-statusline\.cjs['"]?)(\s|$)/.test(
    command,
  );
}

/** The user's original command wrapped inside ours, if any. */
export function wrappedCommandOf(command: string): string | null {
  const match = new RegExp(`${WRAP_FLAG} ([A-Za-z0-9_-]+)`).exec(command);
  return match ? decodeWrapped(match[1]) : null;
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

/** The file a (chain of) symlink(s) points to, existing or not; `file` itself when not a link. */
function throughLinks(file: string): string {
  let current = file;
  for (let hops = 0; hops < 40; hops++) {
    let isLink: boolean;
    try {
      isLink = fs.lstatSync(current).isSymbolicLink();
    } catch {
      return current;
    }
    if (!isLink) return current;
    current = path.resolve(path.dirname(current), fs.readlinkSync(current));
  }
  throw new Error(`${file}: too many levels of symbolic links`);
}

/**
 * Why `file` must not be written, or null. As editors do, a file without its owner's write
 * bit is refused, even for root (who could write it anyway).
 */
function refusal(file: string): string | null {
  const target = throughLinks(file);
  let mode: number;
  try {
    mode = fs.statSync(target).mode & 0o777;
  } catch {
    return null; // absent: it will be created
  }
  if ((mode & 0o200) !== 0) return null;
  const where = target === file ? file : `${file} (a link to ${target})`;
  return `${where} is read-only (mode ${mode.toString(8).padStart(4, "0")}); make it writable first, nothing was changed`;
}

/**
 * Writes `text` to `file` through any symlink (the link stays a link), keeping the
 * target's mode and owner: a temp file beside the target, renamed over it. Where the
 * owner cannot be kept that way (someone else's file we may write), it is written in place.
 */
function writeThrough(file: string, text: string): void {
  const target = throughLinks(file);
  let st: fs.Stats | null = null;
  try {
    st = fs.statSync(target);
  } catch {
    st = null;
  }
  if (!st) {
    writeFileAtomic(target, text, 0o600);
    return;
  }
  try {
    writeFileAtomic(target, text, st.mode & 0o777, { uid: st.uid, gid: st.gid });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") throw err;
    fs.writeFileSync(target, text);
  }
}

/** The one backup: settings.json as it was before quotacast's latest change to it. */
function backupPath(file: string): string {
  return `${file}.quotacast-backup`;
}

function backup(file: string, text: string): string {
  const target = backupPath(file);
  let mode = 0o600;
  try {
    mode = fs.statSync(throughLinks(file)).mode & 0o600;
  } catch {
    // keep 0600
  }
  writeFileAtomic(target, text, mode);
  return target;
}

function occurrences(text: string, part: string): number {
  if (part === "") return 0;
  let count = 0;
  for (let i = text.indexOf(part); i !== -1; i = text.indexOf(part, i + 1)) count++;
  return count;
}

function parseSettings(text: string): Node | string {
  try {
    JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    return `settings.json is not valid JSON (${err instanceof Error ? err.message : "parse error"}); fix it first, nothing was changed`;
  }
  const root = parseTree(text);
  return root?.type === "object" ? root : "settings.json is not a JSON object; nothing was changed";
}

/**
 * How the file is laid out, so an inserted member looks like its neighbours; null when
 * it is written on one line or empty (then the member goes in on that line, unformatted).
 */
function layout(text: string, root: Node): FormattingOptions | null {
  const first = root.children?.[0];
  if (!first) return null;
  const before = text.slice(root.offset + 1, first.offset);
  const lastBreak = before.lastIndexOf("\n");
  if (lastBreak === -1) return null;
  const indent = before.slice(lastBreak + 1);
  const tabs = indent.includes("\t");
  return {
    insertSpaces: !tabs,
    tabSize: tabs ? 1 : Math.max(1, indent.length),
    eol: text.includes("\r\n") ? "\r\n" : "\n",
  };
}

function statusLineValue(command: string): Record<string, unknown> {
  return { type: "command", command, padding: 0 };
}

/** The command string at statusLine.command, or null. */
function commandAt(root: Node): string | null {
  const node = findNodeAtLocation(root, ["statusLine", "command"]);
  return node?.type === "string" ? (getNodeValue(node) as string) : null;
}

/** The statusLine command in settings.json, or null (no file, not JSON, no command). */
export function installedStatuslineCommand(env: Env): string | null {
  try {
    const settings = JSON.parse(fs.readFileSync(settingsFilePath(env), "utf8").replace(/^\uFEFF/, "")) as {
      statusLine?: { command?: unknown };
    };
    return typeof settings.statusLine?.command === "string" ? settings.statusLine.command : null;
  } catch {
    return null;
  }
}

/**
 * One jsonc-parser edit, applied, with what it replaced (so uninstall can put it back).
 * With a layout, the new text is formatted like the file; jsonc-parser would also reformat
 * the rest of the line the edit starts on, so only formatting inside the new text is kept.
 */
function edit(
  text: string,
  jsonPath: JSONPath,
  value: unknown,
  fileLayout: FormattingOptions | null,
): { next: string; ourText: string; originalText: string } {
  const edits = modify(text, jsonPath, value, {});
  if (edits.length !== 1) throw new Error(`expected one edit of settings.json, got ${edits.length}`);
  const [{ offset, length, content }] = edits;
  let ourText = content;
  if (fileLayout !== null) {
    const unformatted = applyEdits(text, edits);
    const end = offset + content.length;
    const inside = format(unformatted, { offset, length: content.length }, fileLayout).filter(
      (e) => e.offset >= offset && e.offset + e.length <= end,
    );
    const grownBy = inside.reduce((sum, e) => sum + e.content.length - e.length, 0);
    ourText = applyEdits(unformatted, inside).slice(offset, end + grownBy);
  }
  return {
    next: text.slice(0, offset) + ourText + text.slice(offset + length),
    ourText,
    originalText: text.slice(offset, offset + length),
  };
}

function saveRecord(env: Env, record: InstallRecord): void {
  writeFileAtomic(installRecordPath(env), JSON.stringify(record, null, 2), 0o600);
}

function loadRecord(env: Env): InstallRecord | null {
  const text = readText(installRecordPath(env));
  if (text === null) return null;
  try {
    const record = JSON.parse(text) as InstallRecord;
    return record.version === 1 && typeof record.ourText === "string" ? record : null;
  } catch {
    return null;
  }
}

export function installStatusline(opts: InstallOptions): Outcome {
  const nowMs = opts.nowMs ?? Date.now();
  const file = settingsFilePath(opts.env);
  const refused = refusal(file);
  if (refused) return { ok: false, message: refused };
  const text = readText(file);
  const base = { version: 1 as const, settingsPath: file, installedAtMs: nowMs };

  if (text === null) {
    const created = JSON.stringify({ statusLine: statusLineValue(opts.command) }, null, 2) + "\n";
    saveRecord(opts.env, {
      ...base,
      mode: "created",
      ourText: created,
      originalText: "",
      originalCommand: null,
    });
    writeThrough(file, created);
    return { ok: true, message: `created ${file} with quotacast's statusline` };
  }
  const root = parseSettings(text);
  if (typeof root === "string") return { ok: false, message: root };

  const original = commandAt(root);
  if (original !== null && isOurCommand(original)) return updateOurCommand(opts, file, text, original);
  const fileLayout = layout(text, root);
  let change: ReturnType<typeof edit>;
  let record: Pick<InstallRecord, "mode" | "originalCommand">;
  let message: string;
  if (original !== null) {
    const ours =
      original.trim() === "" ? opts.command : `${opts.command} ${WRAP_FLAG} ${encodeWrapped(original)}`;
    change = edit(text, ["statusLine", "command"], ours, null);
    record = { mode: "replaced", originalCommand: original };
    message = "installed; your statusline command runs first, then quotacast's";
  } else {
    // No statusLine, or one without a command string: statusLine gets our whole value.
    const existing = findNodeAtLocation(root, ["statusLine"]) !== undefined;
    change = edit(text, ["statusLine"], statusLineValue(opts.command), fileLayout);
    record = { mode: existing ? "replaced" : "inserted", originalCommand: null };
    message = "installed";
  }
  const saved = backup(file, text);
  saveRecord(opts.env, { ...base, ...record, ourText: change.ourText, originalText: change.originalText });
  writeThrough(file, change.next);
  return { ok: true, message: `${message} (backup: ${saved})` };
}

/** A rerun: our command (an older shape, another Node) becomes the current one, keeping what it wraps. */
function updateOurCommand(opts: InstallOptions, file: string, text: string, current: string): Outcome {
  const wrapped = wrappedCommandOf(current);
  const next = wrapped === null ? opts.command : `${opts.command} ${WRAP_FLAG} ${encodeWrapped(wrapped)}`;
  if (next === current)
    return { ok: true, message: "quotacast's statusline is already installed and up to date" };
  const record = loadRecord(opts.env);
  if (record)
    saveRecord(opts.env, {
      ...record,
      ourText: record.ourText.replace(JSON.stringify(current), JSON.stringify(next)),
    });
  const change = edit(text, ["statusLine", "command"], next, null);
  const saved = backup(file, text);
  writeThrough(file, change.next);
  return { ok: true, message: `quotacast's statusline command updated (backup: ${saved})` };
}

export function uninstallStatusline(opts: { env: Env; nowMs?: number }): Outcome {
  const record = loadRecord(opts.env);
  const file = record?.settingsPath ?? settingsFilePath(opts.env);
  const text = readText(file);
  const forget = () => fs.rmSync(installRecordPath(opts.env), { force: true });
  if (text === null) {
    forget();
    return { ok: true, message: `${file} does not exist; nothing to undo` };
  }
  const refused = refusal(file);
  if (refused) return { ok: false, message: refused };

  if (record) {
    if (record.mode === "created" && text === record.ourText) {
      fs.rmSync(throughLinks(file));
      forget();
      return { ok: true, message: `removed ${file} (install had created it)` };
    }
    if (record.mode !== "created" && occurrences(text, record.ourText) === 1) {
      const at = text.indexOf(record.ourText);
      const next = text.slice(0, at) + record.originalText + text.slice(at + record.ourText.length);
      backup(file, text);
      writeThrough(file, next);
      forget();
      return { ok: true, message: "quotacast's statusline removed; settings.json restored" };
    }
  }

  // Edited since install (or no record): find our statusLine and undo by structure.
  const root = parseSettings(text);
  if (typeof root === "string") return { ok: false, message: root };
  const command = commandAt(root);
  if (command === null || !isOurCommand(command)) {
    forget();
    return { ok: true, message: "quotacast's statusline is not installed; settings.json left as is" };
  }
  const original = record?.originalCommand ?? wrappedCommandOf(command);
  const next =
    original !== null
      ? edit(text, ["statusLine", "command"], original, null).next
      : edit(text, ["statusLine"], undefined, null).next;
  backup(file, text);
  writeThrough(file, next);
  forget();
  return {
    ok: true,
    message:
      original !== null
        ? "quotacast's statusline removed; your previous command restored"
        : "quotacast's statusline removed from settings.json",
  };
}
