import * as fs from "node:fs";
import * as path from "node:path";
import {
  installStatusline,
  isOurCommand,
  uninstallStatusline,
  wrappedCommandOf,
} from "../../../core/src/statusline/install";
import { run, type StatuslineIo } from "../../../exporter/src/commands/statusline";
import { prepareStatuslineCommand } from "../../../exporter/src/statusline/command";
import { tempDir } from "../../fakes/ports";

const OUR_COMMAND = "'/opt/node 20/bin/node' /opt/quotacast/exporter/dist/cli.js statusline";
let dir: string;
let claudeDir: string;
let settings: string;
let env: Record<string, string>;

beforeEach(() => {
  dir = tempDir();
  claudeDir = path.join(dir, "claude-config");
  fs.mkdirSync(claudeDir, { recursive: true });
  settings = path.join(claudeDir, "settings.json");
  env = {
    HOME: dir,
    CLAUDE_CONFIG_DIR: `${claudeDir}, ${path.join(dir, "other")}`,
    QUOTACAST_STATUSLINE_FILE: path.join(dir, "data", "statusline.json"),
  };
});

const SETTINGS_VARIANTS: Record<string, string> = {
  "two spaces, odd key order, no statusLine": `{
  "permissions": {
    "allow": ["Bash(npm test:*)"],
    "deny": []
  },
  "model": "opus",
  "env": { "FOO": "bar" },
  "alwaysThinkingEnabled": true
}
`,
  "tabs, CRLF, existing statusLine command with extra keys": `{\r\n\t"statusLine": {\r\n\t\t"padding": 2,\r\n\t\t"command": "~/.claude/statusline.sh --color \\"auto\\"",\r\n\t\t"type": "command",\r\n\t\t"refreshInterval": 5\r\n\t},\r\n\t"zeta": [1, 2,   3],\r\n\t"alpha": null\r\n}`,
  "three spaces, unicode and escapes, no trailing newline": `{
   "hooks"  :  { "Stop": [ { "matcher": "", "hooks": [ { "type": "command", "command": "say \\u00e9t\\u00e9 \\\\ done" } ] } ] },
   "theme": "dark-ü",
   "cleanupPeriodDays": 99
}`,
  "minified one line": `{"model":"sonnet","includeCoAuthoredBy":false}`,
  "empty object": `{}\n`,
  "statusLine without a command": `{
    "statusLine": { "type": "static", "text": "hi" },
    "model": "opus"
}
`,
  "statusLine with an empty command": `{\n  "statusLine": {"type": "command", "command": ""}\n}\n`,
};

describe.each(Object.entries(SETTINGS_VARIANTS))("install then uninstall: %s", (_name, original) => {
  test("round-trips settings.json byte for byte and keeps every other key", () => {
    fs.writeFileSync(settings, original, { mode: 0o600 });
    const before = JSON.parse(original) as Record<string, unknown>;

    const installed = installStatusline({ env, command: OUR_COMMAND, nowMs: 1 });
    expect(installed.ok).toBe(true);
    const afterText = fs.readFileSync(settings, "utf8");
    const after = JSON.parse(afterText) as Record<string, { command: string } & Record<string, unknown>>;
    expect(isOurCommand(after.statusLine.command)).toBe(true);
    expect(after.statusLine.command.startsWith(OUR_COMMAND)).toBe(true);
    for (const key of Object.keys(before).filter((k) => k !== "statusLine"))
      expect(after[key]).toEqual(before[key]);
    const originalStatus = before.statusLine as { command?: string } | undefined;
    if (originalStatus?.command) {
      expect(wrappedCommandOf(after.statusLine.command)).toBe(originalStatus.command);
      // Other statusLine keys (padding, refreshInterval) stay.
      expect({ ...after.statusLine, command: originalStatus.command }).toEqual(originalStatus);
    }
    expect(fs.statSync(settings).mode & 0o777).toBe(0o600);
    const backups = fs.readdirSync(claudeDir).filter((f) => f.includes("quotacast-backup"));
    expect(backups).toHaveLength(1);
    expect(fs.readFileSync(path.join(claudeDir, backups[0]), "utf8")).toBe(original);

    // Installing again changes nothing.
    expect(installStatusline({ env, command: OUR_COMMAND, nowMs: 2 }).message).toMatch(/already installed/);
    expect(fs.readFileSync(settings, "utf8")).toBe(afterText);

    expect(uninstallStatusline({ env, nowMs: 3 }).ok).toBe(true);
    expect(fs.readFileSync(settings)).toEqual(Buffer.from(original));
  });
});

