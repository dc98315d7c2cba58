/**
 * bench/RESULTS.md: each benchmark owns one section between its own markers and rewrites
 * only that section, so the benchmarks can run separately and the file keeps them all.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const RESULTS_PATH = path.join(__dirname, "RESULTS.md");

export function sectionMarkers(name: string): { start: string; end: string } {
  return { start: `<!-- bench:${name}:start -->`, end: `<!-- bench:${name}:end -->` };
}

/** `existing` with the named section replaced (or appended), other sections kept. */
export function replaceSection(existing: string, name: string, section: string): string {
  const { start, end } = sectionMarkers(name);
  const block = `${start}\n${section.trimEnd()}\n${end}`;
  const from = existing.indexOf(start);
  const to = existing.indexOf(end);
  if (from >= 0 && to > from) return existing.slice(0, from) + block + existing.slice(to + end.length);
  const base = existing.trim() === "" ? "# Benchmark results\n" : existing.trimEnd() + "\n";
  return `${base}\n${block}\n`;
}

export function writeResultsSection(name: string, section: string, file = RESULTS_PATH): void {
  const existing = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  fs.writeFileSync(file, replaceSection(existing, name, section));
}

/** One line naming the machine, for the "Run: <date>. Machine: ..." header of each section. */
export function machineDescription(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? "unknown CPU";
  return `${model}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** The 1, 5 and 15 minute load averages, as "1.0 / 0.8 / 0.7". */
export function loadAverages(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ");
}

/** The parseArgs options every real-history benchmark takes: the history's size and seed. */
export const HISTORY_ARGS = {
  "size-mb": { type: "string", default: "500" },
  seed: { type: "string", default: "1" },
} as const;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

import { listJsonl } from "../test/generators/shape";

export { listJsonl };

/**
 * Reads a history once so that timed runs read from the page cache: they measure the code,
 * not the disk (on the shared machines here the page cache does not keep a large history for long).
 */
export function warmPageCache(dataDir: string): void {
  const buffer = Buffer.allocUnsafe(8 * 1024 * 1024);
  for (const file of listJsonl(path.join(dataDir, "projects"))) {
    const fd = fs.openSync(file, "r");
    while (fs.readSync(fd, buffer, 0, buffer.length, null) > 0);
    fs.closeSync(fd);
  }
}
