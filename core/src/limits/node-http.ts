/**
 * A node implementation of `HttpPort` (GET with a whole-request timeout and a bounded
 * body). Fronts inject it into `PollContext`; tests use it against a loopback server.
 * Error messages never include the request headers (they carry credentials).
 */
import * as http from "node:http";
import * as https from "node:https";
import type { HttpPort, HttpResponse } from "../io/ports";

const MAX_BODY_BYTES = 8 * 1024 * 1024;

export function createNodeHttpPort(): HttpPort {
  return {
    get(url: string, headers: Record<string, string>, timeoutMs: number): Promise<HttpResponse> {
      return new Promise((resolve, reject) => {
        const target = new URL(url);
        const lib = target.protocol === "https:" ? https : http;
        const timer = setTimeout(() => {
          req.destroy(new Error(`timeout after ${timeoutMs} ms`));
        }, timeoutMs);
        const req = lib.get(target, { headers }, (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_BODY_BYTES) {
              req.destroy(new Error("response body too large"));
              return;
            }
            chunks.push(chunk);
          });
          res.on("end", () => {
            clearTimeout(timer);
            const flat: Record<string, string> = {};
            for (const [name, value] of Object.entries(res.headers)) {
              if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
            }
            resolve({ status: res.statusCode ?? 0, headers: flat, bodyText: Buffer.concat(chunks).toString("utf8") });
          });
          res.on("error", (err) => {
            clearTimeout(timer);
            reject(new Error(`response error: ${err.message}`));
          });
        });
        req.on("error", (err) => {
          clearTimeout(timer);
          reject(new Error(err.message.startsWith("timeout") ? err.message : `request failed: ${err.message}`));
        });
      });
    },
  };
}