test("no settings.json: install creates it, uninstall removes it", () => {
  expect(installStatusline({ env, command: OUR_COMMAND }).ok).toBe(true);
  expect(JSON.parse(fs.readFileSync(settings, "utf8")).statusLine).toEqual({
    type: "command",
    command: OUR_COMMAND,
    padding: 0,
  });
  uninstallStatusline({ env });
  expect(fs.existsSync(settings)).toBe(false);
});

test("edits made between install and uninstall are kept", () => {
  const original = SETTINGS_VARIANTS["tabs, CRLF, existing statusLine command with extra keys"];
  fs.writeFileSync(settings, original);
  installStatusline({ env, command: OUR_COMMAND });
  const edited = fs.readFileSync(settings, "utf8").replace('"alpha": null', '"alpha": "changed"');
  fs.writeFileSync(settings, edited);
  uninstallStatusline({ env });
  expect(fs.readFileSync(settings, "utf8")).toBe(original.replace('"alpha": null', '"alpha": "changed"'));
});

test("without the install record (lost), uninstall still restores the wrapped command", () => {
  fs.writeFileSync(settings, `{"statusLine": {"type": "command", "command": "my-line"}, "x": 1}`);
  installStatusline({ env, command: OUR_COMMAND });
  fs.rmSync(path.join(dir, "data", "statusline-install.json"));
  const out = uninstallStatusline({ env });
  expect(out.message).toMatch(/previous command restored/);
  expect(JSON.parse(fs.readFileSync(settings, "utf8"))).toEqual({
    statusLine: { type: "command", command: "my-line" },
    x: 1,
  });
});

test("invalid settings.json: clear message, nothing changed", async () => {
  const broken = `{ "model": "opus", }`;
  fs.writeFileSync(settings, broken);
  const output: string[] = [];
  const code = await run(["install"], { ...cliIo(output), statuslineScript: fakeScript() });
  expect(code).toBe(1);
  expect(output.join("")).toMatch(/not valid JSON.*nothing was changed/);
  expect(fs.readFileSync(settings, "utf8")).toBe(broken);
  expect(fs.readdirSync(claudeDir)).toEqual(["settings.json"]);
});

test("uninstall when quotacast is not installed leaves a foreign statusLine alone", () => {
  const text = `{"statusLine": {"type": "command", "command": "other-tool"}}`;
  fs.writeFileSync(settings, text);
  expect(uninstallStatusline({ env }).message).toMatch(/not installed/);
  expect(fs.readFileSync(settings, "utf8")).toBe(text);
});

/** The statusline script install copies (the real one is bundled: test/package covers it). */
function fakeScript(): string {
  const file = path.join(dir, "built", "quotacast-statusline.cjs");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, "// the bundled statusline script\n");
  return file;
}

/** A directory holding an executable `node`, for PATH. */
function nodeDir(name: string): string {
  const bin = path.join(dir, name, "bin");
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, "node"), "#!/bin/sh\n", { mode: 0o755 });
  return bin;
}

function cliIo(output: string[]): StatuslineIo {
  return { stdin: process.stdin, write: (t) => output.push(t), env, nowMs: () => 0 };
}

