import * as fs from "node:fs";
import * as path from "node:path";
import { type PollContext, nodeFiles } from "@quotacast/core";
import { createHeaderFileSource } from "@quotacast/core/limits/sources/header-file";
import { parseHeaderFile } from "@quotacast/core/limits/header-file";
import { ManualClock, tempDir } from "../../fakes/ports";

const NOW_MS = Date.UTC(2026, 10, 22, 12, 0, 0);
let home: string;
let file: string;

function ctx(env: Record<string, string> = {}): PollContext {
  return {
    clock: new ManualClock(NOW_MS),
    files: nodeFiles,
    http: { get: () => Promise.reject(new Error("no network")) },
    env,
    homeDir: home,
    config: {},
  };
}

function interceptorFile(headers: Record<string, string>, updatedAtMs = NOW_MS - 30_000): string {
  return JSON.stringify({
    source: "interceptor",
    updated_at: new Date(updatedAtMs).toISOString(),
    headers_raw: headers,
  });
}

const P = "anthropic-ratelimit-unified-";

beforeEach(() => {
  home = tempDir();
  fs.mkdirSync(path.join(home, ".claude"));
  file = path.join(home, ".claude", "usage-limits.json");
});

test("reads fractions and unix-second resets into readings", async () => {
  const fiveResetS = Math.floor(NOW_MS / 1000) + 3600;
  const sevenResetS = Math.floor(NOW_MS / 1000) + 5 * 86400;
  fs.writeFileSync(
    file,
    interceptorFile({
      [`${P}status`]: "allowed_warning",
      [`${P}5h-utilization`]: "0.42",
      [`${P}5h-reset`]: String(fiveResetS),
      [`${P}5h-status`]: "allowed",
      [`${P}7d-utilization`]: "1.07",
      [`${P}7d-reset`]: String(sevenResetS),
      [`${P}7d-status`]: "rejected",
      [`${P}overage-status`]: "allowed",
      [`${P}overage-utilization`]: "0.1",
      [`${P}representative-claim`]: "seven_day",
    }),
  );
  const result = await createHeaderFileSource().poll(ctx());
  expect(result.status).toMatchObject({ source: "header-file", state: "ok", lastErrorReason: "none" });
  expect(result.snapshot!.observedAtMs).toBe(NOW_MS - 30_000);
  expect(result.snapshot!.windows).toEqual([
    {
      window: "five_hour",
      utilizationRatio: 0.42,
      resetsAtMs: fiveResetS * 1000,
      windowLengthMs: 5 * 3600_000,
      status: "allowed",
      source: "header-file",
      observedAtMs: NOW_MS - 30_000,
    },
    {
      window: "seven_day",
      utilizationRatio: 1.07,
      resetsAtMs: sevenResetS * 1000,
      windowLengthMs: 7 * 86400_000,
      status: "rejected",
      source: "header-file",
      observedAtMs: NOW_MS - 30_000,
    },
  ]);
  expect(result.snapshot!.extraUsage).toMatchObject({ isEnabled: true, utilizationRatio: 0.1 });
});

test("other tools' files of the same name are ignored, and the status says so", async () => {
  fs.writeFileSync(file, JSON.stringify({ source: "cache-fix", five_hour: 42 }));
  const result = await createHeaderFileSource().poll(ctx());
  expect(result.snapshot).toBeNull();
  expect(result.status).toMatchObject({ state: "error", lastErrorReason: "bad_response" });
  expect(result.status.message).toMatch(/another tool's format \(source "cache-fix"\).*ignored/);

  fs.writeFileSync(file, "not json {");
  expect((await createHeaderFileSource().poll(ctx())).status.message).toMatch(/not valid JSON/);
});

test("missing file: state missing; CLAUDE_CONFIG_DIR's first dir is where it looks", async () => {
  expect((await createHeaderFileSource().poll(ctx())).status.state).toBe("missing");
  const other = path.join(home, "cfg");
  fs.mkdirSync(other);
  fs.writeFileSync(
    path.join(other, "usage-limits.json"),
    interceptorFile({ [`${P}5h-utilization`]: "0.5", [`${P}5h-reset`]: String(NOW_MS / 1000 + 60) }),
  );
  const result = await createHeaderFileSource().poll(ctx({ CLAUDE_CONFIG_DIR: other }));
  expect(result.snapshot!.windows.map((w) => w.utilizationRatio)).toEqual([0.5]);
});

test("old headers are stale and windows that have reset are dropped", async () => {
  fs.writeFileSync(
    file,
    interceptorFile(
      {
        [`${P}5h-utilization`]: "0.9",
        [`${P}5h-reset`]: String(NOW_MS / 1000 - 60),
        [`${P}7d-utilization`]: "0.3",
        [`${P}7d-reset`]: String(NOW_MS / 1000 + 86400),
      },
      NOW_MS - 2 * 3600_000,
    ),
  );
  const result = await createHeaderFileSource().poll(ctx());
  expect(result.status.state).toBe("stale");
  expect(result.snapshot!.windows.map((w) => w.window)).toEqual(["seven_day"]);
});

test("parseHeaderFile tolerates missing and non-numeric headers", () => {
  const parsed = parseHeaderFile(
    interceptorFile({ [`${P}5h-utilization`]: "abc", [`${P}7d-utilization`]: "0.2" }),
  );
  expect(parsed.ok && parsed.value.windows).toEqual([
    {
      window: "seven_day",
      utilizationRatio: 0.2,
      resetsAtMs: null,
      windowLengthMs: 7 * 86400_000,
      status: "unknown",
    },
  ]);
  expect(parseHeaderFile(JSON.stringify({ source: "interceptor" }), "limits.json")).toMatchObject({
    ok: false,
    message: "limits.json: headers_raw: missing",
  });
  expect(parseHeaderFile("[1]", "limits.json")).toMatchObject({
    ok: false,
    message: "limits.json has another tool's format, not an interceptor's headers; ignored",
  });
});

test("header names in any case, numbers as numbers, unknown headers and fields ignored", () => {
  const parsed = parseHeaderFile(
    JSON.stringify({
      source: "interceptor",
      updated_at: "soon",
      pid: 42,
      headers_raw: {
        [`${P.toUpperCase()}5H-UTILIZATION`]: 0.25,
        [`${P}5h-reset`]: 1800000000,
        "x-other": "1",
      },
    }),
  );
  expect(parsed.ok && parsed.value).toEqual({
    updatedAtMs: null,
    windows: [
      {
        window: "five_hour",
        utilizationRatio: 0.25,
        resetsAtMs: 1800000000_000,
        windowLengthMs: 5 * 3600_000,
        status: "unknown",
      },
    ],
    extraUsage: null,
  });
});
