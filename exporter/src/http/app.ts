/**
 * The exporter's HTTP face: `/metrics`, the JSON API, `/healthz` and a small landing page.
 *
 * One server, one router: express routes every path. It used to share the work with a
 * hand-written `http` dispatcher for the exact hot paths, which meant two places deciding
 * what a URL means (HEAD, `?query`, trailing slashes and 404s handled by one but not the
 * other). The speed never came from skipping express but from what the handlers do: the hot
 * routes (`HotRoutes`) send bodies and headers prepared when the state changed, so a scrape
 * costs a route match and a write. They are registered first, with no middleware before them
 * (basic auth from the web config is the only thing that runs earlier, by design).
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
  if (!auth) return app;
  return (req, res) => {
    auth(req, res, (err?: unknown) => {
      if (err) internalError(res);
      else app(req, res);
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

/** Every route; the hot ones first, as cached handlers (GET also answers HEAD, `?query`, `/metrics/`). */
function createExpressApp(state: ExporterState, hot: HotRoutes): express.Express {
  const app = express();
  const daily = new VersionedBodies();
  app.disable("x-powered-by");
  app.set("etag", false);

  app.get("/metrics", (req, res) => hot.metrics(req, res));
  app.get("/api/v1/summary", (req, res) => hot.summaryJson(req, res));
  app.get("/api/v1/windows", (req, res) => hot.windowsJson(req, res));

  app.get("/", (_req, res) => {
    res.type("html").send(LANDING_PAGE);
  });

  app.get("/api/v1/daily", (req: Request, res: Response) => {
    const since = typeof req.query.since === "string" ? req.query.since : undefined;
    if (since === undefined) {
      hot.dailyJson(req, res);
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

  app.get("/healthz", (_req, res) => hot.healthz(res));

  app.use((_req: Request, res: Response) => {
    res.status(404).type("text").send("not found: see / for what is served\n");
  });
  return app;
}
