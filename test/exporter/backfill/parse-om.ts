/** A small reader of the backfill's OpenMetrics text, for assertions. */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  /** `name{labels}` with labels sorted, to group samples by series. */
  series: string;
  value: number;
  timestampMs: number;
}

export interface Exposition {
  samples: Sample[];
  /** `# TYPE` and `# HELP` lines in order. */
  metadata: string[];
  /** Series in the order they first appear. */
  seriesOrder: string[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+) (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseExposition(text: string): Exposition {
  const lines = text.split("\n");
  if (lines[lines.length - 1] !== "" || lines[lines.length - 2] !== "# EOF")
    throw new Error("does not end with # EOF");
  const samples: Sample[] = [];
  const metadata: string[] = [];
  const seriesOrder: string[] = [];
  for (const line of lines.slice(0, -2)) {
    if (line.startsWith("#")) {
      metadata.push(line);
      continue;
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`bad line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(LABEL)) {
      labels[l[1]] = l[2].replace(/\\n/g, "\n").replace(/\\"/g, '"').replace(/\\\\/g, "\\");
    }
    const sorted = Object.keys(labels)
      .sort()
      .map((k) => `${k}=${JSON.stringify(labels[k])}`);
    const series = `${m[1]}{${sorted.join(",")}}`;
    if (seriesOrder[seriesOrder.length - 1] !== series) seriesOrder.push(series);
    samples.push({
      name: m[1],
      labels,
      series,
      value: Number(m[3]),
      timestampMs: Math.round(Number(m[4]) * 1000),
    });
  }
  return { samples, metadata, seriesOrder };
}

/** The latest sample of a series at or before `atMs` (what an instant query would see). */
export function valueAt(samples: readonly Sample[], series: string, atMs: number): number | undefined {
  let found: Sample | undefined;
  for (const s of samples) if (s.series === series && s.timestampMs <= atMs) found = s;
  return found?.value;
}