test("install copies the script into the data dir and runs it with the node on PATH", () => {
  const bin = nodeDir("usr");
  const plan = prepareStatuslineCommand({
    env: { ...env, PATH: `${bin}:/nowhere` },
    scriptSource: fakeScript(),
  });
  const installed = path.join(dir, "data", "quotacast-statusline.cjs");
  expect(plan).toEqual({ ok: true, command: `${bin}/node ${installed}`, node: `${bin}/node`, note: null });
  expect(fs.readFileSync(installed, "utf8")).toBe("// the bundled statusline script\n");
  expect(isOurCommand(`${bin}/node ${installed}`)).toBe(true);
  expect(isOurCommand(`${bin}/node '${installed}' --wrap abc`)).toBe(true);
  expect(isOurCommand("quotacast statusline --wrap abc")).toBe(true);
  expect(isOurCommand("~/bin/ccstatusline")).toBe(false);

  const missing = prepareStatuslineCommand({ env, scriptSource: path.join(dir, "missing.cjs") });
  expect(missing).toMatchObject({ ok: false });
});

test("a rerun updates an older command (another node, the old shape), keeps what it wraps, uninstall still restores", async () => {
  const original = `{"statusLine": {"type": "command", "command": "my-line"}, "x": 1}`;
  fs.writeFileSync(settings, original);
  installStatusline({ env, command: OUR_COMMAND });

  const output: string[] = [];
  const bin = nodeDir("new-node");
  env.PATH = bin;
  expect(await run(["install"], { ...cliIo(output), statuslineScript: fakeScript() })).toBe(0);
  expect(output.join("")).toMatch(/updated/);
  const command = JSON.parse(fs.readFileSync(settings, "utf8")).statusLine.command as string;
  expect(
    command.startsWith(`${bin}/node ${path.join(dir, "data", "quotacast-statusline.cjs")} --wrap `),
  ).toBe(true);
  expect(wrappedCommandOf(command)).toBe("my-line");
  expect(await run(["install"], { ...cliIo(output), statuslineScript: fakeScript() })).toBe(0);
  expect(output.join("")).toMatch(/already installed and up to date/);

  expect(uninstallStatusline({ env }).ok).toBe(true);
  expect(fs.readFileSync(settings, "utf8")).toBe(original);
});

test("statusline status: says whether the command can still run, and how to fix it", async () => {
  const bin = nodeDir("node-a");
  env.PATH = bin;
  const output: string[] = [];
  expect(await run(["status"], cliIo(output))).toBe(0);
  expect(output.join("")).toMatch(/not installed/);

  expect(await run(["install"], { ...cliIo(output), statuslineScript: fakeScript() })).toBe(0);
  output.length = 0;
  expect(await run(["status"], cliIo(output))).toBe(0);
  expect(output.join("")).toMatch(/can run: yes/);

  // Node removed (an upgrade moved it): the command can no longer run.
  fs.rmSync(path.join(bin, "node"));
  output.length = 0;
  expect(await run(["status"], cliIo(output))).toBe(1);
  expect(output.join("")).toContain(`can run: no\nproblem: ${bin}/node is gone`);
  expect(output.join("")).toMatch(/fix: run `quotacast statusline install` again/);
});

