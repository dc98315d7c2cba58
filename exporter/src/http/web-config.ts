/**
 * The web config file (`--web.config.file`) in the format of Prometheus's exporter-toolkit:
 * TLS and basic auth for the exporter's HTTP server.
 *
 *   tls_server_config:
 *     cert_file: server.crt          # paths relative to the config file
 *     key_file: server.key
 *     client_auth_type: RequireAndVerifyClientCert   # optional
 *     client_ca_file: clients.crt                    # optional
 *     min_version: TLS12                             # optional (default TLS12)
 *   http_server_config:
 *     headers: { Strict-Transport-Security: max-age=31536000 }
 *   basic_auth_users:
 *     prometheus: $2y$10$...         # bcrypt hash (htpasswd -nBC 10 "" | tr -d ':\n')
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import * as path from "node:path";
import type { TLSSocket } from "node:tls";
import * as v from "valibot";
import { parse as parseYaml } from "yaml";
import { parseWith } from "@quotacast/core/schema";
import { PasswordChecker, type PasswordCheckOptions } from "./password-check";

export type ClientAuthType =
  | "NoClientCert"
  | "RequestClientCert"
  | "RequireAnyClientCert"
  | "VerifyClientCertIfGiven"
  | "RequireAndVerifyClientCert";

export type TlsVersionName = "TLS10" | "TLS11" | "TLS12" | "TLS13";

export interface TlsServerConfig {
  /** PEM contents (read from `cert_file`/`key_file`, or given inline as `cert`/`key`). */
  certPem: string;
  keyPem: string;
  clientAuthType: ClientAuthType;
  clientCaPem: string | null;
  /** Resolved paths of the PEM files (null when given inline): re-read when they change. */
  certFile: string | null;
  keyFile: string | null;
  clientCaFile: string | null;
  minVersion: TlsVersionName;
  maxVersion: TlsVersionName | null;
}

export interface WebConfig {
  tls: TlsServerConfig | null;
  /** User name -> bcrypt hash. Empty = no authentication. */
  basicAuthUsers: Map<string, string>;
  /** Extra response headers (`http_server_config.headers`). */
  headers: Record<string, string>;
}

/** A web config file that cannot be used; the message names the file and the setting. */
export class WebConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebConfigError";
  }
}

