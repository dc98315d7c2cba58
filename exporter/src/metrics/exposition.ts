/**
 * The `/metrics` text, rendered once per state change and served from memory: a scrape
 * costs a version check, not a collection. A rendering is kept while the state's version
 * is the one it was rendered at and the clock has not reached a time at which a series
 * changes by itself (`MetricsRegistry.validUntilMs`). Its gzip is made once, when first asked for.
 */
import { gzipSync } from "node:zlib";
import { PreparedBody } from "../http/prepared-body";
import { silentLogger, type Logger } from "../state/log";
import type { ExporterState } from "../state/state";
import type { MetricsRegistry } from "./registry";

/** One rendering of the exposition, with its response headers and ETag, ready to be written. */
export class RenderedMetrics {
  readonly plain: PreparedBody;
  private gzipped: PreparedBody | null = null;

  constructor(
    text: string,
    private readonly contentType: string,
    /** The state version it was rendered at. */
    readonly version: number,
    /** When it goes stale by the clock alone (Infinity: only a state change makes it stale). */
    readonly validUntilMs: number,
  ) {
    this.plain = PreparedBody.fromText(text, contentType, VARY);
  }

  get body(): Buffer {
    return this.plain.body;
  }

  /** Whether the gzipped body is made already (else `gzip` makes it). */
  get hasGzip(): boolean {
    return this.gzipped !== null;
  }

  /** The body gzipped (made on first use, or ahead by whoever prepares renderings) with its headers. */
  get gzip(): PreparedBody {
    this.gzipped ??= new PreparedBody(gzipSync(this.plain.body), this.contentType, [
      ...VARY,
      "Content-Encoding",
      "gzip",
    ]);
    return this.gzipped;
  }
}

/** `Vary` on every answer: the same URL answers gzip or plain text by `Accept-Encoding`. */
const VARY = ["Vary", "Accept-Encoding"] as const;

export class MetricsExposition {
  private rendered: RenderedMetrics | null = null;
  private rendering: Promise<RenderedMetrics> | null = null;

  constructor(
    private readonly state: ExporterState,
    readonly registry: MetricsRegistry,
    private readonly nowMs: () => number = Date.now,
    private readonly log: Logger = silentLogger,
  ) {}

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Process metrics (`--metrics.process`) change on their own: rendered on every scrape. */
  get hasLiveMetrics(): boolean {
    return this.registry.live !== null;
  }

  /** The latest rendering, true or not (null before the first). */
  get latest(): RenderedMetrics | null {
    return this.rendered;
  }

  /** The current rendering when still true, else null (then call `render()`). */
  fresh(): RenderedMetrics | null {
    const r = this.rendered;
    if (r === null || r.version !== this.state.version) return null;
    if (r.validUntilMs !== Infinity && this.nowMs() >= r.validUntilMs) return null;
    return r;
  }

  /** Renders the exporter's series again; scrapes that arrive meanwhile share the rendering. */
  render(): Promise<RenderedMetrics> {
    this.rendering ??= this.renderNow().finally(() => {
      this.rendering = null;
    });
    return this.rendering;
  }

  /** The exporter's series, fresh or re-rendered. */
  current(): RenderedMetrics | Promise<RenderedMetrics> {
    return this.fresh() ?? this.render();
  }

  /** The process metrics' text (empty without `--metrics.process`), to append to `current()`'s body. */
  async liveText(): Promise<string> {
    const live = this.registry.live;
    return live === null ? "" : `\n${await live.metrics()}`;
  }

  private async renderNow(): Promise<RenderedMetrics> {
    // A job may change the state while the collection awaits: the rendering keeps the
    // version it started from, so the next scrape renders again.
    const version = this.state.version;
    const started = process.hrtime.bigint();
    let text: string;
    try {
      text = await this.registry.metrics();
    } catch (error) {
      // Never expected: said in the log and on /healthz, not only as a 500 to the scraper.
      const message = error instanceof Error ? error.message : String(error);
      if (this.state.metricsProblem !== message)
        this.log("error", "rendering /metrics failed", { error: message });
      this.state.metricsProblem = message;
      throw error;
    }
    this.state.metricsProblem = null;
    const rendered = new RenderedMetrics(text, this.contentType, version, this.registry.validUntilMs);
    this.state.lastScrapeDurationSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.rendered = rendered;
    return rendered;
  }
}
