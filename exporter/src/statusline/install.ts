/**
 * `quotacast statusline install | uninstall`: edits Claude Code's settings.json
 * surgically (only the bytes of `statusLine` change), keeps a backup, wraps a statusline
 * command the user already has, and undoes all of it byte for byte.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { writeFileAtomic } from "./atomic-write";
import { parseWithSpans, member, type JsonNode } from "./json-spans";
import { installRecordPath, settingsFilePath, type Env } from "./paths";
import { decodeWrapped, encodeWrapped } from "./wrap";

export const WRAP_FLAG = "--wrap";

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
  return /(^|[\s/'"])(quotacast|cli\.js)['"]?\s+statusline(\s|$)/.test(command);
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

function fileMode(file: string): number | undefined {
  try {
    return fs.statSync(file).mode & 0o777;
  } catch {
    return undefined;
  }
}

function backup(file: string, nowMs: number): string | null {
  if (!fs.existsSync(file)) return null;
  const stamp = new Date(nowMs).toISOString().replace(/[:.]/g, "-");
  const target = `${file}.quotacast-backup-${stamp}`;
  fs.copyFileSync(file, target);
  return target;
}

function occurrences(text: string, part: string): number {
  if (part === "") return 0;
  let count = 0;
  for (let i = text.indexOf(part); i !== -1; i = text.indexOf(part, i + 1)) count++;
  return count;
}

function parseSettings(text: string): JsonNode | string {
  try {
    JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (err) {
    return `settings.json is not valid JSON (${err instanceof Error ? err.message : "parse error"}); fix it first, nothing was changed`;
  }
  const root = parseWithSpans(text);
  return root.kind === "object" ? root : "settings.json is not a JSON object; nothing was changed";
}

/** Indentation of the root's members ('' when written on one line) and the line ending. */
function layout(text: string, root: JsonNode): { indent: string; eol: string } {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const first = root.members?.[0];
  if (!first) return { indent: "", eol };
  const before = text.slice(root.start + 1, first.keyStart);
  const lastBreak = before.lastIndexOf("\n");
  return { indent: lastBreak === -1 ? "" : before.slice(lastBreak + 1), eol };
}

function statusLineValue(command: string): Record<string, unknown> {
  return { type: "command", command, padding: 0 };
}

function formatValue(value: unknown, indent: string, eol: string): string {
  if (indent === "") return JSON.stringify(value);
  return JSON.stringify(value, null, indent)
    .split("\n")
    .join(eol + indent);
}

function writeSettings(file: string, text: string): void {
  writeFileAtomic(file, text, fileMode(file));
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
    writeSettings(file, created);
    return { ok: true, message: `created ${file} with quotacast's statusline` };
  }
  const root = parseSettings(text);
  if (typeof root === "string") return { ok: false, message: root };

  const existing = member(root, "statusLine");
  const commandNode =
    existing && existing.value.kind === "object" ? member(existing.value, "command") : undefined;
  if (commandNode && commandNode.value.kind === "string") {
    const original = JSON.parse(text.slice(commandNode.value.start, commandNode.value.end)) as string;
    if (isOurCommand(original)) return { ok: true, message: "quotacast's statusline is already installed" };
    const ours =
      original.trim() === "" ? opts.command : `${opts.command} ${WRAP_FLAG} ${encodeWrapped(original)}`;
    const ourText = JSON.stringify(ours);
    const originalText = text.slice(commandNode.value.start, commandNode.value.end);
    const next = text.slice(0, commandNode.value.start) + ourText + text.slice(commandNode.value.end);
    const saved = backup(file, nowMs);
    saveRecord(opts.env, { ...base, mode: "replaced", ourText, originalText, originalCommand: original });
    writeSettings(file, next);
    return {
      ok: true,
      message: `installed; your statusline command runs first, then quotacast's (backup: ${saved})`,
    };
  }

  const { indent, eol } = layout(text, root);
  if (existing) {
    // statusLine without a command string: replace its whole value.
    const ourText = formatValue(statusLineValue(opts.command), indent, eol);
    const originalText = text.slice(existing.value.start, existing.value.end);
    const next = text.slice(0, existing.value.start) + ourText + text.slice(existing.value.end);
    const saved = backup(file, nowMs);
    saveRecord(opts.env, { ...base, mode: "replaced", ourText, originalText, originalCommand: null });
    writeSettings(file, next);
    return { ok: true, message: `installed (backup: ${saved})` };
  }

  const last = root.members?.[root.members.length - 1];
  const memberText = `"statusLine": ${formatValue(statusLineValue(opts.command), indent, eol)}`;
  const ourText = last ? (indent === "" ? `, ${memberText}` : `,${eol}${indent}${memberText}`) : memberText;
  const at = last ? last.value.end : root.start + 1;
  const next = text.slice(0, at) + ourText + text.slice(at);
  const saved = backup(file, nowMs);
  saveRecord(opts.env, { ...base, mode: "inserted", ourText, originalText: "", originalCommand: null });
  writeSettings(file, next);
  return { ok: true, message: `installed (backup: ${saved})` };
}

