/**
 * A response body prepared once, off the request path: the bytes, their ETag and the
 * `writeHead` headers. A request writes them as they are (or answers 304 to a matching
 * `If-None-Match`); nothing is serialized, hashed or measured per request.
 */
import { createHash } from "node:crypto";
import type * as http from "node:http";

export class PreparedBody {
  /** `writeHead` headers (flat name, value list). */
  readonly headers: string[];
  readonly etag: string;

  constructor(
    readonly body: Buffer,
    contentType: string,
    extraHeaders: readonly string[] = [],
  ) {
    // Same bytes, same tag: a client's cached copy stays valid across rebuilds that change nothing.
    this.etag = `"${createHash("sha1").update(body).digest("base64url").slice(0, 20)}"`;
    this.headers = [
      "Content-Type",
      contentType,
      "Content-Length",
      String(body.length),
      "ETag",
      this.etag,
      ...extraHeaders,
    ];
  }

  static fromText(text: string, contentType: string, extraHeaders: readonly string[] = []): PreparedBody {
    return new PreparedBody(Buffer.from(text, "utf8"), contentType, extraHeaders);
  }

  /** Writes the prepared answer: 304 when the client already holds these bytes, else 200. */
  send(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (req.headers["if-none-match"] === this.etag) {
      res.writeHead(304, ["ETag", this.etag]);
      res.end();
      return;
    }
    res.writeHead(200, this.headers);
    res.end(this.body);
  }
}
