/**
 * The exporter's HTTP face (express 5): `/metrics`, the JSON API, `/healthz` and a small
 * landing page. Handlers only read the in-memory state and pre-serialized bodies.
 */
import express, { type Express, type Request, type Response } from "express";
import type { Registry } from "prom-client";
import { normalizeDayKey } from "@quotacast/core";
import type { ExporterState } from "../state/state";
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

/** `auth`: basic auth from the web config (`basicAuth(...)`), applied to every path. */
export function createApp(state: ExporterState, registry: Registry, auth?: Middleware): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  if (auth) app.use(auth);

  app.get("/", (_req, res) => {
    res.type("html").send(LANDING_PAGE);
  });

  app.get("/metrics", async (_req, res) => {
    const started = process.hrtime.bigint();
    const body = await registry.metrics();
    state.lastScrapeDurationSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    res.set("Content-Type", registry.contentType).send(body);
  });

  app.get("/api/v1/summary", (_req, res) => sendJson(res, state.summaryJson));
  app.get("/api/v1/windows", (_req, res) => sendJson(res, state.windowsJson));

  app.get("/api/v1/daily", (req: Request, res: Response) => {
    const since = typeof req.query.since === "string" ? req.query.since : undefined;
    const sinceDay = since === undefined ? undefined : normalizeDayKey(since);
    if (sinceDay === null) {
      res.status(400).json({ error: `since must be a day (YYYY-MM-DD), got '${since}'` });
      return;
    }
    sendJson(res, JSON.stringify(state.usage.daily(sinceDay)));
  });

  app.get("/healthz", (_req, res) => {
    const body = {
      status: state.dbProblem === null ? "ok" : "unhealthy",
      database: state.dbProblem ?? "ok",
      sources: state.statuses().map((s) => ({
        source: s.source,
        state: s.state,
        message: s.message,
        lastSuccessMs: s.lastSuccessMs,
        lastErrorReason: s.lastErrorReason,
      })),
    };
    res.status(state.dbProblem === null ? 200 : 503).json(body);
  });

  app.use((_req: Request, res: Response) => {
    res.status(404).type("text").send("not found: see / for what is served\n");
  });
  return app;
}

function sendJson(res: Response, body: string): void {
  res.set("Content-Type", "application/json; charset=utf-8").send(body);
}