const CLIENT_AUTH_TYPES: readonly ClientAuthType[] = [
  "NoClientCert",
  "RequestClientCert",
  "RequireAnyClientCert",
  "VerifyClientCertIfGiven",
  "RequireAndVerifyClientCert",
];
const TLS_VERSIONS: Record<TlsVersionName, "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3"> = {
  TLS10: "TLSv1",
  TLS11: "TLSv1.1",
  TLS12: "TLSv1.2",
  TLS13: "TLSv1.3",
};
/** The response headers exporter-toolkit lets a config set. */
const ALLOWED_HEADERS = [
  "Strict-Transport-Security",
  "X-Content-Type-Options",
  "X-Frame-Options",
  "X-XSS-Protection",
  "Content-Security-Policy",
];
const UNSUPPORTED_TLS_KEYS = ["cipher_suites", "curve_preferences", "prefer_server_cipher_order"];
const BCRYPT_HASH = /^\$2[abxy]\$\d{2}\$[./A-Za-z0-9]{53}$/;

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `schema` for a YAML mapping (valibot's object and record schemas also take a list). */
function mapping<S extends v.GenericSchema<Mapping>>(schema: S, message = "must be a mapping") {
  return v.nullish(v.pipe(v.custom<Mapping>(isMapping, message), schema));
}

/** A mapping of known settings only: exporter-toolkit refuses a typo rather than ignore it. */
function settings<E extends v.ObjectEntries>(entries: E, unsupported: readonly string[] = []) {
  const allowed = Object.keys(entries).join(", ");
  const refused = Object.fromEntries(unsupported.map((key) => [key, UNSUPPORTED]));
  return v.strictObject({ ...entries, ...refused } as E, (issue) =>
    issue.expected === "never" ? `unknown setting (allowed: ${allowed})` : "must be a mapping",
  );
}

/** Go-specific TLS tuning that Node (OpenSSL) has no faithful equivalent for: refused, never ignored. */
const UNSUPPORTED = v.optional(
  v.never("is not supported by quotacast (Node.js uses OpenSSL's defaults); remove it"),
);

/** A string setting; absent, empty or null is unset (null). */
const optionalString = v.pipe(
  v.nullish(v.string("must be a string"), null),
  v.transform((value) => (value === "" ? null : value)),
);

const notOneOf = (options: readonly string[]) => (issue: v.BaseIssue<unknown>) =>
  `'${String(issue.input)}' is not one of ${options.join(", ")}`;

const tlsVersion = v.pipe(
  optionalString,
  v.nullable(v.picklist(Object.keys(TLS_VERSIONS) as TlsVersionName[], notOneOf(Object.keys(TLS_VERSIONS)))),
);

const TlsSchema = settings(
  {
    cert_file: optionalString,
    key_file: optionalString,
    cert: optionalString,
    key: optionalString,
    client_auth_type: v.pipe(
      optionalString,
      // exporter-toolkit still accepts the old name.
      v.transform((value) =>
        value === "RequireClientCert" ? "RequireAnyClientCert" : (value ?? "NoClientCert"),
      ),
      v.picklist(CLIENT_AUTH_TYPES, notOneOf(CLIENT_AUTH_TYPES)),
    ),
    client_ca_file: optionalString,
    client_ca: optionalString,
    min_version: v.pipe(
      tlsVersion,
      v.transform((value) => value ?? "TLS12"),
    ),
    max_version: tlsVersion,
  },
  UNSUPPORTED_TLS_KEYS,
);

const BCRYPT_HASH_MESSAGE = `must be a bcrypt hash ($2y$10$..., e.g. from htpasswd -nBC 10 "" | tr -d ':\\n'), not a plain password`;

/** User name -> bcrypt hash. A value that is not a hash is never echoed: it might be a plain password. */
const UsersSchema = v.record(
  v.pipe(
    v.string(),
    v.check(
      (name) => name !== "" && !name.includes(":"),
      (issue) => `invalid user name '${String(issue.input)}'`,
    ),
  ),
  v.pipe(v.string(BCRYPT_HASH_MESSAGE), v.regex(BCRYPT_HASH, BCRYPT_HASH_MESSAGE)),
);

/** A header name exporter-toolkit lets a config set, in its canonical case. */
const headerName = v.pipe(
  v.string(),
  v.check(
    (name) => ALLOWED_HEADERS.some((h) => h.toLowerCase() === name.toLowerCase()),
    `cannot be set (allowed: ${ALLOWED_HEADERS.join(", ")})`,
  ),
  v.transform((name) => ALLOWED_HEADERS.find((h) => h.toLowerCase() === name.toLowerCase()) as string),
);

const WebConfigSchema = mapping(
  settings({
    tls_server_config: mapping(TlsSchema),
    basic_auth_users: mapping(UsersSchema, "must be a mapping of user name to bcrypt hash"),
    http_server_config: mapping(
      settings({
        headers: mapping(v.record(headerName, v.string("must be a string"))),
        http2: v.optional(v.unknown()),
      }),
    ),
  }),
  "must be a mapping (tls_server_config, basic_auth_users, ...)",
);

type TlsSection = v.InferOutput<typeof TlsSchema>;

function readPem(where: string, key: string, file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new WebConfigError(`${where}: cannot read ${key} ${file}: ${(err as Error).message}`);
  }
}

/** `cert_file` (a path) or `cert` (inline PEM), exactly one of them. */
function pemSetting(
  where: string,
  tls: TlsSection,
  name: "cert" | "key" | "client_ca",
  baseDir: string,
): { pem: string | null; file: string | null } {
  const file = tls[`${name}_file`];
  const inline = tls[name];
  if (file !== null && inline !== null) {
    throw new WebConfigError(`${where}: set ${name}_file or ${name}, not both`);
  }
  if (file === null) return { pem: inline, file: null };
  const resolved = path.resolve(baseDir, file);
  return { pem: readPem(where, `${name}_file`, resolved), file: resolved };
}

/** The TLS settings with the PEM files read; the rules that span settings are checked here. */
function tlsServerConfig(where: string, tls: TlsSection, baseDir: string): TlsServerConfig {
  const cert = pemSetting(where, tls, "cert", baseDir);
  const key = pemSetting(where, tls, "key", baseDir);
  if (cert.pem === null) throw new WebConfigError(`${where}: cert_file is required`);
  if (key.pem === null) throw new WebConfigError(`${where}: key_file is required`);
  const clientCa = pemSetting(where, tls, "client_ca", baseDir);
  if (clientCa.pem !== null && tls.client_auth_type === "NoClientCert") {
    throw new WebConfigError(
      `${where}: client_ca_file is set but client_auth_type is NoClientCert (set RequireAndVerifyClientCert)`,
    );
  }
  const { min_version: minVersion, max_version: maxVersion } = tls;
  if (maxVersion !== null && maxVersion < minVersion) {
    throw new WebConfigError(`${where}: max_version ${maxVersion} is below min_version ${minVersion}`);
  }
  return {
    certPem: cert.pem,
    keyPem: key.pem,
    clientAuthType: tls.client_auth_type,
    clientCaPem: clientCa.pem,
    certFile: cert.file,
    keyFile: key.file,
    clientCaFile: clientCa.file,
    minVersion,
    maxVersion,
  };
}