/** Removes member `key` and its separating comma, leaving every other byte in place. */
function removeMember(text: string, root: JsonNode, key: string): string {
  const members = root.members ?? [];
  const index = members.findIndex((m) => m === member(root, key));
  if (index === -1) return text;
  const target = members[index];
  if (index > 0) return text.slice(0, members[index - 1].value.end) + text.slice(target.value.end);
  const following = members[index + 1];
  if (following) return text.slice(0, target.keyStart) + text.slice(following.keyStart);
  return text.slice(0, target.keyStart) + text.slice(target.value.end);
}

export function uninstallStatusline(opts: { env: Env; nowMs?: number }): Outcome {
  const nowMs = opts.nowMs ?? Date.now();
  const record = loadRecord(opts.env);
  const file = record?.settingsPath ?? settingsFilePath(opts.env);
  const text = readText(file);
  const forget = () => fs.rmSync(installRecordPath(opts.env), { force: true });
  if (text === null) {
    forget();
    return { ok: true, message: `${file} does not exist; nothing to undo` };
  }

  if (record) {
    if (record.mode === "created" && text === record.ourText) {
      fs.rmSync(file);
      forget();
      return { ok: true, message: `removed ${file} (install had created it)` };
    }
    if (record.mode !== "created" && occurrences(text, record.ourText) === 1) {
      const at = text.indexOf(record.ourText);
      const next = text.slice(0, at) + record.originalText + text.slice(at + record.ourText.length);
      backup(file, nowMs);
      writeSettings(file, next);
      forget();
      return { ok: true, message: "quotacast's statusline removed; settings.json restored" };
    }
  }

  // Edited since install (or no record): find our statusLine and undo by structure.
  const root = parseSettings(text);
  if (typeof root === "string") return { ok: false, message: root };
  const existing = member(root, "statusLine");
  const commandNode =
    existing && existing.value.kind === "object" ? member(existing.value, "command") : undefined;
  const command =
    commandNode && commandNode.value.kind === "string"
      ? (JSON.parse(text.slice(commandNode.value.start, commandNode.value.end)) as string)
      : null;
  if (!commandNode || command === null || !isOurCommand(command)) {
    forget();
    return { ok: true, message: "quotacast's statusline is not installed; settings.json left as is" };
  }
  const original = record?.originalCommand ?? wrappedCommandOf(command);
  const next =
    original !== null
      ? text.slice(0, commandNode.value.start) + JSON.stringify(original) + text.slice(commandNode.value.end)
      : removeMember(text, root, "statusLine");
  backup(file, nowMs);
  writeSettings(file, next);
  forget();
  return {
    ok: true,
    message:
      original !== null
        ? "quotacast's statusline removed; your previous command restored"
        : "quotacast's statusline removed from settings.json",
  };
}

/** The command install writes: this node and this CLI, quoted for the shell. */
export function defaultInstallCommand(cliPath: string | undefined): string {
  const quote = (s: string) => (/^[A-Za-z0-9_/.:=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  let script: string | null = null;
  try {
    // Through npm's bin symlink to the real cli.js: Claude Code's shell may not share our PATH.
    script = cliPath ? fs.realpathSync(cliPath) : null;
  } catch {
    script = null;
  }
  if (script && path.basename(script) === "cli.js")
    return `${quote(process.execPath)} ${quote(script)} statusline`;
  return "quotacast statusline";
}
