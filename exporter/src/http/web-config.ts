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
import { parse as parseYaml } from "yaml";
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
/** Go-specific TLS tuning that Node (OpenSSL) has no faithful equivalent for: refused, never ignored. */
const UNSUPPORTED_TLS_KEYS = ["cipher_suites", "curve_preferences", "prefer_server_cipher_order"];
const BCRYPT_HASH = /^\$2[abxy]\$\d{2}\$[./A-Za-z0-9]{53}$/;

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function expectKeys(where: string, obj: Mapping, allowed: readonly string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key))
      throw new WebConfigError(`${where}: unknown setting '${key}' (allowed: ${allowed.join(", ")})`);
  }
}

function optionalString(where: string, obj: Mapping, key: string): string | null {
  const value = obj[key];
  if (value === undefined || value === null || value === "") return null;
  if (typeof value !== "string") throw new WebConfigError(`${where}: ${key} must be a string`);
  return value;
}

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
  tls: Mapping,
  name: "cert" | "key" | "client_ca",
  baseDir: string,
): { pem: string | null; file: string | null } {
  const file = optionalString(where, tls, `${name}_file`);
  const inline = optionalString(where, tls, name);
  if (file !== null && inline !== null) {
    throw new WebConfigError(`${where}: set ${name}_file or ${name}, not both`);
  }
  if (file === null) return { pem: inline, file: null };
  const resolved = path.resolve(baseDir, file);
  return { pem: readPem(where, `${name}_file`, resolved), file: resolved };
}

function tlsVersion(where: string, tls: Mapping, key: string): TlsVersionName | null {
  const value = optionalString(where, tls, key);
  if (value === null) return null;
  if (!(value in TLS_VERSIONS))
    throw new WebConfigError(
      `${where}: ${key} '${value}' is not one of ${Object.keys(TLS_VERSIONS).join(", ")}`,
    );
  return value as TlsVersionName;
}

function parseTls(where: string, raw: unknown, baseDir: string): TlsServerConfig | null {
  if (raw === undefined || raw === null) return null;
  if (!isMapping(raw)) throw new WebConfigError(`${where}: must be a mapping`);
  for (const key of UNSUPPORTED_TLS_KEYS) {
    if (raw[key] !== undefined) {
      throw new WebConfigError(
        `${where}: ${key} is not supported by quotacast (Node.js uses OpenSSL's defaults); remove it`,
      );
    }
  }
  expectKeys(where, raw, [
    "cert_file",
    "key_file",
    "cert",
    "key",
    "client_auth_type",
    "client_ca_file",
    "client_ca",
    "min_version",
    "max_version",
  ]);
  const cert = pemSetting(where, raw, "cert", baseDir);
  const key = pemSetting(where, raw, "key", baseDir);
  if (cert.pem === null) throw new WebConfigError(`${where}: cert_file is required`);
  if (key.pem === null) throw new WebConfigError(`${where}: key_file is required`);
  const authRaw = optionalString(where, raw, "client_auth_type") ?? "NoClientCert";
  // exporter-toolkit still accepts the old name.
  const clientAuthType = (
    authRaw === "RequireClientCert" ? "RequireAnyClientCert" : authRaw
  ) as ClientAuthType;
  if (!CLIENT_AUTH_TYPES.includes(clientAuthType)) {
    throw new WebConfigError(
      `${where}: client_auth_type '${authRaw}' is not one of ${CLIENT_AUTH_TYPES.join(", ")}`,
    );
  }
  const clientCa = pemSetting(where, raw, "client_ca", baseDir);
  if (clientCa.pem !== null && clientAuthType === "NoClientCert") {
    throw new WebConfigError(
      `${where}: client_ca_file is set but client_auth_type is NoClientCert (set RequireAndVerifyClientCert)`,
    );
  }
  const minVersion = tlsVersion(where, raw, "min_version") ?? "TLS12";
  const maxVersion = tlsVersion(where, raw, "max_version");
  if (maxVersion !== null && maxVersion < minVersion) {
    throw new WebConfigError(`${where}: max_version ${maxVersion} is below min_version ${minVersion}`);
  }
  return {
    certPem: cert.pem,
    keyPem: key.pem,
    clientAuthType,
    clientCaPem: clientCa.pem,
    certFile: cert.file,
    keyFile: key.file,
    clientCaFile: clientCa.file,
    minVersion,
    maxVersion,
  };
}

function parseUsers(where: string, raw: unknown): Map<string, string> {
  const users = new Map<string, string>();
  if (raw === undefined || raw === null) return users;
  if (!isMapping(raw)) throw new WebConfigError(`${where}: must be a mapping of user name to bcrypt hash`);
  for (const [name, hash] of Object.entries(raw)) {
    if (name === "" || name.includes(":")) throw new WebConfigError(`${where}: invalid user name '${name}'`);
    if (typeof hash !== "string" || !BCRYPT_HASH.test(hash)) {
      // Never echo the value: it might be a plain password written by mistake.
      throw new WebConfigError(
        `${where}: the password of '${name}' must be a bcrypt hash ($2y$10$..., e.g. from htpasswd -nBC 10 "" | tr -d ':\\n'), not a plain password`,
      );
    }
    users.set(name, hash);
  }
  return users;
}

function parseHeaders(where: string, raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (!isMapping(raw)) throw new WebConfigError(`${where}: must be a mapping`);
  expectKeys(where, raw, ["headers", "http2"]);
  if (raw.headers === undefined || raw.headers === null) return {};
  if (!isMapping(raw.headers)) throw new WebConfigError(`${where}.headers: must be a mapping`);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw.headers)) {
    const allowed = ALLOWED_HEADERS.find((h) => h.toLowerCase() === name.toLowerCase());
    if (!allowed)
      throw new WebConfigError(
        `${where}.headers: '${name}' cannot be set (allowed: ${ALLOWED_HEADERS.join(", ")})`,
      );
    if (typeof value !== "string") throw new WebConfigError(`${where}.headers: ${name} must be a string`);
    headers[allowed] = value;
  }
  return headers;
}

/** Validates a web config's text. Relative file paths are resolved against `baseDir`. */
export function parseWebConfig(text: string, baseDir: string, source = "web config"): WebConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new WebConfigError(`${source} is not valid YAML: ${(err as Error).message}`);
  }
  if (raw === null || raw === undefined) return { tls: null, basicAuthUsers: new Map(), headers: {} };
  if (!isMapping(raw))
    throw new WebConfigError(`${source} must be a mapping (tls_server_config, basic_auth_users, ...)`);
  expectKeys(source, raw, ["tls_server_config", "basic_auth_users", "http_server_config"]);
  return {
    tls: parseTls(`${source}: tls_server_config`, raw.tls_server_config, baseDir),
    basicAuthUsers: parseUsers(`${source}: basic_auth_users`, raw.basic_auth_users),
    headers: parseHeaders(`${source}: http_server_config`, raw.http_server_config),
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
