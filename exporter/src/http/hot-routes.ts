/**
 * The handlers of the routes scraped and polled often (`/metrics`, `/api/v1/summary`,
 * `/api/v1/windows`, `/api/v1/daily`, `/healthz`), answered by the front handler on their
 * exact paths and by express on their variants (app.ts), with plain `http` calls from
 * bodies prepared when the state changed (`PreparedBodies`): no per-request
 * serialization, no rendering on a request.
 */
import type * as http from "node:http";
import type { MetricsExposition, RenderedMetrics } from "../metrics/exposition";
import type { ExporterState } from "../state/state";
import { PreparedBody } from "./prepared-body";

const JSON_TYPE = "application/json; charset=utf-8";

/**
 * At most one rebuild per this interval while changes keep coming without a job settling
 * them (commits during an ingest): the bodies lag the ingest by at most this much.
 */
const REBUILD_INTERVAL_MS = 250;

/**
 * The hot routes' bodies, rebuilt off the request path: after a change
 * (`ExporterState.markChanged`), in the same task when the last rebuild is older than
 * `REBUILD_INTERVAL_MS`, else by a timer at that time; after a job settles its changes
 * (`ExporterState.settle`), at once. A rendering of the metrics that goes stale by the clock
 * alone (a window's reset) is rebuilt by a timer at that time. Requests only read the
 * latest bodies.
 */
export class PreparedBodies {
  summary: PreparedBody = PreparedBody.fromText("null", JSON_TYPE);
  windows: PreparedBody = PreparedBody.fromText("[]", JSON_TYPE);
  daily: PreparedBody = PreparedBody.fromText("[]", JSON_TYPE);
  /** How many times each body was built. */
  readonly builds = { metrics: 0, summary: 0, windows: 0, daily: 0 };
  /** Set once a scraper asked for gzip: from then on each rendering is gzipped as it is made. */
  gzipWanted = false;
  private summaryText: string | null = null;
  private windowsText: string | null = null;
  private dailyVersion = -1;
  private queued = false;
  /** The next rebuild of unsettled changes: on the next turn, or by the throttle's timer. */
  private pendingTurn: NodeJS.Immediate | null = null;
  private pendingTimer: NodeJS.Timeout | null = null;
  private clockTimer: NodeJS.Timeout | null = null;
  private lastRebuildMs = -Infinity;

  constructor(
    private readonly state: ExporterState,
    readonly exposition: MetricsExposition,
  ) {
    state.onChange((settled) => this.schedule(settled));
    this.schedule(true);
  }

  /**
   * A settled change: rebuilt at the end of this task (once, whatever the number of calls),
   * so the next request sees it. Other changes: in a task of its own on the next turn of the
   * event loop, or by the throttle's timer when the last rebuild is recent.
   */
  schedule(settled: boolean): void {
    if (this.queued) return;
    if (settled) {
      this.cancelPending();
      this.queued = true;
      queueMicrotask(() => {
        this.queued = false;
        this.runRebuild();
      });
      return;
    }
    if (this.pendingTurn !== null || this.pendingTimer !== null) return;
    const waitMs = REBUILD_INTERVAL_MS - (performance.now() - this.lastRebuildMs);
    if (waitMs > 0) this.pendingTimer = setTimeout(() => this.runRebuild(), waitMs).unref();
    else this.pendingTurn = setImmediate(() => this.runRebuild());
  }

  private cancelPending(): void {
    if (this.pendingTurn !== null) clearImmediate(this.pendingTurn);
    if (this.pendingTimer !== null) clearTimeout(this.pendingTimer);
    this.pendingTurn = null;
    this.pendingTimer = null;
  }

  private runRebuild(): void {
    this.cancelPending();
    this.lastRebuildMs = performance.now();
    this.rebuild().catch(() => {
      // Logged and shown on /healthz by the exposition; the previous bodies stay.
    });
  }

  /** Rebuilds whatever is out of date now: the JSON bodies, then the metrics' text. */
  async rebuild(): Promise<void> {
    this.rebuildJson();
    // A rendering joined while in progress may be of an older version: render again (bounded).
    for (let i = 0; i < 3 && this.exposition.fresh() === null; i++) {
      const rendered = await this.exposition.render();
      this.builds.metrics++;
      if (this.gzipWanted) void rendered.gzip;
      this.armClockTimer(rendered);
    }
  }

