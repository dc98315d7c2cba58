/**
 * The exporter's HTTP face: `/metrics`, the JSON API, `/healthz` and a small landing page.
 *
 * One server, two steps. A front handler answers GET and HEAD on the exact paths of the hot
 * routes (`HotRoutes.byPath`: a map lookup); every other request goes to express: the hot
 * routes' variants (`?query`, `/metrics/`, `/METRICS`), other methods, every other path and
 * the 404s. Why not express alone: the hot bodies are prepared when the state changes, so a
 * scrape is a lookup and a write, and express 5 (its router, and the request and response it
 * sets up) costs about four times that write. Under wrk (50 connections, one Node thread,
 * the 10 KB `/metrics`), express answered about 4k req/s where a bare `http` handler with
 * the same body answers 17-20k, and the front handler as many: that decides the p99 under
 * load. Why not drop express: the routes that are not hot (query parsing, the landing page,
 * 404s, the variants) stay declared in one router; the front handler never decides what a
 * path means, it serves the very handlers express registers for it (a test checks both
 * answer alike). Basic auth from the web config runs before both, by design.
 */
import type * as http from "node:http";
import express, { type Request, type Response } from "express";
import { normalizeDayKey } from "@quotacast/core";
import { MetricsExposition } from "../metrics/exposition";
import type { MetricsRegistry } from "../metrics/registry";
import type { Logger } from "../state/log";
import type { ExporterState } from "../state/state";
import { HotRoutes, internalError, PreparedBodies } from "./hot-routes";
import type { Middleware } from "./web-config";
import { VERSION } from "../version";

const LANDING_PAGE = `<!doctype html>
<html>
<head><title>quotacast exporter</title></head>
<body>
<h1>quotacast exporter</h1>
<p>Version ${VERSION}. Claude subscription limits, usage and forecasts.</p>
<ul>
<li><a href="metrics">metrics</a></li>
<li><a href="api/v1/summary">api/v1/summary</a>: the Summary (today, week, block, windows, forecasts)</li>
<li><a href="api/v1/windows">api/v1/windows</a>: rate-limit windows with forecasts</li>
<li><a href="api/v1/daily">api/v1/daily?since=YYYY-MM-DD</a>: usage and cost per day</li>
<li><a href="healthz">healthz</a>: health, per source</li>
</ul>
</body>
</html>
`;

/**
 * The request handler for `createServer`. `auth`: basic auth from the web config
 * (`basicAuth(...)`), applied to every path before anything is answered.
 */
export function createApp(
  state: ExporterState,
  registry: MetricsRegistry,
  auth?: Middleware,
  log?: Logger,
): http.RequestListener {
  const prepared = new PreparedBodies(state, new MetricsExposition(state, registry, Date.now, log));
  const hot = new HotRoutes(state, prepared);
  const app = createExpressApp(state, hot);
  const serve: http.RequestListener = (req, res) => {
    const hotRoute =
      req.method === "GET" || req.method === "HEAD" ? hot.byPath.get(req.url ?? "") : undefined;
    if (hotRoute === undefined) {
      app(req, res);
      return;
    }
    try {
      hotRoute(req, res);
    } catch {
      internalError(res); // as express answers a handler that throws
    }
  };
  if (!auth) return serve;
  return (req, res) => {
    auth(req, res, (err?: unknown) => {
      if (err) internalError(res);
      else serve(req, res);
    });
  };
}

/**
 * Rendered bodies per query, valid for one version of the usage totals (which moves on every
 * ledger commit, not on source polls): repeated polls of `/api/v1/daily` cost a map lookup,
 * not a serialization.
 */
class VersionedBodies {
  private version = -1;
  private readonly bodies = new Map<string, Buffer>();

  body(version: number, query: string, render: () => string): Buffer {
    if (version !== this.version) {
      this.bodies.clear();
      this.version = version;
    }
    let body = this.bodies.get(query);
    if (body === undefined) {
      if (this.bodies.size >= 64) this.bodies.clear(); // many distinct ?since= values: stay small
      body = Buffer.from(render(), "utf8");
      this.bodies.set(query, body);
    }
    return body;
  }
}

/** Every route: the hot ones with their variants (GET also answers HEAD, `?query`, `/metrics/`), then the rest. */
function createExpressApp(state: ExporterState, hot: HotRoutes): express.Express {
  const app = express();
  const daily = new VersionedBodies();
  app.disable("x-powered-by");
  app.set("etag", false);

  // `?since=`: rendered per day asked for; without it, the prepared body (next route).
  app.get("/api/v1/daily", (req: Request, res: Response, next: () => void) => {
    const since = typeof req.query.since === "string" ? req.query.since : undefined;
    if (since === undefined) {
      next();
      return;
    }
    const sinceDay = normalizeDayKey(since);
    if (sinceDay === null) {
      res.status(400).json({ error: `since must be a day (YYYY-MM-DD), got '${since}'` });
      return;
    }
    const body = daily.body(state.usage.version, sinceDay, () => JSON.stringify(state.usage.daily(sinceDay)));
    res.writeHead(200, [
      "Content-Type",
      "application/json; charset=utf-8",
      "Content-Length",
      String(body.length),
    ]);
    res.end(body);
  });
  for (const [path, handler] of hot.byPath) app.get(path, handler);

  app.get("/", (_req, res) => {
    res.type("html").send(LANDING_PAGE);
  });

  app.use((_req: Request, res: Response) => {
    res.status(404).type("text").send("not found: see / for what is served\n");
  });
  return app;
}
