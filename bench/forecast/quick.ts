/**
 * Quick look while tuning: the synthetic regimes, leave-one-session-out, one line per
 * strategy. Run: npx tsx --tsconfig test/tsconfig.json bench/forecast/quick.ts [regime...] [--temporal]
 */
import {
  SYNTHETIC_REGIMES,
  runForecastBench,
  syntheticWindows,
  parseBenchDataset,
  type SyntheticRegime,
} from "@quotacast/forecast-eval";
import * as fs from "node:fs";

const args = process.argv.slice(2);
const protocol = args.includes("--temporal") ? "temporal" : "loso";
const names = args.filter((a) => !a.startsWith("--"));
const targets = names.length ? names : [...SYNTHETIC_REGIMES];
for (const name of targets) {
  const windows = name.endsWith(".json")
    ? parseBenchDataset(JSON.parse(fs.readFileSync(name, "utf8"))).windows
    : syntheticWindows(name as SyntheticRegime, { windows: 60, seed: 1 });
  const r = runForecastBench(name, windows, protocol, undefined, Date.now);
  const line = r.strategies
    .map((s) => `${s.name}=${s.overall.crps.toFixed(4)}(${(100 * s.overall.coverage80).toFixed(0)}%)`)
    .join(" ");
  console.log(`${name.padEnd(12)} ${line}  [${Object.values(r.elapsedMs).join("/")} ms]`);
}
