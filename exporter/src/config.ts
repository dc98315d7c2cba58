/**
 * `quotacast serve` configuration: flags > environment (`QUOTACAST_*`) > config file
 * (JSON or YAML) > defaults. Every setting is optional; the defaults work with nothing set.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { validate as validateCron } from "node-cron";
import { parse as parseYaml } from "yaml";
import { registeredSources } from "@quotacast/core/limits/sources";
import { parseCommandArgs, UsageError } from "./args";
import { checkedSystemZone } from "./zone";

export interface ServeConfig {
  listenAddress: string;
  webConfigFile: string | null;
  dbPath: string | null;
  configFile: string | null;
  /** Empty = discover (CLAUDE_CONFIG_DIR, ~/.config/claude, ~/.claude). */
  claudeConfigDirs: string[];
  timezone: string;
  /** Whether each registered rate-limit source is polled, by source name (`--sources.<name>`). */
  sources: Record<string, boolean>;
  anthropicBaseUrl: string | null;
  transcriptsSchedule: string;
  adminSchedule: string;
  refitSchedule: string;
  pruneSchedule: string;
  retentionDays: number;
  /** Top N projects get their own `quotacast_project_*` series; 0 = off. */
  metricsProjects: number;
  processMetrics: boolean;
  watch: boolean;
  /** Messages per ingest transaction (bounds memory and the work a kill loses). */
  ingestCommitEvery: number;
}

type Kind = "string" | "list" | "bool" | "int" | "cron" | "projects";

interface Option {
  flag: string;
  key: keyof ServeConfig;
  /** For `sources`: which source the flag switches. */
  source?: string;
  kind: Kind;
  help: string;
}

const DEFAULT_PROJECTS_CAP = 20;

const BASE_OPTIONS: Option[] = [
  {
    flag: "web.listen-address",
    key: "listenAddress",
    kind: "string",
    help: "address to listen on (default 127.0.0.1:9847)",
  },
  {
    flag: "web.config.file",
    key: "webConfigFile",
    kind: "string",
    help: "web config file: basic auth and TLS (exporter-toolkit format)",
  },
  {
    flag: "db.path",
    key: "dbPath",
    kind: "string",
    help: "SQLite database (default $XDG_DATA_HOME/quotacast/quotacast.db, ~/.local/share/...)",
  },
  {
    flag: "config.file",
    key: "configFile",
    kind: "string",
    help: "configuration file, JSON or YAML, with these same keys",
  },
  {
    flag: "claude.config-dir",
    key: "claudeConfigDirs",
    kind: "list",
    help: "Claude Code config dir (repeatable; default: discovered)",
  },
  {
    flag: "timezone",
    key: "timezone",
    kind: "string",
    help: "IANA time zone for calendar days (default: the system's)",
  },
  {
    flag: "anthropic.base-url",
    key: "anthropicBaseUrl",
    kind: "string",
    help: "Anthropic API base URL (default https://api.anthropic.com)",
  },
  {
    flag: "schedule.transcripts",
    key: "transcriptsSchedule",
    kind: "cron",
    help: "cron expression of the transcript refresh (default every 15 s)",
  },
  {
    flag: "schedule.admin",
    key: "adminSchedule",
    kind: "cron",
    help: "cron expression of the Admin API poll (default hourly)",
  },
  {
    flag: "schedule.refit",
    key: "refitSchedule",
    kind: "cron",
    help: "cron expression of the forecast refit (default daily 04:10)",
  },
  {
    flag: "schedule.prune",
    key: "pruneSchedule",
    kind: "cron",
    help: "cron expression of the retention pruning (default daily 04:40)",
  },
  {
    flag: "retention.days",
    key: "retentionDays",
    kind: "int",
    help: "days of rate-limit history to keep (default 180)",
  },
  {
    flag: "metrics.projects",
    key: "metricsProjects",
    kind: "projects",
    help: `per-project cost series for the top N projects (flag alone: ${DEFAULT_PROJECTS_CAP})`,
  },
  {
    flag: "metrics.process",
    key: "processMetrics",
    kind: "bool",
    help: "add Node.js process metrics (prefixed quotacast_)",
  },
  {
    flag: "transcripts.watch",
    key: "watch",
    kind: "bool",
    help: "also refresh when transcripts change (fs.watch; default true)",
  },
  {
    flag: "ingest.commit-every",
    key: "ingestCommitEvery",
    kind: "int",
    help: "messages per ingest transaction (default 250: short transactions keep /metrics answering)",
  },
];