/** Validates a web config's text. Relative file paths are resolved against `baseDir`. */
export function parseWebConfig(text: string, baseDir: string, source = "web config"): WebConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new WebConfigError(`${source} is not valid YAML: ${(err as Error).message}`);
  }
  const parsed = parseWith(WebConfigSchema, raw, source);
  if (!parsed.ok) throw new WebConfigError(parsed.message);
  const config = parsed.value ?? {};
  return {
    tls: config.tls_server_config
      ? tlsServerConfig(`${source}: tls_server_config`, config.tls_server_config, baseDir)
      : null,
    basicAuthUsers: new Map(Object.entries(config.basic_auth_users ?? {})),
    headers: config.http_server_config?.headers ?? {},
  };
}

/** Reads and validates the file given with `--web.config.file`. */
export function loadWebConfig(file: string): WebConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new WebConfigError(`cannot read web config file ${file}: ${(err as Error).message}`);
  }
  return parseWebConfig(text, path.dirname(path.resolve(file)), `web config file ${file}`);
}

function tlsOptions(tls: TlsServerConfig): https.ServerOptions {
  const verify = tls.clientAuthType === "RequireAndVerifyClientCert";
  return {
    cert: tls.certPem,
    key: tls.keyPem,
    ...(tls.clientCaPem !== null ? { ca: tls.clientCaPem } : {}),
    requestCert: tls.clientAuthType !== "NoClientCert",
    // The two lenient modes are checked per connection below.
    rejectUnauthorized: verify,
    minVersion: TLS_VERSIONS[tls.minVersion],
    ...(tls.maxVersion !== null ? { maxVersion: TLS_VERSIONS[tls.maxVersion] } : {}),
  };
}

/** Enforces RequireAnyClientCert and VerifyClientCertIfGiven, which Node has no single option for. */
function checkClientCertificate(socket: TLSSocket, type: ClientAuthType): void {
  const presented = Object.keys(socket.getPeerCertificate() ?? {}).length > 0;
  if (type === "RequireAnyClientCert" && !presented) socket.destroy();
  if (type === "VerifyClientCertIfGiven" && presented && !socket.authorized) socket.destroy();
}

/** `mtime:size` of the PEM files, to notice a renewed certificate. */
function filesSignature(tls: TlsServerConfig): string {
  return [tls.certFile, tls.keyFile, tls.clientCaFile]
    .map((file) => {
      if (file === null) return "-";
      try {
        const stat = fs.statSync(file);
        return `${stat.mtimeMs}:${stat.size}`;
      } catch {
        return "missing";
      }
    })
    .join("|");
}

/** The TLS settings with the PEM files read again (inline PEMs stay). */
function rereadPems(tls: TlsServerConfig): TlsServerConfig {
  const read = (file: string | null, current: string | null) =>
    file === null ? current : fs.readFileSync(file, "utf8");
  return {
    ...tls,
    certPem: read(tls.certFile, tls.certPem) as string,
    keyPem: read(tls.keyFile, tls.keyPem) as string,
    clientCaPem: read(tls.clientCaFile, tls.clientCaPem),
  };
}

/**
 * Like exporter-toolkit, picks up a renewed certificate without a restart: on a new
 * connection (at most every `checkEveryMs`), changed PEM files are read and used from the
 * next handshake on. A half-written or broken file keeps the current certificate.
 */
function reloadCertificatesOnChange(
  server: https.Server,
  initial: TlsServerConfig,
  checkEveryMs: number,
): void {
  let signature = filesSignature(initial);
  let lastCheckMs = Date.now();
  server.on("connection", () => {
    const nowMs = Date.now();
    if (nowMs - lastCheckMs < checkEveryMs) return;
    lastCheckMs = nowMs;
    const current = filesSignature(initial);
    if (current === signature) return;
    try {
      server.setSecureContext(tlsOptions(rereadPems(initial)));
      signature = current;
    } catch {
      // Keep serving with the certificate in use; the next check tries again.
    }
  });
}

export interface CreateServerOptions {
  /** How often (at most) a new connection checks the certificate files for changes. Default 10 s. */
  certificateCheckMs?: number;
}

