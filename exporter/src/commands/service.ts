/**
 * `quotacast service install|uninstall|status [--dry-run] [-- <serve flags>]`: runs the
 * exporter as a user service (systemd on Linux, launchd on macOS), no root needed.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { transientPlaceOf } from "@quotacast/core";
import { parseCommandArgs } from "../args";
import { ConfigError, parseServeArgs, serveOptions } from "../config";
import { installService, showServiceStatus, uninstallService, type ServiceContext } from "../service/manager";
import { serviceEnvironment, type ServiceSpec } from "../service/render";
import { nodeRunner } from "../service/runner";

const USAGE = `usage: quotacast service install|uninstall|status [--dry-run] [-- <quotacast serve flags>]

  install     write a user service that runs 'quotacast serve <flags>' with this node and this
              quotacast (absolute paths), enable it and start it
              Linux: ~/.config/systemd/user/quotacast.service (systemctl --user)
              macOS: ~/Library/LaunchAgents/dev.quotacast.exporter.plist (launchctl)
  uninstall   stop, disable and remove it
  status      whether it is installed and running, and where its logs go

options:
  --dry-run   print what would be written and run, change nothing
  -h, --help  this help

example:
  quotacast service install -- --web.listen-address=127.0.0.1:9847 --sources.oauth
`;

/** Serve flags whose values are paths: made absolute, since the service does not start in this directory. */
const PATH_FLAGS = new Set(["web.config.file", "db.path", "config.file", "claude.config-dir"]);

export function absolutizePathFlags(args: readonly string[], cwd: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") ? arg.slice(2, eq === -1 ? undefined : eq) : "";
    if (!PATH_FLAGS.has(name)) {
      out.push(arg);
    } else if (eq !== -1) {
      out.push(`--${name}=${path.resolve(cwd, arg.slice(eq + 1))}`);
    } else if (i + 1 < args.length) {
      out.push(arg, path.resolve(cwd, args[++i]));
    } else {
      out.push(arg);
    }
  }
  return out;
}

/**
 * quotacast's compiled cli.js: this very file in the installed package (one bundle), next to
 * this command in dist/, or exporter/dist/cli.js when running from the sources (tsx). Null
 * when not built.
 */
export function findCliPath(commandsDir: string = __dirname): string | null {
  const candidates = [
    path.resolve(commandsDir, "cli.js"),
    path.resolve(commandsDir, "..", "cli.js"),
    path.resolve(commandsDir, "..", "..", "dist", "cli.js"),
  ];
  return candidates.find((candidate) => fs.existsSync(candidate)) ?? null;
}

export async function run(
  argv: string[],
  overrides: Partial<ServiceContext> & { cliPath?: string } = {},
): Promise<number> {
  const { cliPath: givenCliPath, ...ctxOverrides } = overrides;
  // Everything after `--` is serve's, checked below by serve's own parser.
  const separator = argv.indexOf("--");
  const own = separator === -1 ? argv : argv.slice(0, separator);
  const serveFlags = separator === -1 ? [] : argv.slice(separator + 1);
  let parsed;
  try {
    parsed = parseCommandArgs({
      args: own,
      options: {
        "dry-run": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      allowPositionals: true,
    });
  } catch (err) {
    process.stderr.write(`quotacast service: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [subcommand, ...extra] = parsed.positionals;
  if (subcommand === undefined || parsed.values.help) {
    process.stdout.write(USAGE);
    return subcommand === undefined && !parsed.values.help ? 2 : 0;
  }
  if (!["install", "uninstall", "status"].includes(subcommand) || extra.length > 0) {
    process.stderr.write(`quotacast service: unexpected '${[subcommand, ...extra].join(" ")}'\n\n${USAGE}`);
    return 2;
  }
  const ctx: ServiceContext = {
    platform: process.platform,
    homeDir: os.homedir(),
    uid: process.getuid?.() ?? 0,
    env: process.env,
    runner: nodeRunner,
    dryRun: parsed.values["dry-run"],
    out: (text) => process.stdout.write(text),
    ...ctxOverrides,
  };
  if (subcommand === "uninstall") return uninstallService(ctx);
  if (subcommand === "status") return showServiceStatus(ctx);

  const serveArgs = absolutizePathFlags(serveFlags, process.cwd());
  try {
    // Checked now, with the flags alone, so a typo fails here and not in a restart loop.
    if (parseServeArgs(serveArgs, {}).help) throw new ConfigError("--help is not a serve flag for a service");
  } catch (err) {
    const known = serveOptions()
      .map((o) => `--${o.flag}`)
      .join(", ");
    process.stderr.write(`quotacast service: ${(err as Error).message}\nserve flags: ${known}\n`);
    return 2;
  }
  const cliPath = givenCliPath ?? findCliPath();
  if (cliPath === null) {
    process.stderr.write("quotacast service: dist/cli.js not found: build quotacast first (npm run build)\n");
    return 1;
  }
  const transient = transientPlaceOf(cliPath);
  if (transient !== null) {
    process.stderr.write(
      `quotacast service: this quotacast (${cliPath}) is in ${transient}; install it first (npm install -g quotacast), then run \`quotacast service install\`\n`,
    );
    return 1;
  }
  const spec: ServiceSpec = {
    nodePath: process.execPath,
    cliPath,
    serveArgs,
    environment: serviceEnvironment(ctx.env),
  };
  return installService(spec, ctx);
}