  private rebuildJson(): void {
    const { state } = this;
    if (state.summaryJson !== this.summaryText) {
      this.summary = PreparedBody.fromText(state.summaryJson, JSON_TYPE);
      this.summaryText = state.summaryJson;
      this.builds.summary++;
    }
    if (state.windowsJson !== this.windowsText) {
      this.windows = PreparedBody.fromText(state.windowsJson, JSON_TYPE);
      this.windowsText = state.windowsJson;
      this.builds.windows++;
    }
    if (state.usage.version !== this.dailyVersion) {
      this.daily = PreparedBody.fromText(JSON.stringify(state.usage.daily()), JSON_TYPE);
      this.dailyVersion = state.usage.version;
      this.builds.daily++;
    }
  }

  private armClockTimer(rendered: RenderedMetrics): void {
    if (this.clockTimer !== null) clearTimeout(this.clockTimer);
    this.clockTimer = null;
    if (rendered.validUntilMs === Infinity) return;
    const delayMs = Math.max(0, rendered.validUntilMs - Date.now());
    this.clockTimer = setTimeout(() => this.schedule(true), Math.min(delayMs, 2 ** 31 - 1));
    this.clockTimer.unref();
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

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export class HotRoutes {
  /**
   * The hot routes by exact path (no query, no trailing slash), GET and HEAD: what the front
   * handler answers (app.ts), and what express registers, so both route a path to the same
   * handler. HEAD gets the same headers without the body (node's `ServerResponse` drops it).
   */
  readonly byPath: ReadonlyMap<string, Handler>;

  constructor(
    private readonly state: ExporterState,
    private readonly prepared: PreparedBodies,
  ) {
    this.byPath = new Map<string, Handler>([
      ["/metrics", (req, res) => this.metrics(req, res)],
      ["/api/v1/summary", (req, res) => this.summaryJson(req, res)],
      ["/api/v1/windows", (req, res) => this.windowsJson(req, res)],
      ["/api/v1/daily", (req, res) => this.dailyJson(req, res)],
      ["/healthz", (_req, res) => this.healthz(res)],
    ]);
  }

  metrics(req: http.IncomingMessage, res: http.ServerResponse): void {
    const gzip = acceptsGzip(req.headers["accept-encoding"]);
    if (gzip) this.prepared.gzipWanted = true;
    const exposition = this.prepared.exposition;
    const latest = exposition.latest;
    if (!exposition.hasLiveMetrics && latest !== null) {
      // The latest rendering; a newer one is on its way when the state has changed.
      writeMetrics(req, res, latest, gzip);
      return;
    }
    this.metricsAfterRendering(req, res, gzip).catch(() => internalError(res));
  }

  summaryJson(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.prepared.summary.send(req, res);
  }

  windowsJson(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.prepared.windows.send(req, res);
  }

  dailyJson(req: http.IncomingMessage, res: http.ServerResponse): void {
    this.prepared.daily.send(req, res);
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

  /** Before the first rendering (at start-up only), or with process metrics (rendered per scrape). */
  private async metricsAfterRendering(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    gzip: boolean,
  ): Promise<void> {
    const exposition = this.prepared.exposition;
    const rendered = exposition.latest ?? (await exposition.current());
    const live = await exposition.liveText();
    if (live === "") {
      writeMetrics(req, res, rendered, gzip);
      return;
    }
    // With process metrics the body differs on every scrape: sent as is, uncompressed.
    const body = Buffer.concat([rendered.body, Buffer.from(live, "utf8")]);
    res.writeHead(200, [
      "Content-Type",
      exposition.contentType,
      "Content-Length",
      String(body.length),
      "Vary",
      "Accept-Encoding",
    ]);
    res.end(body);
  }
}

function writeMetrics(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  rendered: RenderedMetrics,
  gzip: boolean,
): void {
  (gzip ? rendered.gzip : rendered.plain).send(req, res);
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