/**
 * The server for `app`: HTTPS when the web config has `tls_server_config`, HTTP otherwise.
 * Not yet listening. Configured response headers are added to every response.
 */
export function createServer(
  app: http.RequestListener,
  webConfig: WebConfig | null,
  opts: CreateServerOptions = {},
): http.Server | https.Server {
  const headers = Object.entries(webConfig?.headers ?? {});
  const handler: http.RequestListener =
    headers.length === 0
      ? app
      : (req, res) => {
          for (const [name, value] of headers) res.setHeader(name, value);
          app(req, res);
        };
  const tls = webConfig?.tls ?? null;
  if (!tls) return http.createServer(handler);
  let server: https.Server;
  try {
    server = https.createServer(tlsOptions(tls), handler);
  } catch (err) {
    throw new WebConfigError(
      `tls_server_config: the certificate or key cannot be used: ${(err as Error).message}`,
    );
  }
  if (tls.clientAuthType === "RequireAnyClientCert" || tls.clientAuthType === "VerifyClientCertIfGiven") {
    server.on("secureConnection", (socket: TLSSocket) => checkClientCertificate(socket, tls.clientAuthType));
  }
  reloadCertificatesOnChange(server, tls, opts.certificateCheckMs ?? 10_000);
  return server;
}

export type Middleware = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  next: (err?: unknown) => void,
) => void;

/** Remembered outcomes, keyed by a SHA-256 digest so no password is kept in memory; the oldest goes first. */
class OutcomeCache {
  private readonly keys = new Set<string>();
  constructor(private readonly maxEntries: number) {}

  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(key: string): void {
    if (this.keys.size >= this.maxEntries) {
      const oldest = this.keys.values().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
    this.keys.add(key);
  }
}

/** Compared against when the user is unknown, so an unknown user takes as long as a wrong password. */
const DUMMY_HASH = "$2b$10$GF9VlGSmJ5eUINHnafmIDu6kS/gX8UnhHI4cNAiMUu0NpV.epT4Q.";

function parseBasicAuthorization(header: string | undefined): { user: string; password: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "");
  if (!match) return null;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function tooManyChecks(res: http.ServerResponse): void {
  res.statusCode = 429;
  res.setHeader("Retry-After", "1");
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.end("Too many password checks; retry later\n");
}

function unauthorized(res: http.ServerResponse): void {
  res.statusCode = 401;
  res.setHeader("WWW-Authenticate", 'Basic realm="quotacast"');
  res.setHeader("Content-Type", "text/plain; charset=utf-8");
  res.end("Unauthorized\n");
}

export interface BasicAuthOptions extends PasswordCheckOptions {
  /**
   * Remembered verifications per outcome (like exporter-toolkit's cache), so bcrypt does
   * not run on every scrape. Successes and failures are kept apart: a flood of wrong
   * passwords never pushes out a valid credential.
   */
  cacheEntries?: number;
}

/**
 * Express-compatible middleware: when the web config has `basic_auth_users`, a request
 * without valid credentials gets 401 with `WWW-Authenticate`; otherwise it passes through.
 * New credentials are checked by a `PasswordChecker` (a worker thread, bounded per
 * second); when too many wait, the request gets 429 at once.
 */
export function basicAuth(webConfig: WebConfig | null, opts: BasicAuthOptions = {}): Middleware {
  const users = webConfig?.basicAuthUsers ?? new Map<string, string>();
  if (users.size === 0) return (_req, _res, next) => next();
  const valid = new OutcomeCache(opts.cacheEntries ?? 100);
  const invalid = new OutcomeCache(opts.cacheEntries ?? 100);
  const checker = new PasswordChecker(opts);

  const verify = async (user: string, password: string): Promise<boolean | "busy"> => {
    const hash = users.get(user);
    const key = createHash("sha256")
      .update(user)
      .update("\0")
      .update(hash ?? "")
      .update("\0")
      .update(password)
      .digest("hex");
    if (valid.has(key)) return true;
    if (invalid.has(key)) return false;
    const matches = await checker.check(password, hash ?? DUMMY_HASH);
    if (matches === "busy") return "busy";
    const ok = hash !== undefined && matches;
    (ok ? valid : invalid).add(key);
    return ok;
  };

  return (req, res, next) => {
    const credentials = parseBasicAuthorization(req.headers.authorization);
    if (!credentials) {
      unauthorized(res);
      return;
    }
    verify(credentials.user, credentials.password).then(
      (ok) => (ok === "busy" ? tooManyChecks(res) : ok ? next() : unauthorized(res)),
      (err: unknown) => next(err),
    );
  };
}
