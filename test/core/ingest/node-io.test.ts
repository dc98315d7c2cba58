import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { nodeFiles, nodeHttp } from "@quotacast/core";
import { tempDirPerTest } from "../../support/per-test";

describe("nodeFiles", () => {
  const dir = tempDirPerTest("quotacast-io-");

  it("lists files by suffix recursively and returns [] for a missing dir", async () => {
    fs.mkdirSync(path.join(dir(), "a", "b", "subagents"), { recursive: true });
    fs.writeFileSync(path.join(dir(), "a", "x.jsonl"), "");
    fs.writeFileSync(path.join(dir(), "a", "b", "subagents", "y.jsonl"), "");
    fs.writeFileSync(path.join(dir(), "a", "notes.txt"), "");
    const listed = (await nodeFiles.listFiles(dir(), ".jsonl")).map((p) => path.relative(dir(), p)).sort();
    expect(listed).toEqual([path.join("a", "b", "subagents", "y.jsonl"), path.join("a", "x.jsonl")]);
    expect(await nodeFiles.listFiles(path.join(dir(), "gone"), ".jsonl")).toEqual([]);
  });

  it("stats a file (null when missing) and reads byte ranges, short at the end", async () => {
    const file = path.join(dir(), "f.jsonl");
    fs.writeFileSync(file, "0123456789");
    const identity = await nodeFiles.stat(file);
    expect(identity).toMatchObject({ sizeBytes: 10, ino: fs.statSync(file).ino });
    expect(await nodeFiles.stat(path.join(dir(), "missing"))).toBeNull();
    expect((await nodeFiles.readRange(file, 2, 5)).toString()).toBe("234");
    expect((await nodeFiles.readRange(file, 8, 20)).toString()).toBe("89");
    expect(await nodeFiles.readText(file)).toBe("0123456789");
    expect(await nodeFiles.readText(path.join(dir(), "missing"))).toBeNull();
  });
});

describe("nodeHttp", () => {
  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === "/slow") return; // never answers
      res.setHeader("x-seen-accept", String(req.headers.accept));
      res.statusCode = req.url === "/missing" ? 404 : 200;
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("returns status, lower-case headers and the body", async () => {
    const r = await nodeHttp.get(`${base}/prices`, { accept: "application/json" }, 5000);
    expect(r).toMatchObject({ status: 200, bodyText: '{"ok":true}' });
    expect(r.headers["x-seen-accept"]).toBe("application/json");
    expect((await nodeHttp.get(`${base}/missing`, {}, 5000)).status).toBe(404);
  });

  it("gives up after the timeout", async () => {
    await expect(nodeHttp.get(`${base}/slow`, {}, 100)).rejects.toThrow();
  });
});
