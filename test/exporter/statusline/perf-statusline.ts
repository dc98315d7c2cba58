/**
 * Side-by-side timing of `node exporter/dist/cli.js statusline` (20 KB stdin) against a bare
 * `node -e 0` with the same stdin, run alternately so machine load hits both alike.
 * Not a jest test (timing on a shared machine would be flaky); run it deliberately:
 *
 *   npx tsc -b core exporter && npx tsx test/exporter/statusline/perf-statusline.ts [runs]
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { statuslinePayload } from "./payload";

const runs = Number(process.argv[2] ?? 40);
const cli = path.resolve(__dirname, "../../../exporter/dist/cli.js");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quotacast-perf-"));
const payload = Buffer.from(JSON.stringify(statuslinePayload(Date.now(), { padToBytes: 20 * 1024 })));
const env = { ...process.env, QUOTACAST_STATUSLINE_FILE: path.join(dir, "statusline.json") };

function timeOnce(args: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    input: payload,
    env,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`exit ${result.status}`);
  return elapsedMs;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const bare: number[] = [];
const ours: number[] = [];
for (let i = 0; i < 3; i++) {
  timeOnce(["-e", "0"]);
  timeOnce([cli, "statusline"]);
}
for (let i = 0; i < runs; i++) {
  bare.push(timeOnce(["-e", "0"]));
  ours.push(timeOnce([cli, "statusline"]));
}
const ratio = median(ours) / median(bare);
console.log(`payload ${payload.length} bytes, ${runs} alternating runs each, node ${process.version}`);
console.log(
  `node -e 0:                 median ${median(bare).toFixed(1)} ms, min ${Math.min(...bare).toFixed(1)} ms`,
);
console.log(
  `cli.js statusline:         median ${median(ours).toFixed(1)} ms, min ${Math.min(...ours).toFixed(1)} ms`,
);
console.log(
  `ratio of medians: ${ratio.toFixed(2)} (limit 1.5); ratio of minimums: ${(Math.min(...ours) / Math.min(...bare)).toFixed(2)}`,
);
const output = spawnSync(process.execPath, [cli, "statusline"], { input: payload, env }).stdout.toString();
console.log(`output: ${output.trim()}`);
fs.rmSync(dir, { recursive: true, force: true });
process.exitCode = ratio <= 1.5 ? 0 : 1;
