/**
 * A fake Anthropic API on loopback (127.0.0.1, port 0) for tests: program a response (or a
 * sequence of responses) per path, then assert on the request log. Reusable by any test
 * that talks HTTP to Anthropic.
 *
 *   const server = await FakeAnthropicServer.start();
 *   server.on("/api/oauth/usage", { status: 200, body: {...} });
 *   server.on("/api/oauth/usage", [{ status: 429, headers: { "retry-after": "0" } }, { status: 200, body }]);
 *   server.on("/slow", { hang: true });           // never answers
 *   ... server.baseUrl ... server.requestsTo("/api/oauth/usage") ...
 *   await server.close();
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as they are (for malformed bodies). */
  body?: unknown;
  /** Never answer (the socket stays open until the client gives up or the server closes). */
  hang?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** The Host header, to check where a request went. */
  host: string;
}

export type Responder = FakeResponse | ((request: RecordedRequest) => FakeResponse);

export class FakeAnthropicServer {
  readonly requests: RecordedRequest[] = [];
  private readonly routes = new Map<string, { responders: Responder[]; served: number }>();

  private constructor(
    private readonly server: http.Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<FakeAnthropicServer> {
    let instance: FakeAnthropicServer | null = null;
    const server = http.createServer((req, res) => instance?.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    instance = new FakeAnthropicServer(server, `http://127.0.0.1:${port}`);
    return instance;
  }

  /** Programs `path`: one response for every request, or a sequence whose last entry repeats. */
  on(path: string, responders: Responder | Responder[]): this {
    this.routes.set(path, { responders: Array.isArray(responders) ? responders : [responders], served: 0 });
    return this;
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** Forgets routes and the request log. */
  reset(): void {
    this.routes.clear();
    this.requests.length = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
    }
    const request: RecordedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams.entries()),
      headers,
      host: headers.host ?? "",
    };
    this.requests.push(request);
    const route = this.routes.get(url.pathname);
    if (!route) {
      send(res, {
        status: 404,
        body: { type: "error", error: { type: "not_found_error", message: "no route" } },
      });
      return;
    }
    const responder = route.responders[Math.min(route.served, route.responders.length - 1)];
    route.served += 1;
    const response = typeof responder === "function" ? responder(request) : responder;
    if (response.hang) return;
    send(res, response);
  }
}

function send(res: http.ServerResponse, response: FakeResponse): void {
  const body =
    response.body === undefined
      ? ""
      : typeof response.body === "string"
        ? response.body
        : JSON.stringify(response.body);
  res.writeHead(response.status ?? 200, { "content-type": "application/json", ...(response.headers ?? {}) });
  res.end(body);
}

/** Anthropic's error body shape. */
export function anthropicError(type: string, message: string, details?: Record<string, unknown>): unknown {
  return { type: "error", error: { type, message, ...(details ?? {}) } };
}
