/**
 * One argv parser (exporter/src/args.ts over node:util parseArgs): every command answers an
 * unknown option the same way, `quotacast <command>: ...` on stderr and exit code 2, and
 * keeps its own flags.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Readable } from "node:stream";
import { parseCommandArgs, UsageError } from "../../../exporter/src/args";
import { tempDir } from "../../fakes/ports";
import { captureOutput } from "../../support/capture-stdout";

type Run = () => Promise<number>;

async function captured(fn: Run): Promise<{ code: number; stderr: string }> {
  const { code, stderr } = await captureOutput(fn);
  return { code, stderr };
}

const commands: Array<[string, string, (argv: string[]) => Promise<number>]> = [
  ["daily", "daily", (argv) => require("../../../exporter/src/commands/report").run(["daily", ...argv])],
  ["status", "status", (argv) => require("../../../exporter/src/commands/status").run(argv)],
  ["watch", "watch", (argv) => require("../../../exporter/src/commands/watch").run(argv)],
  ["serve", "serve", (argv) => require("../../../exporter/src/commands/serve").run(argv)],
  ["backfill", "backfill", (argv) => require("../../../exporter/src/commands/backfill").run(argv)],
  [
    "service install",
    "service",
    (argv) => require("../../../exporter/src/commands/service").run(["install", ...argv]),
  ],
  [
    "bench forecast",
    "bench forecast",
    (argv) => require("../../../exporter/src/commands/bench").run(["forecast", ...argv]),
  ],
  [
    "statusline install",
    "statusline",
    (argv) =>
      require("../../../exporter/src/commands/statusline").run(["install", ...argv], {
        stdin: Readable.from([]),
        write: () => undefined,
        env: { CLAUDE_CONFIG_DIR: tempDir("qc-unknown-") },
        nowMs: () => Date.now(),
      }),
  ],
];

test.each(commands)("%s: an unknown option is a usage error, exit code 2", async (_name, prefix, run) => {
  const { code, stderr } = await captured(() => run(["--no-such-option"]));
  expect(code).toBe(2);
  expect(stderr).toContain(`quotacast ${prefix}: `);
  expect(stderr).toMatch(/no-such-option/);
});

test("the statusline's bare form (run by Claude Code) ignores options it does not know", async () => {
  const dir = tempDir("qc-statusline-");
  let written = "";
  const code = await require("../../../exporter/src/commands/statusline").run(["--from-a-newer-version"], {
    stdin: Readable.from([Buffer.from(JSON.stringify({ model: { display_name: "Opus" } }))]),
    write: (text: string) => {
      written += text;
    },
    env: { QUOTACAST_STATUSLINE_FILE: path.join(dir, "feed.json") },
    nowMs: () => Date.now(),
  });
  expect(code).toBe(0);
  expect(written).toContain("Opus");
  expect(fs.existsSync(path.join(dir, "feed.json"))).toBe(true);
});

test("parseCommandArgs: strict by default, errors as UsageError", () => {
  const options = { json: { type: "boolean" }, since: { type: "string", short: "s" } } as const;
  expect(parseCommandArgs({ args: ["--json", "-s", "20260101"], options }).values).toEqual({
    json: true,
    since: "20260101",
  });
  expect(() => parseCommandArgs({ args: ["--jsn"], options })).toThrow(UsageError);
  expect(() => parseCommandArgs({ args: ["stray"], options })).toThrow(UsageError);
  expect(() => parseCommandArgs({ args: ["--since"], options })).toThrow(UsageError);
});
