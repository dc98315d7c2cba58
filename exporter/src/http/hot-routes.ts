/**
 * The handlers of the routes scraped and polled often (`/metrics`, `/api/v1/summary`,
 * `/api/v1/windows`, `/healthz`), routed by express (app.ts), answering with plain `http`
 * calls from bodies and headers prepared when the state changed: no per-request serialization.
 */
import type * as http from "node:http";
import { MetricsExposition, responseHeaders, type RenderedMetrics } from "../metrics/exposition";
import type { ExporterState } from "../state/state";

const JSON_TYPE = "application/json; charset=utf-8";

/** A pre-serialized JSON string as a Buffer with its headers, redone only when the string changes. */
class JsonBody {
  private text: string | null = null;
  private body = Buffer.alloc(0);
  private headers: string[] = [];

  send(res: http.ServerResponse, text: string): void {
    if (text !== this.text) {
      this.body = Buffer.from(text, "utf8");
      this.headers = ["Content-Type", JSON_TYPE, "Content-Length", String(this.body.length)];
      this.text = text;
    }
    res.writeHead(200, this.headers);
    res.end(this.body);
  }
}

/** Whether `Accept-Encoding` accepts gzip (`gzip` or `x-gzip`, q above 0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  if (header === "gzip") return true;
  const lower = header.toLowerCase();
  if (!lower.includes("gzip")) return false;
  for (const part of lower.split(",")) {
    const [coding, ...params] = part.split(";").map((s) => s.trim());
    if (coding !== "gzip" && coding !== "x-gzip") continue;
    const q = params.find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  }
  return false;
}

export class HotRoutes {
  private readonly summary = new JsonBody();
  private readonly windows = new JsonBody();

  constructor(
    private readonly state: ExporterState,
    private readonly exposition: MetricsExposition,
  ) {}

  metrics(req: http.IncomingMessage, res: http.ServerResponse): void {
    const gzip = acceptsGzip(req.headers["accept-encoding"]);
    if (!this.exposition.hasLiveMetrics) {
      const fresh = this.exposition.fresh();
      if (fresh !== null) {
        writeMetrics(res, fresh, gzip);
        return;
      }
    }
    this.metricsAfterRendering(res, gzip).catch(() => internalError(res));
  }

  summaryJson(res: http.ServerResponse): void {
    this.summary.send(res, this.state.summaryJson);
  }

  windowsJson(res: http.ServerResponse): void {
    this.windows.send(res, this.state.windowsJson);
  }

  /** Small and read rarely: built on each call, so it never lags a status change. */
  healthz(res: http.ServerResponse): void {
    const healthy = this.state.dbProblem === null && this.state.metricsProblem === null;
    const body = Buffer.from(
      JSON.stringify({
        status: healthy ? "ok" : "unhealthy",
        database: this.state.dbProblem ?? "ok",
        metrics: this.state.metricsProblem ?? "ok",
        sources: this.state.statuses().map((s) => ({
          source: s.source,
          state: s.state,
          message: s.message,
          lastSuccessMs: s.lastSuccessMs,
          lastErrorReason: s.lastErrorReason,
        })),
      }),
      "utf8",
    );
    res.writeHead(healthy ? 200 : 503, ["Content-Type", JSON_TYPE, "Content-Length", String(body.length)]);
    res.end(body);
  }

  private async metricsAfterRendering(res: http.ServerResponse, gzip: boolean): Promise<void> {
    const rendered = await this.exposition.current();
    const live = await this.exposition.liveText();
    if (live === "") {
      writeMetrics(res, rendered, gzip);
      return;
    }
    // With process metrics the body differs on every scrape: sent as is, uncompressed.
    const body = Buffer.concat([rendered.body, Buffer.from(live, "utf8")]);
    res.writeHead(200, responseHeaders(this.exposition.contentType, body, null));
    res.end(body);
  }
}

function writeMetrics(res: http.ServerResponse, rendered: RenderedMetrics, gzip: boolean): void {
  if (gzip) {
    const { body, headers } = rendered.gzip;
    res.writeHead(200, headers);
    res.end(body);
  } else {
    res.writeHead(200, rendered.headers);
    res.end(rendered.body);
  }
}

/** A failure inside a handler (never expected): 500, without details for the client. */
export function internalError(res: http.ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(500, ["Content-Type", "text/plain; charset=utf-8"]);
  res.end("internal error\n");
}
