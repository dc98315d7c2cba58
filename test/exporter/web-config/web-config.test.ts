import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import * as os from "node:os";
import * as path from "node:path";
import * as bcrypt from "bcryptjs";
import express from "express";
import {
  basicAuth,
  createServer,
  loadWebConfig,
  parseWebConfig,
  WebConfigError,
  type WebConfig,
} from "../../../exporter/src/http/web-config";

// Cost 4: the lowest bcrypt allows, so tests stay fast; the format is the same.
const PROMETHEUS_PASSWORD = "correct horse battery staple";
const PROMETHEUS_HASH = bcrypt.hashSync(PROMETHEUS_PASSWORD, 4);

let tmp: string;

/** A self-signed certificate for 127.0.0.1, made with openssl in the temp dir. */
function selfSigned(name: string): { cert: string; key: string } {
  const cert = path.join(tmp, `${name}.crt`);
  const key = path.join(tmp, `${name}.key`);
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      key,
      "-out",
      cert,
      "-days",
      "2",
      "-subj",
      `/CN=${name}`,
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ],
    { stdio: "ignore" },
  );
  return { cert, key };
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "quotacast-webconfig-"));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function writeConfig(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

function appWithAuth(webConfig: WebConfig | null, compare?: (p: string, h: string) => Promise<boolean>) {
  const app = express();
  app.use(basicAuth(webConfig, compare ? { compare } : {}));
  app.get("/metrics", (_req, res) => {
    res.type("text/plain").send("quotacast_up 1\n");
  });
  return app;
}

async function listen(server: http.Server | https.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

async function close(server: http.Server | https.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(url: string, opts: https.RequestOptions = {}): Promise<Reply> {
  const client = url.startsWith("https:") ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, { agent: false, ...opts }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
  });
}

const basic = (user: string, password: string) => ({
  Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`,
});

describe("parseWebConfig", () => {
  test.each([
    ["tls_server_config: [", /not valid YAML/],
    ["- a\n- b\n", /must be a mapping/],
    ["basic_auth: {}\n", /web config: basic_auth: unknown setting \(allowed: tls_server_config, /],
    ["tls_server_config:\n  key_file: x.key\n", /cannot read key_file .*x\.key/],
    ["tls_server_config:\n  cert: abc\n", /key_file is required/],
    [
      "tls_server_config:\n  cert: a\n  key: b\n  client_auth_type: Sometimes\n",
      /tls_server_config.client_auth_type: 'Sometimes' is not one of NoClientCert, /,
    ],
    [
      "tls_server_config:\n  cert: a\n  key: b\n  client_ca: c\n",
      /client_ca_file is set but client_auth_type is NoClientCert/,
    ],
    [
      "tls_server_config:\n  cert: a\n  key: b\n  min_version: TLS14\n",
      /tls_server_config.min_version: 'TLS14' is not one of TLS10, /,
    ],
    [
      "tls_server_config:\n  cert: a\n  key: b\n  min_version: TLS13\n  max_version: TLS12\n",
      /max_version TLS12 is below/,
    ],
    [
      "tls_server_config:\n  cert: a\n  key: b\n  cipher_suites: [TLS_AES_128_GCM_SHA256]\n",
      /tls_server_config.cipher_suites: is not supported/,
    ],
    [
      "http_server_config:\n  headers:\n    Set-Cookie: a=b\n",
      /http_server_config.headers.Set-Cookie: cannot be set/,
    ],
    [
      "http_server_config:\n  headers:\n    X-Frame-Options: [DENY]\n",
      /headers.X-Frame-Options: must be a string/,
    ],
    ["tls_server_config:\n  cert_file: 5\n", /web config: tls_server_config.cert_file: must be a string/],
    ["tls_server_config: [a, b]\n", /web config: tls_server_config: must be a mapping/],
    ["basic_auth_users:\n  'a:b': x\n", /basic_auth_users.a:b: invalid user name 'a:b'/],
  ])("refuses %j with a clear message", (text, message) => {
    expect(() => parseWebConfig(text, tmp)).toThrow(WebConfigError);
    expect(() => parseWebConfig(text, tmp)).toThrow(message);
  });

  test("refuses a plain password without echoing it", () => {
    let message = "";
    try {
      parseWebConfig("basic_auth_users:\n  prometheus: hunter2-secret\n", tmp);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/basic_auth_users.prometheus: must be a bcrypt hash/);
    expect(message).not.toContain("hunter2-secret");
  });

  test("an empty file means plain HTTP without authentication", () => {
    expect(parseWebConfig("", tmp)).toEqual({ tls: null, basicAuthUsers: new Map(), headers: {} });
  });

  test("reads files relative to the config file, with exporter-toolkit's defaults", () => {
    const { cert, key } = selfSigned("relative");
    const dir = fs.mkdtempSync(path.join(tmp, "conf-"));
    fs.copyFileSync(cert, path.join(dir, "server.crt"));
    fs.copyFileSync(key, path.join(dir, "server.key"));
    const file = path.join(dir, "web.yml");
    fs.writeFileSync(
      file,
      `tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\nbasic_auth_users:\n  prometheus: ${PROMETHEUS_HASH}\n`,
    );
    const config = loadWebConfig(file);
    expect(config.tls).toMatchObject({
      certPem: fs.readFileSync(cert, "utf8"),
      clientAuthType: "NoClientCert",
      clientCaPem: null,
      minVersion: "TLS12",
    });
    expect([...config.basicAuthUsers.keys()]).toEqual(["prometheus"]);
    expect(() => loadWebConfig(path.join(dir, "missing.yml"))).toThrow(
      /cannot read web config file .*missing\.yml/,
    );
  });
});

describe("createServer and basicAuth over real sockets", () => {
  test("serves HTTPS with the configured certificate and checks basic auth", async () => {
    const { cert, key } = selfSigned("server");
    const config = loadWebConfig(
      writeConfig(
        "tls-auth.yml",
        `tls_server_config:\n  cert_file: ${cert}\n  key_file: ${key}\nbasic_auth_users:\n  prometheus: ${PROMETHEUS_HASH}\n` +
          "http_server_config:\n  headers:\n    X-Frame-Options: deny\n",
      ),
    );
    const server = createServer(appWithAuth(config), config);
    expect(server).toBeInstanceOf(https.Server);
    const port = await listen(server);
    const url = `https://127.0.0.1:${port}/metrics`;
    const ca = fs.readFileSync(cert);
    try {
      const anonymous = await get(url, { ca });
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers["www-authenticate"]).toMatch(/^Basic /);
      expect(anonymous.headers["x-frame-options"]).toBe("deny");
      expect((await get(url, { ca, headers: basic("prometheus", "wrong") })).status).toBe(401);
      expect((await get(url, { ca, headers: basic("nobody", PROMETHEUS_PASSWORD) })).status).toBe(401);
      expect((await get(url, { ca, headers: { Authorization: "Basic !!!" } })).status).toBe(401);
      const ok = await get(url, { ca, headers: basic("prometheus", PROMETHEUS_PASSWORD) });
      expect(ok).toMatchObject({ status: 200, body: "quotacast_up 1\n" });
      // A client that does not trust the certificate cannot connect.
      await expect(get(url)).rejects.toThrow(/self.signed/i);
    } finally {
      await close(server);
    }
  });

  test("picks up a renewed certificate without a restart", async () => {
    const first = selfSigned("first");
    const renewed = selfSigned("renewed");
    const certFile = path.join(tmp, "live.crt");
    const keyFile = path.join(tmp, "live.key");
    fs.copyFileSync(first.cert, certFile);
    fs.copyFileSync(first.key, keyFile);
    const config = parseWebConfig(
      `tls_server_config:\n  cert_file: ${certFile}\n  key_file: ${keyFile}\n`,
      tmp,
    );
    const server = createServer(appWithAuth(config), config, { certificateCheckMs: 0 });
    const port = await listen(server);
    const servedCommonName = () =>
      new Promise<string>((resolve, reject) => {
        const req = https.get(
          `https://127.0.0.1:${port}/metrics`,
          { agent: false, rejectUnauthorized: false },
          (res) => {
            const subject = (res.socket as TLSSocket).getPeerCertificate().subject;
            res.resume();
            res.on("end", () => resolve(String(subject.CN)));
          },
        );
        req.on("error", reject);
      });
    try {
      expect(await servedCommonName()).toBe("first");
      fs.copyFileSync(renewed.cert, certFile);
      fs.copyFileSync(renewed.key, keyFile);
      const later = new Date(Date.now() + 60_000);
      fs.utimesSync(certFile, later, later);
      await servedCommonName(); // this connection notices the change; the next handshake uses it
      expect(await servedCommonName()).toBe("renewed");
      // A broken file keeps the certificate in use.
      fs.writeFileSync(certFile, "not a certificate");
      await servedCommonName();
      expect(await servedCommonName()).toBe("renewed");
    } finally {
      await close(server);
    }
  });

  test("runs bcrypt once per distinct credential, not on every scrape", async () => {
    const config = parseWebConfig(`basic_auth_users:\n  prometheus: ${PROMETHEUS_HASH}\n`, tmp);
    const compared: string[] = [];
    const compare = (password: string, hash: string) => {
      compared.push(password);
      return bcrypt.compare(password, hash);
    };
    const server = createServer(appWithAuth(config, compare), config);
    expect(server).not.toBeInstanceOf(https.Server);
    const port = await listen(server);
    const url = `http://127.0.0.1:${port}/metrics`;
    try {
      for (let i = 0; i < 3; i++) {
        expect((await get(url, { headers: basic("prometheus", PROMETHEUS_PASSWORD) })).status).toBe(200);
        expect((await get(url, { headers: basic("prometheus", "wrong") })).status).toBe(401);
      }
      expect(compared).toEqual([PROMETHEUS_PASSWORD, "wrong"]);
    } finally {
      await close(server);
    }
  });

  test("without users the middleware lets every request through", async () => {
    const server = createServer(appWithAuth(null), null);
    const port = await listen(server);
    try {
      expect((await get(`http://127.0.0.1:${port}/metrics`)).status).toBe(200);
    } finally {
      await close(server);
    }
  });

  test("min_version refuses older clients", async () => {
    const { cert, key } = selfSigned("tls13");
    const config = parseWebConfig(
      `tls_server_config:\n  cert_file: ${cert}\n  key_file: ${key}\n  min_version: TLS13\n`,
      tmp,
    );
    const server = createServer(appWithAuth(config), config);
    const port = await listen(server);
    const ca = fs.readFileSync(cert);
    try {
      await expect(get(`https://127.0.0.1:${port}/metrics`, { ca, maxVersion: "TLSv1.2" })).rejects.toThrow();
      expect((await get(`https://127.0.0.1:${port}/metrics`, { ca })).status).toBe(200);
    } finally {
      await close(server);
    }
  });

  test.each(["RequireAndVerifyClientCert", "RequireAnyClientCert"])(
    "%s refuses a client without a certificate and accepts one with it",
    async (clientAuthType) => {
      const server_ = selfSigned(`server-${clientAuthType}`);
      const client = selfSigned(`client-${clientAuthType}`);
      const config = parseWebConfig(
        `tls_server_config:\n  cert_file: ${server_.cert}\n  key_file: ${server_.key}\n` +
          `  client_auth_type: ${clientAuthType}\n  client_ca_file: ${client.cert}\n`,
        tmp,
      );
      const server = createServer(appWithAuth(config), config);
      const port = await listen(server);
      const url = `https://127.0.0.1:${port}/metrics`;
      const ca = fs.readFileSync(server_.cert);
      try {
        await expect(get(url, { ca })).rejects.toThrow();
        const withCert = await get(url, {
          ca,
          cert: fs.readFileSync(client.cert),
          key: fs.readFileSync(client.key),
        });
        expect(withCert.status).toBe(200);
      } finally {
        await close(server);
      }
    },
  );
});
