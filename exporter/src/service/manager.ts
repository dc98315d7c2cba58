/**
 * install / uninstall / status of the user service: a systemd user unit on Linux, a
 * launchd agent on macOS. No root: everything lives in the user's home and session.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  launchdLogPath,
  launchdPlistPath,
  LAUNCHD_LABEL,
  renderLaunchdPlist,
  renderSystemdUnit,
  systemdUnitPath,
  SYSTEMD_UNIT_NAME,
  type ServiceSpec,
} from "./render";
import type { CommandRunner } from "./runner";

export interface ServiceContext {
  platform: NodeJS.Platform;
  homeDir: string;
  uid: number;
  env: NodeJS.ProcessEnv;
  runner: CommandRunner;
  /** Print what would be written and run, and do nothing. */
  dryRun: boolean;
  out: (text: string) => void;
}

type Step =
  | { kind: "write"; path: string; content: string }
  | { kind: "mkdir"; path: string }
  | { kind: "remove"; path: string }
  | { kind: "run"; command: string; args: string[]; mayFail?: boolean };

export type ServiceManager = "systemd" | "launchd";

function serviceManagerFor(platform: NodeJS.Platform): ServiceManager | null {
  if (platform === "linux") return "systemd";
  if (platform === "darwin") return "launchd";
  return null;
}

function unsupported(ctx: ServiceContext): number {
  ctx.out(
    `quotacast service: ${ctx.platform} is not supported (systemd user units on Linux, launchd agents on macOS). ` +
      "Run `quotacast serve` under your own process supervisor.\n",
  );
  return 1;
}

const commandLine = (step: { command: string; args: string[] }): string =>
  [step.command, ...step.args].join(" ");