/** Every serve setting: the fixed ones, with one `sources.<name>` per registered source after `timezone`. */
export function serveOptions(): Option[] {
  const sources: Option[] = registeredSources().map((d) => ({
    flag: `sources.${d.name}`,
    key: "sources",
    source: d.name,
    kind: "bool",
    help: `poll ${d.description}${d.enabledByDefault ? " (default true)" : ""}`,
  }));
  const at = BASE_OPTIONS.findIndex((o) => o.flag === "timezone") + 1;
  return [...BASE_OPTIONS.slice(0, at), ...sources, ...BASE_OPTIONS.slice(at)];
}

export function defaultConfig(): ServeConfig {
  return {
    listenAddress: "127.0.0.1:9847",
    webConfigFile: null,
    dbPath: null,
    configFile: null,
    claudeConfigDirs: [],
    timezone: checkedSystemZone(),
    sources: Object.fromEntries(registeredSources().map((d) => [d.name, d.enabledByDefault])),
    anthropicBaseUrl: null,
    transcriptsSchedule: "*/15 * * * * *",
    adminSchedule: "0 * * * *",
    refitSchedule: "10 4 * * *",
    pruneSchedule: "40 4 * * *",
    retentionDays: 180,
    metricsProjects: 0,
    processMetrics: false,
    watch: true,
    ingestCommitEvery: 250,
  };
}

/** A bad setting (flag, environment or config file): a usage error, exit code 2. */
export class ConfigError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export type ParsedArgs = { help: true } | { help: false; config: ServeConfig };

/** Raw values by flag name, as strings (lists as arrays), before typing. */
type RawValues = Map<string, string | string[] | true>;

export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedArgs {
  const fromFlags = readFlags(argv);
  if (fromFlags === "help") return { help: true };
  const fromEnv = readEnv(env);
  const configFile = stringValue(fromFlags.get("config.file") ?? fromEnv.get("config.file"));
  const fromFile = configFile ? readConfigFile(configFile) : new Map();
  const config = defaultConfig();
  for (const option of serveOptions()) {
    const raw = fromFlags.get(option.flag) ?? fromEnv.get(option.flag) ?? fromFile.get(option.flag);
    if (raw !== undefined) assign(config, option, raw);
  }
  checkTimezone(config.timezone);
  return { help: false, config };
}

export function serveUsage(): string {
  const lines = serveOptions().map((o) => {
    const value = o.kind === "bool" ? "" : o.kind === "projects" ? "[=N]" : "=VALUE";
    return `  --${(o.flag + value).padEnd(28)} ${o.help}\n  ${"".padEnd(30)} env ${envName(o.flag)}`;
  });
  return (
    "usage: quotacast serve [options]\n\nRuns the Prometheus exporter (/metrics) and the JSON API (/api/v1/summary, /api/v1/windows, /api/v1/daily).\n" +
    "Precedence: flags > environment > config file > defaults. Booleans take =true/=false.\n\noptions:\n" +
    lines.join("\n") +
    "\n  --help                         this help\n"
  );
}

export function envName(flag: string): string {
  return `QUOTACAST_${flag.toUpperCase().replace(/[.-]/g, "_")}`;
}

/**
 * Flags through the shared argv parser. Non-strict, since booleans also take `=true`/`=false`
 * and `--metrics.projects` an optional number: its tokens are checked here against the options.
 */
function readFlags(argv: string[]): RawValues | "help" {
  const options = serveOptions();
  const { tokens } = parseCommandArgs({
    args: argv,
    options: {
      help: { type: "boolean", short: "h" },
      ...Object.fromEntries(
        options.map((o) => [
          o.flag,
          { type: o.kind === "bool" || o.kind === "projects" ? ("boolean" as const) : ("string" as const) },
        ]),
      ),
    },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: RawValues = new Map();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind === "option-terminator") throw new ConfigError("unexpected argument '--' (see --help)");
    if (token.kind === "positional")
      throw new ConfigError(`unexpected argument '${token.value}' (see --help)`);
    if (token.name === "help") return "help";
    const option = options.find((o) => o.flag === token.name);
    if (!option) throw new ConfigError(`unknown flag ${token.rawName} (see --help)`);
    let value: string | true;
    const next = tokens[i + 1];
    if (token.value !== undefined) value = token.value;
    else if (option.kind === "bool") value = true;
    else if (option.kind === "projects") {
      const count = next?.kind === "positional" && /^\d+$/.test(next.value) ? next.value : undefined;
      if (count !== undefined) i++;
      value = count ?? true;
    } else throw new ConfigError(`--${option.flag} needs a value`);
    if (option.kind === "list") {
      const list = (values.get(option.flag) as string[] | undefined) ?? [];
      values.set(option.flag, [...list, String(value)]);
    } else {
      values.set(option.flag, value);
    }
  }
  return values;
}

