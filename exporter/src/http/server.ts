/**
 * Listening: plain HTTP by default; TLS (and the response headers) from the web config
 * file (`--web.config.file`, exporter-toolkit format), read by `web-config.ts`.
 */
import type * as http from "node:http";
import type { AddressInfo } from "node:net";
import { parseListenAddress } from "../config";
import { createServer, type WebConfig } from "./web-config";

export interface RunningServer {
  server: http.Server;
  /** `http://127.0.0.1:9847` (the address actually bound; port 0 resolved). */
  url: string;
  close(): Promise<void>;
}

export async function listen(
  app: http.RequestListener,
  listenAddress: string,
  webConfig: WebConfig | null,
): Promise<RunningServer> {
  const { host, port } = parseListenAddress(listenAddress);
  const server = createServer(app, webConfig);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const scheme = webConfig?.tls ? "https" : "http";
  return {
    server,
    url: `${scheme}://${shownHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
