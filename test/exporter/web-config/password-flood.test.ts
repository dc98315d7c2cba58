/**
 * Basic auth under a password flood: bcrypt runs off the event loop and bounded, a valid
 * credential verified once is never pushed out by wrong ones, and beyond the queue the
 * flood gets 429 at once. (The latency under a flood is measured in `npm run bench:auth`.)
 */
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import * as bcrypt from "bcryptjs";
import { basicAuth, createServer, parseWebConfig } from "../../../exporter/src/http/web-config";
import { PasswordChecker } from "../../../exporter/src/http/password-check";

const PASSWORD = "correct horse battery staple";
const HASH = bcrypt.hashSync(PASSWORD, 4);

function basic(user: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` };
}

async function status(port: number, headers: Record<string, string>): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, { headers });
  await response.text();
  return response.status;
}

test("a flood of wrong passwords: bounded queue (429 beyond it), the valid credential stays verified", async () => {
  const config = parseWebConfig(`basic_auth_users:\n  prometheus: ${HASH}\n`, "/");
  const compared: string[] = [];
  const held: Array<() => void> = [];
  let hold = false;
  const compare = (password: string, hash: string) => {
    compared.push(password);
    const result = bcrypt.compare(password, hash);
    if (!hold) return result;
    return new Promise<boolean>((resolve) => held.push(() => void result.then(resolve)));
  };
  const auth = basicAuth(config, { compare, maxQueued: 4, perSecond: 1000, cacheEntries: 3 });
  const server = createServer((req, res) => auth(req, res, () => res.end("ok")), config);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    expect(await status(port, basic("prometheus", PASSWORD))).toBe(200);
    hold = true;
    // 10 distinct wrong passwords at once: one compares, four wait, five are turned away.
    const answered: number[] = [];
    const flood = Array.from({ length: 10 }, (_, i) =>
      status(port, basic("prometheus", `wrong-${i}`)).then((s) => (answered.push(s), s)),
    );
    // Until the turned-away ones are answered (the others wait behind the held comparison).
    await new Promise<void>((resolve) => {
      const check = () => (answered.length === 5 ? resolve() : setTimeout(check, 5));
      check();
    });
    expect({ held: held.length, answered }).toEqual({ held: 1, answered: [429, 429, 429, 429, 429] });
    // Meanwhile the valid scrape is answered from the cache, without waiting for bcrypt.
    expect(await status(port, basic("prometheus", PASSWORD))).toBe(200);
    hold = false;
    while (held.length > 0) held.shift()?.();
    const statuses = await Promise.all(flood);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    // More wrong passwords than the cache holds: the valid one is still remembered.
    expect(await status(port, basic("prometheus", PASSWORD))).toBe(200);
    expect(compared.filter((p) => p === PASSWORD)).toHaveLength(1);
    expect(compared).toHaveLength(6);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test("at most perSecond comparisons start each second", async () => {
  jest.useFakeTimers({ now: 1_000_000 });
  try {
    let started = 0;
    const checker = new PasswordChecker({
      perSecond: 2,
      maxQueued: 10,
      compare: async () => {
        started++;
        return false;
      },
    });
    const checks = Array.from({ length: 5 }, () => checker.check("x", HASH));
    await jest.advanceTimersByTimeAsync(0);
    expect(started).toBe(2);
    await jest.advanceTimersByTimeAsync(999);
    expect(started).toBe(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(started).toBe(4);
    await jest.advanceTimersByTimeAsync(1000);
    expect(started).toBe(5);
    expect(await Promise.all(checks)).toEqual([false, false, false, false, false]);
  } finally {
    jest.useRealTimers();
  }
});

test("the compiled checker compares in a worker thread", async () => {
  // The compiled module (npm run build) finds bcrypt-worker.js beside it.
  const compiled = require(path.resolve(__dirname, "../../../exporter/dist/http/password-check.js")) as {
    PasswordChecker: typeof PasswordChecker;
  };
  const checker = new compiled.PasswordChecker();
  expect(await checker.check(PASSWORD, HASH)).toBe(true);
  expect(await checker.check("wrong", HASH)).toBe(false);
});