/** Carries out the steps (or prints them in a dry run); stops at the first failure that matters. */
async function execute(steps: readonly Step[], ctx: ServiceContext): Promise<boolean> {
  for (const step of steps) {
    if (ctx.dryRun) {
      if (step.kind === "write") ctx.out(`would write ${step.path}:\n${step.content}\n`);
      else if (step.kind === "mkdir") ctx.out(`would create ${step.path}/\n`);
      else if (step.kind === "remove") ctx.out(`would remove ${step.path}\n`);
      else ctx.out(`would run: ${commandLine(step)}\n`);
      continue;
    }
    if (step.kind === "write") {
      fs.mkdirSync(path.dirname(step.path), { recursive: true });
      const tmp = `${step.path}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, step.content, { mode: 0o644 });
      fs.renameSync(tmp, step.path);
      ctx.out(`wrote ${step.path}\n`);
    } else if (step.kind === "mkdir") {
      fs.mkdirSync(step.path, { recursive: true });
    } else if (step.kind === "remove") {
      fs.rmSync(step.path, { force: true });
      ctx.out(`removed ${step.path}\n`);
    } else {
      const result = await ctx.runner.run(step.command, step.args);
      if (result.code !== 0 && !step.mayFail) {
        ctx.out(
          `quotacast service: '${commandLine(step)}' failed (exit ${result.code}): ${result.stderr.trim()}\n`,
        );
        return false;
      }
    }
  }
  return true;
}

// --- systemd

type RunStep = Extract<Step, { kind: "run" }>;

const systemctl = (...args: string[]): RunStep => ({
  kind: "run",
  command: "systemctl",
  args: ["--user", ...args],
});

/** Whether `systemctl --user` can reach a user service manager; prints why not. */
async function systemdReachable(ctx: ServiceContext): Promise<boolean> {
  const probe = await ctx.runner.run("systemctl", ["--user", "show-environment"]);
  if (probe.notFound) {
    ctx.out(
      "quotacast service: systemctl was not found: this system does not run systemd (a container?).\n" +
        "Run `quotacast serve` under your own process supervisor; `quotacast service install --dry-run` shows the unit.\n",
    );
    return false;
  }
  if (probe.code !== 0) {
    ctx.out(
      `quotacast service: systemctl --user cannot reach your user service manager (${probe.stderr.trim() || `exit ${probe.code}`}).\n` +
        "In a container, or a session without systemd --user (su, some SSH setups), there is none: run `quotacast serve` " +
        "under your own supervisor, or log in normally and try again.\n",
    );
    return false;
  }
  return true;
}

function systemdInstallSteps(spec: ServiceSpec, unitPath: string): Step[] {
  return [
    { kind: "write", path: unitPath, content: renderSystemdUnit(spec) },
    systemctl("daemon-reload"),
    systemctl("enable", SYSTEMD_UNIT_NAME),
    // restart (not start): a reinstall replaces a running exporter with the new command line.
    systemctl("restart", SYSTEMD_UNIT_NAME),
  ];
}

function systemdUninstallSteps(unitPath: string): Step[] {
  return [
    { ...systemctl("disable", "--now", SYSTEMD_UNIT_NAME), mayFail: true },
    { kind: "remove", path: unitPath },
    { ...systemctl("daemon-reload"), mayFail: true },
  ];
}

// --- launchd

const domain = (ctx: ServiceContext): string => `gui/${ctx.uid}`;

function launchdInstallSteps(spec: ServiceSpec, ctx: ServiceContext): Step[] {
  const plist = launchdPlistPath(ctx.homeDir);
  const log = launchdLogPath(ctx.homeDir);
  return [
    { kind: "mkdir", path: path.dirname(log) },
    { kind: "write", path: plist, content: renderLaunchdPlist(spec, log) },
    // Unload a previous version first; bootstrap refuses a label that is already loaded.
    {
      kind: "run",
      command: "launchctl",
      args: ["bootout", `${domain(ctx)}/${LAUNCHD_LABEL}`],
      mayFail: true,
    },
    { kind: "run", command: "launchctl", args: ["bootstrap", domain(ctx), plist] },
  ];
}

function launchdUninstallSteps(ctx: ServiceContext): Step[] {
  return [
    {
      kind: "run",
      command: "launchctl",
      args: ["bootout", `${domain(ctx)}/${LAUNCHD_LABEL}`],
      mayFail: true,
    },
    { kind: "remove", path: launchdPlistPath(ctx.homeDir) },
  ];
}

// --- commands

function logsHint(manager: ServiceManager, ctx: ServiceContext): string {
  return manager === "systemd"
    ? `journalctl --user -u ${SYSTEMD_UNIT_NAME} -f`
    : `${launchdLogPath(ctx.homeDir)} (tail -f it)`;
}

/** The Admin API key is a credential: never written into the service file; say how to supply it. */
function adminKeyHint(spec: ServiceSpec, ctx: ServiceContext, manager: ServiceManager): string | null {
  const wantsAdmin =
    spec.serveArgs.some((a) => a === "--sources.admin" || a === "--sources.admin=true") ||
    (ctx.env.ANTHROPIC_ADMIN_KEY ?? "") !== "";
  if (!wantsAdmin) return null;
  const how =
    manager === "systemd"
      ? "put ANTHROPIC_ADMIN_KEY=... in a file only you can read (chmod 600) and add it with " +
        "`systemctl --user edit quotacast.service`:\n  [Service]\n  EnvironmentFile=%h/.config/quotacast/admin.env\n"
      : `add it under EnvironmentVariables in ${launchdPlistPath(ctx.homeDir)} (chmod 600 the file), then reinstall.\n`;
  return `note: ANTHROPIC_ADMIN_KEY is a credential and is not written into the service file; ${how}`;
}

export async function installService(spec: ServiceSpec, ctx: ServiceContext): Promise<number> {
  const manager = serviceManagerFor(ctx.platform);
  if (!manager) return unsupported(ctx);
  if (manager === "systemd") {
    if (!ctx.dryRun && !(await systemdReachable(ctx))) return 1;
    if (!(await execute(systemdInstallSteps(spec, systemdUnitPath(ctx.homeDir, ctx.env)), ctx))) return 1;
  } else {
    if (!ctx.dryRun && (await ctx.runner.run("launchctl", ["version"])).notFound) {
      ctx.out("quotacast service: launchctl was not found.\n");
      return 1;
    }
    if (!(await execute(launchdInstallSteps(spec, ctx), ctx))) return 1;
  }
  const hint = adminKeyHint(spec, ctx, manager);
  if (hint) ctx.out(hint);
  if (!ctx.dryRun) {
    ctx.out(`quotacast exporter installed and started; logs: ${logsHint(manager, ctx)}\n`);
    if (manager === "systemd") {
      ctx.out("To keep it running while you are logged out: loginctl enable-linger $USER\n");
    }
  }
  return 0;
}

export async function uninstallService(ctx: ServiceContext): Promise<number> {
  const manager = serviceManagerFor(ctx.platform);
  if (!manager) return unsupported(ctx);
  const file = manager === "systemd" ? systemdUnitPath(ctx.homeDir, ctx.env) : launchdPlistPath(ctx.homeDir);
  if (!ctx.dryRun && !fs.existsSync(file)) {
    ctx.out(`quotacast service: not installed (no ${file})\n`);
    return 0;
  }
  const steps = manager === "systemd" ? systemdUninstallSteps(file) : launchdUninstallSteps(ctx);
  if (!(await execute(steps, ctx))) return 1;
  if (!ctx.dryRun) ctx.out("quotacast exporter stopped and uninstalled\n");
  return 0;
}

/** The node binary an installed service file runs (first word of ExecStart, first ProgramArguments entry). */
export function installedNodePath(manager: ServiceManager, fileText: string): string | null {
  if (manager === "systemd") {
    const line = /^ExecStart=(.*)$/m.exec(fileText)?.[1];
    if (line === undefined) return null;
    const word = line.startsWith('"')
      ? /^"((?:[^"\\]|\\.)*)"/.exec(line)?.[1].replace(/\\(.)/g, "$1")
      : line.split(" ")[0];
    return word === undefined ? null : word.replace(/%%/g, "%").replace(/\$\$/g, "$");
  }
  const first = /<key>ProgramArguments<\/key>\s*<array>\s*<string>([^<]*)<\/string>/.exec(fileText)?.[1];
  if (first === undefined) return null;
  return first
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

export interface ServiceStatus {
  /** Set when the service file runs a node binary that no longer exists (node upgraded, nvm). */
  missingNodePath: string | null;
  installed: boolean;
  file: string;
  /** `active`, `inactive`, `failed`, `running`, ... or null when it cannot be told. */
  state: string | null;
  enabled: string | null;
  pid: number | null;
  logs: string;
}

function missingNode(manager: ServiceManager, file: string): string | null {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
  const nodePath = installedNodePath(manager, text);
  return nodePath !== null && !fs.existsSync(nodePath) ? nodePath : null;
}

async function readServiceStatus(ctx: ServiceContext): Promise<ServiceStatus | null> {
  const manager = serviceManagerFor(ctx.platform);
  if (!manager) return null;
  const logs = logsHint(manager, ctx);
  if (manager === "systemd") {
    const file = systemdUnitPath(ctx.homeDir, ctx.env);
    const active = await ctx.runner.run("systemctl", ["--user", "is-active", SYSTEMD_UNIT_NAME]);
    const enabled = await ctx.runner.run("systemctl", ["--user", "is-enabled", SYSTEMD_UNIT_NAME]);
    // is-active prints the state and exits non-zero when not active; no output means no manager.
    const state = active.notFound ? null : active.stdout.trim() || null;
    const pidResult =
      state === "active"
        ? await ctx.runner.run("systemctl", ["--user", "show", "-p", "MainPID", "--value", SYSTEMD_UNIT_NAME])
        : null;
    const pid = pidResult ? Number.parseInt(pidResult.stdout.trim(), 10) : NaN;
    return {
      installed: fs.existsSync(file),
      missingNodePath: missingNode("systemd", file),
      file,
      state,
      enabled: enabled.notFound ? null : enabled.stdout.trim() || null,
      pid: Number.isFinite(pid) && pid > 0 ? pid : null,
      logs,
    };
  }
  const file = launchdPlistPath(ctx.homeDir);
  const printed = await ctx.runner.run("launchctl", ["print", `${domain(ctx)}/${LAUNCHD_LABEL}`]);
  const state = printed.notFound
    ? null
    : printed.code === 0
      ? (/^\s*state = (\S+)/m.exec(printed.stdout)?.[1] ?? "loaded")
      : "not loaded";
  const pid = Number.parseInt(/^\s*pid = (\d+)/m.exec(printed.stdout)?.[1] ?? "", 10);
  return {
    installed: fs.existsSync(file),
    missingNodePath: missingNode("launchd", file),
    file,
    state,
    enabled: null,
    pid: Number.isFinite(pid) ? pid : null,
    logs,
  };
}

/** Prints the status; exit code 0 when the service runs, 3 when it does not (like systemctl status). */
export async function showServiceStatus(ctx: ServiceContext): Promise<number> {
  const status = await readServiceStatus(ctx);
  if (!status) return unsupported(ctx);
  const running = status.state === "active" || status.state === "running";
  ctx.out(
    `installed: ${status.installed ? `yes (${status.file})` : `no (${status.file} does not exist)`}\n` +
      `state:     ${status.state ?? "unknown (no service manager here)"}${status.pid !== null ? ` (pid ${status.pid})` : ""}\n` +
      (status.enabled !== null ? `enabled:   ${status.enabled}\n` : "") +
      `logs:      ${status.logs}\n` +
      (status.missingNodePath !== null
        ? `warning: ${status.missingNodePath} (the node it runs) no longer exists: run quotacast service install again\n`
        : ""),
  );
  return running ? 0 : 3;
}