function readEnv(env: NodeJS.ProcessEnv): RawValues {
  const values: RawValues = new Map();
  for (const option of serveOptions()) {
    const raw = env[envName(option.flag)];
    if (raw === undefined || raw.trim() === "") continue;
    values.set(option.flag, option.kind === "list" ? splitList(raw) : raw.trim());
  }
  return values;
}

function readConfigFile(file: string): RawValues {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = path.extname(file).toLowerCase() === ".json" ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(
      `config file ${file} is not valid ${path.extname(file) === ".json" ? "JSON" : "YAML"}: ${(err as Error).message}`,
    );
  }
  if (parsed === null || parsed === undefined) return new Map();
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ConfigError(
      `config file ${file} must hold a mapping of settings (for example web.listen-address: ...)`,
    );
  }
  const values: RawValues = new Map();
  for (const [key, value] of flatten(parsed as Record<string, unknown>, "")) {
    const option = serveOptions().find((o) => o.flag === key);
    if (!option) throw new ConfigError(`config file ${file}: unknown setting '${key}' (see --help)`);
    if (option.kind === "list")
      values.set(key, Array.isArray(value) ? value.map(String) : splitList(String(value)));
    else if (value === true) values.set(key, true);
    else values.set(key, String(value));
  }
  return values;
}

/** `{web: {listen-address: x}}` and `{"web.listen-address": x}` both give `web.listen-address`. */
function flatten(obj: Record<string, unknown>, prefix: string): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const [key, value] of Object.entries(obj)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === "object" && !Array.isArray(value))
      out.push(...flatten(value as Record<string, unknown>, name));
    else out.push([name, value]);
  }
  return out;
}

function assign(config: ServeConfig, option: Option, raw: string | string[] | true): void {
  const fail = (what: string): never => {
    throw new ConfigError(`--${option.flag} (${envName(option.flag)}): ${what}, got '${String(raw)}'`);
  };
  const target = (option.source ? config.sources : config) as unknown as Record<string, unknown>;
  const key = option.source ?? option.key;
  switch (option.kind) {
    case "list":
      target[key] = (Array.isArray(raw) ? raw : [String(raw)]).filter((v) => v.trim() !== "");
      return;
    case "bool": {
      if (raw === true) target[key] = true;
      else if (/^(true|1|yes|on)$/i.test(String(raw))) target[key] = true;
      else if (/^(false|0|no|off)$/i.test(String(raw))) target[key] = false;
      else fail("expected true or false");
      return;
    }
    case "int": {
      const n = Number(raw);
      if (!Number.isInteger(n) || n <= 0) fail("expected a positive whole number");
      target[key] = n;
      return;
    }
    case "projects": {
      if (raw === true || /^(true|yes|on)$/i.test(String(raw))) target[key] = DEFAULT_PROJECTS_CAP;
      else if (/^(false|no|off)$/i.test(String(raw))) target[key] = 0;
      else {
        const n = Number(raw);
        if (!Number.isInteger(n) || n < 0 || n > 1000) fail("expected a number of projects (0-1000)");
        target[key] = n;
      }
      return;
    }
    case "cron": {
      const expr = String(raw).trim();
      if (!validateCron(expr)) fail("expected a cron expression (5 fields, or 6 with seconds first)");
      target[key] = expr;
      return;
    }
    default:
      if (raw === true) fail("expected a value");
      target[key] = String(raw);
  }
}

function checkTimezone(timezone: string): void {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
  } catch {
    throw new ConfigError(
      `--timezone: unknown time zone '${timezone}' (use an IANA name such as Europe/Paris)`,
    );
  }
}

function splitList(raw: string): string[] {
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function stringValue(raw: string | string[] | true | undefined): string | null {
  return typeof raw === "string" && raw.trim() !== "" ? raw : null;
}

/** `host:port`, `[v6]:port` or `:port` (all interfaces). */
export function parseListenAddress(address: string): { host: string | undefined; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(address.trim());
  if (!match) throw new ConfigError(`--web.listen-address: expected host:port, got '${address}'`);
  const port = Number(match[3]);
  if (port > 65535) throw new ConfigError(`--web.listen-address: port out of range in '${address}'`);
  const host = match[1] ?? match[2];
  return { host: host === "" ? undefined : host, port };
}