describe("how settings.json is written", () => {
  const original = SETTINGS_VARIANTS["two spaces, odd key order, no statusLine"];

  test("through a symlink (dotfiles managers): the link stays a link, its target is edited and restored", () => {
    const dotfiles = path.join(dir, "dotfiles", "claude");
    fs.mkdirSync(dotfiles, { recursive: true });
    const target = path.join(dotfiles, "settings.json");
    fs.writeFileSync(target, original, { mode: 0o640 });
    fs.chmodSync(target, 0o640);
    fs.symlinkSync(path.relative(claudeDir, target), settings);

    expect(installStatusline({ env, command: OUR_COMMAND }).ok).toBe(true);
    expect(fs.lstatSync(settings).isSymbolicLink()).toBe(true);
    expect(fs.realpathSync(settings)).toBe(fs.realpathSync(target));
    expect(isOurCommand(JSON.parse(fs.readFileSync(target, "utf8")).statusLine.command)).toBe(true);
    expect(fs.statSync(target).mode & 0o777).toBe(0o640);
    // Nothing left in the dotfiles repo but the file itself.
    expect(fs.readdirSync(dotfiles)).toEqual(["settings.json"]);

    expect(uninstallStatusline({ env }).ok).toBe(true);
    expect(fs.lstatSync(settings).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target)).toEqual(Buffer.from(original));
  });

  test("keeps the file's mode and owner", () => {
    fs.writeFileSync(settings, original);
    fs.chmodSync(settings, 0o664);
    const owner = { uid: 4321, gid: 4322 };
    const canChown = process.getuid?.() === 0;
    if (canChown) fs.chownSync(settings, owner.uid, owner.gid);
    const before = fs.statSync(settings);

    installStatusline({ env, command: OUR_COMMAND });
    const after = fs.statSync(settings);
    expect(after.ino).not.toBe(before.ino); // replaced atomically, not rewritten in place
    expect(after.mode & 0o777).toBe(0o664);
    expect({ uid: after.uid, gid: after.gid }).toEqual({ uid: before.uid, gid: before.gid });
    if (canChown) expect(after.uid).toBe(owner.uid);
    uninstallStatusline({ env });
    const restored = fs.statSync(settings);
    expect(restored.mode & 0o777).toBe(0o664);
    expect({ uid: restored.uid, gid: restored.gid }).toEqual({ uid: before.uid, gid: before.gid });
  });

  test("a file without its owner's write bit is refused, even for root; nothing is written", async () => {
    fs.writeFileSync(settings, original);
    fs.chmodSync(settings, 0o444);
    const output: string[] = [];
    const code = await run(["install"], { ...cliIo(output), statuslineScript: fakeScript() });
    expect(code).toBe(1);
    expect(output.join("")).toMatch(/read-only \(mode 0444\).*nothing was changed/);
    expect(fs.readFileSync(settings, "utf8")).toBe(original);
    expect(fs.readdirSync(claudeDir)).toEqual(["settings.json"]);

    // Installed while writable, then made read-only: uninstall refuses too.
    fs.chmodSync(settings, 0o644);
    installStatusline({ env, command: OUR_COMMAND });
    const installed = fs.readFileSync(settings, "utf8");
    fs.chmodSync(settings, 0o444);
    const out = uninstallStatusline({ env });
    expect(out.ok).toBe(false);
    expect(out.message).toMatch(/read-only/);
    expect(fs.readFileSync(settings, "utf8")).toBe(installed);
  });

  test("a read-only target behind a symlink is refused", () => {
    const target = path.join(dir, "store", "settings.json");
    fs.mkdirSync(path.dirname(target));
    fs.writeFileSync(target, original);
    fs.chmodSync(target, 0o444);
    fs.symlinkSync(target, settings);
    const out = installStatusline({ env, command: OUR_COMMAND });
    expect(out.ok).toBe(false);
    expect(out.message).toContain(`a link to ${target}`);
    expect(fs.readFileSync(target, "utf8")).toBe(original);
  });

  test("one backup, however many runs", () => {
    fs.writeFileSync(settings, original);
    for (let run = 0; run < 3; run++) {
      installStatusline({ env, command: OUR_COMMAND, nowMs: run * 1000 });
      uninstallStatusline({ env, nowMs: run * 1000 + 500 });
    }
    installStatusline({ env, command: OUR_COMMAND, nowMs: 9000 });
    const backups = fs.readdirSync(claudeDir).filter((f) => f.includes("quotacast-backup"));
    expect(backups).toEqual(["settings.json.quotacast-backup"]);
    // The file as it was before the latest change.
    expect(fs.readFileSync(path.join(claudeDir, backups[0]), "utf8")).toBe(original);
    expect(fs.readdirSync(claudeDir).sort()).toEqual(["settings.json", "settings.json.quotacast-backup"]);
  });
});
