/**
 * The user service definitions, as pure functions: a systemd user unit (Linux) and a
 * launchd agent (macOS) that run `node cli.js serve <flags>` with absolute paths.
 */
import * as path from "node:path";

export const SYSTEMD_UNIT_NAME = "quotacast.service";
export const LAUNCHD_LABEL = "dev.quotacast.exporter";

export interface ServiceSpec {
  /** Absolute path of the node binary (`process.execPath`). */
  nodePath: string;
  /** Absolute path of quotacast's `cli.js`. */
  cliPath: string;
  /** Flags given after `--`, passed to `quotacast serve` as they are. */
  serveArgs: string[];
  /** Environment the service needs (config dirs, QUOTACAST_* settings); never credentials. */
  environment: Record<string, string>;
}

/** Variables that locate the user's data or configure quotacast, kept from the installing shell. */
const KEPT_VARIABLES = /^(CLAUDE_CONFIG_DIR|XDG_CONFIG_HOME|XDG_DATA_HOME|QUOTACAST_[A-Z0-9_]+)$/;
/** Never written into a service file, whatever their prefix. */
const SECRET_LIKE = /KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL/i;

/** The part of `env` the service should run with: locations and quotacast settings, no secrets. */
export function serviceEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of Object.keys(env).sort()) {
    const value = env[name];
    if (value !== undefined && value !== "" && KEPT_VARIABLES.test(name) && !SECRET_LIKE.test(name))
      kept[name] = value;
  }
  return kept;
}

/** `$XDG_CONFIG_HOME/systemd/user/quotacast.service` (default `~/.config/...`). */
export function systemdUnitPath(homeDir: string, env: NodeJS.ProcessEnv = {}): string {
  const xdg = env.XDG_CONFIG_HOME ?? "";
  const base = xdg !== "" && path.isAbsolute(xdg) ? xdg : path.join(homeDir, ".config");
  return path.join(base, "systemd", "user", SYSTEMD_UNIT_NAME);
}

export function launchdPlistPath(homeDir: string): string {
  return path.join(homeDir, "Library", "LaunchAgents", `${LAUNCHD_LABEL}.plist`);
}

export function launchdLogPath(homeDir: string): string {
  return path.join(homeDir, "Library", "Logs", "quotacast", "exporter.log");
}

/**
 * One word of a systemd command line: quoted when it has anything but plain characters;
 * `%` and `$` doubled so that systemd expands neither specifiers nor variables in it.
 */
export function systemdQuote(word: string): string {
  const escaped = word.replace(/%/g, "%%").replace(/\$/g, "$$$$");
  if (/^[A-Za-z0-9_\-./:=@,+%$]+$/.test(word)) return escaped;
  return `"${escaped.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

export function renderSystemdUnit(spec: ServiceSpec): string {
  const execStart = [spec.nodePath, spec.cliPath, "serve", ...spec.serveArgs].map(systemdQuote).join(" ");
  const environment = Object.entries(spec.environment).map(
    ([name, value]) => `Environment=${systemdQuote(`${name}=${value}`)}\n`,
  );
  return (
    "# Written by `quotacast service install`; `quotacast service uninstall` removes it.\n" +
    "[Unit]\n" +
    "Description=quotacast exporter (Claude usage, limits and forecasts for Prometheus)\n" +
    "\n" +
    "[Service]\n" +
    "Type=simple\n" +
    `ExecStart=${execStart}\n` +
    environment.join("") +
    "Restart=on-failure\n" +
    "RestartSec=10\n" +
    "NoNewPrivileges=yes\n" +
    "\n" +
    "[Install]\n" +
    "WantedBy=default.target\n"
  );
}

function xmlEscape(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

export function renderLaunchdPlist(spec: ServiceSpec, logPath: string): string {
  const args = [spec.nodePath, spec.cliPath, "serve", ...spec.serveArgs]
    .map((arg) => `    <string>${xmlEscape(arg)}</string>\n`)
    .join("");
  const env = Object.entries(spec.environment)
    .map(([name, value]) => `    <key>${xmlEscape(name)}</key>\n    <string>${xmlEscape(value)}</string>\n`)
    .join("");
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n' +
    "<!-- Written by `quotacast service install`; `quotacast service uninstall` removes it. -->\n" +
    '<plist version="1.0">\n' +
    "<dict>\n" +
    `  <key>Label</key>\n  <string>${LAUNCHD_LABEL}</string>\n` +
    `  <key>ProgramArguments</key>\n  <array>\n${args}  </array>\n` +
    (env !== "" ? `  <key>EnvironmentVariables</key>\n  <dict>\n${env}  </dict>\n` : "") +
    "  <key>RunAtLoad</key>\n  <true/>\n" +
    // Restart after a crash, not after a clean exit (a clean exit is a deliberate stop).
    "  <key>KeepAlive</key>\n  <dict>\n    <key>SuccessfulExit</key>\n    <false/>\n  </dict>\n" +
    "  <key>ThrottleInterval</key>\n  <integer>10</integer>\n" +
    "  <key>ProcessType</key>\n  <string>Background</string>\n" +
    `  <key>StandardOutPath</key>\n  <string>${xmlEscape(logPath)}</string>\n` +
    `  <key>StandardErrorPath</key>\n  <string>${xmlEscape(logPath)}</string>\n` +
    "</dict>\n" +
    "</plist>\n"
  );
}
