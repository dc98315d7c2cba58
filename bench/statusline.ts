/**
 * The statusline command's cost to Claude Code: `node exporter/dist/cli.js statusline` with a
 * 20 KB payload on stdin, against a bare `node -e 0` fed the same stdin, run alternately so
 * machine load hits both alike. Target: median at most 1.5x the bare Node start.
 * Writes its section of bench/RESULTS.md.
 *
 *   npm run build && npx tsx bench/statusline.ts [--runs 40] [--no-write]
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { statuslinePayload } from "../test/exporter/statusline/payload";
import { machineDescription, median, writeResultsSection } from "./results";

const RATIO_TARGET = 1.5;
const CLI = path.resolve(__dirname, "../exporter/dist/cli.js");

function timeOnceMs(args: string[], payload: Buffer, env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    input: payload,
    env,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} exited with ${result.status}`);
  return elapsedMs;
}

function main(): void {
  const { values } = parseArgs({
    options: { runs: { type: "string", default: "40" }, "no-write": { type: "boolean", default: false } },
  });
  const runs = Number(values.runs);
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quotacast-bench-statusline-"));
  const env = { ...process.env, QUOTACAST_STATUSLINE_FILE: path.join(dir, "statusline.json") };
  const payload = Buffer.from(JSON.stringify(statuslinePayload(Date.now(), { padToBytes: 20 * 1024 })));
  const bare: number[] = [];
  const ours: number[] = [];
  try {
    for (let i = 0; i < runs + 3; i++) {
      const bareMs = timeOnceMs(["-e", "0"], payload, env);
      const oursMs = timeOnceMs([CLI, "statusline"], payload, env);
      if (i < 3) continue; // warm the page cache for both
      bare.push(bareMs);
      ours.push(oursMs);
    }
    const output = spawnSync(process.execPath, [CLI, "statusline"], { input: payload, env })
      .stdout.toString()
      .trim();
    const ratio = median(ours) / median(bare);
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const section = [
      "## Statusline command: cost per Claude Code update (`npx tsx bench/statusline.ts`)",
      "",
      `Run: ${new Date().toISOString()}. Machine: ${machineDescription()}. Shared machine (other engineers' jobs may run at the same time).`,
      "",
      `${runs} alternating runs each, ${payload.length}-byte payload on stdin (the statusline JSON padded as a long session's would be).`,
      "",
      "| command | median | min |",
      "| --- | --- | --- |",
      `| \`node -e 0\` (bare Node start, same stdin) | ${ms(median(bare))} | ${ms(Math.min(...bare))} |`,
      `| \`quotacast statusline\` (parse, save the feed atomically, print) | ${ms(median(ours))} | ${ms(Math.min(...ours))} |`,
      "",
      `Ratio of medians: **${ratio.toFixed(2)}** (target at most ${RATIO_TARGET}: ${ratio <= RATIO_TARGET ? "yes" : "**no**"}). Output: \`${output}\``,
    ].join("\n");
    process.stdout.write(`${section}\n`);
    if (!values["no-write"]) writeResultsSection("statusline", section);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
