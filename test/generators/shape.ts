/**
 * The figures of "Shape of real histories" (../shared/reference/data-sources.md) measured on
 * a history on disk, so bench/RESULTS.md can show that a generated history has the shape of
 * real ones. Reads every line with JSON.parse (a benchmark helper, not a hot path).
 *
 *   npx tsx test/generators/shape.ts CONFIG_DIR
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface HistoryShapeFigures {
  files: number;
  bytes: number;
  usageLines: number;
  bytesPerUsageLine: number;
  /** Share of all bytes (newlines included) by line kind. */
  byteShare: { user: number; assistantUsage: number; progress: number; other: number };
  sidechainLineShare: number;
  fileBytes: { median: number; p90: number; max: number };
  linesPerFile: { median: number; p90: number };
  lineBytes: { median: number; p99: number; max: number };
  /** Responses without requestId and how many times each was written. */
  noRequestId: { responses: number; bedrockIds: number; minCopies: number; maxCopies: number };
  syntheticShareOfUsageLines: number;
  invalidLines: number;
}

export function measureHistoryShape(configDir: string): HistoryShapeFigures {
  const files = listJsonl(path.join(configDir, "projects"));
  const fileSizes: number[] = [];
  const linesPerFile: number[] = [];
  const lineSizes: number[] = [];
  const bytesByKind = { user: 0, assistantUsage: 0, progress: 0, other: 0 };
  const noRequestCopies = new Map<string, number>();
  let usageLines = 0;
  let synthetic = 0;
  let sidechainLines = 0;
  let lines = 0;
  let invalid = 0;
  let total = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    fileSizes.push(Buffer.byteLength(text));
    total += Buffer.byteLength(text);
    let count = 0;
    for (const line of text.split("\n")) {
      if (line.length === 0) continue;
      count++;
      lines++;
      const size = Buffer.byteLength(line) + 1;
      lineSizes.push(size);
      let parsed: {
        type?: string;
        isSidechain?: boolean;
        requestId?: string;
        message?: { id?: string; model?: string; usage?: unknown };
      };
      try {
        parsed = JSON.parse(line);
      } catch {
        invalid++;
        bytesByKind.other += size;
        continue;
      }
      if (parsed.isSidechain === true) sidechainLines++;
      if (parsed.type === "assistant" && parsed.message?.usage) {
        usageLines++;
        bytesByKind.assistantUsage += size;
        if (parsed.message.model === "<synthetic>") synthetic++;
        else if (!parsed.requestId && parsed.message.id) {
          const key = `${file}\u0000${parsed.message.id}`; // copies within one file (resumed sessions copy across files)
          noRequestCopies.set(key, (noRequestCopies.get(key) ?? 0) + 1);
        }
      } else if (parsed.type === "user") bytesByKind.user += size;
      else if (parsed.type === "progress") bytesByKind.progress += size;
      else bytesByKind.other += size;
    }
    linesPerFile.push(count);
  }
  const copies = [...noRequestCopies.values()];
  const share = (n: number) => (total > 0 ? n / total : 0);
  return {
    files: files.length,
    bytes: total,
    usageLines,
    bytesPerUsageLine: usageLines > 0 ? total / usageLines : 0,
    byteShare: {
      user: share(bytesByKind.user),
      assistantUsage: share(bytesByKind.assistantUsage),
      progress: share(bytesByKind.progress),
      other: share(bytesByKind.other),
    },
    sidechainLineShare: lines > 0 ? sidechainLines / lines : 0,
    fileBytes: {
      median: quantile(fileSizes, 0.5),
      p90: quantile(fileSizes, 0.9),
      max: Math.max(...fileSizes),
    },
    linesPerFile: { median: quantile(linesPerFile, 0.5), p90: quantile(linesPerFile, 0.9) },
    lineBytes: {
      median: quantile(lineSizes, 0.5),
      p99: quantile(lineSizes, 0.99),
      max: Math.max(...lineSizes),
    },
    noRequestId: {
      responses: copies.length,
      bedrockIds: [...noRequestCopies.keys()].filter((key) => key.includes("\u0000msg_bdrk_")).length,
      minCopies: copies.length ? Math.min(...copies) : 0,
      maxCopies: copies.length ? Math.max(...copies) : 0,
    },
    syntheticShareOfUsageLines: usageLines > 0 ? synthetic / usageLines : 0,
    invalidLines: invalid,
  };
}

/** Every transcript under `dir`, subfolders included, sorted. */
export function listJsonl(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".jsonl"))
    .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
    .sort();
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const kb = (n: number) => `${(n / 1000).toFixed(1)} KB`;
const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
const pct = (n: number) => `${(n * 100).toFixed(0)}%`;

/** The table of data-sources.md with this history's own figure beside each range. */
export function renderShapeTable(f: HistoryShapeFigures): string[] {
  return [
    "| figure | real histories (data-sources.md) | this generated history |",
    "|---|---|---|",
    `| file bytes per usage line | 7.3-10.1 KB | ${kb(f.bytesPerUsageLine)} (${f.usageLines.toLocaleString("en-US")} usage lines in ${mb(f.bytes)}) |`,
    `| bytes in \`user\` lines | 52-81% | ${pct(f.byteShare.user)} |`,
    `| bytes in assistant lines with usage | 15-29% | ${pct(f.byteShare.assistantUsage)} |`,
    `| bytes in \`progress\` lines | 0-32% | ${pct(f.byteShare.progress)} |`,
    `| other line types | a few % | ${pct(f.byteShare.other)} |`,
    `| sidechain (subagent) share of lines | 4-80% | ${pct(f.sidechainLineShare)} |`,
    `| files | 52-2,162 | ${f.files.toLocaleString("en-US")} |`,
    `| median file / p90 / largest | 2-332 KB / 0.4-2.7 MB / about 4 MB | ${kb(f.fileBytes.median)} / ${mb(f.fileBytes.p90)} / ${mb(f.fileBytes.max)} |`,
    `| lines per file, median / p90 | 2-79 / 124-461 | ${f.linesPerFile.median} / ${f.linesPerFile.p90} |`,
    `| line size median / p99 / largest | 0.7-1.3 KB / 22-68 KB / 0.1-2.3 MB | ${kb(f.lineBytes.median)} / ${kb(f.lineBytes.p99)} / ${mb(f.lineBytes.max)} |`,
    `| responses without \`requestId\` (copies counted per file) | present with a gateway or Bedrock (\`msg_bdrk_\`), 2-9 copies each | ${f.noRequestId.responses.toLocaleString("en-US")} (${f.noRequestId.bedrockIds.toLocaleString("en-US")} \`msg_bdrk_\`), ${f.noRequestId.minCopies}-${f.noRequestId.maxCopies} copies each |`,
    `| \`<synthetic>\` model lines | up to 1% of usage lines | ${(f.syntheticShareOfUsageLines * 100).toFixed(2)}% |`,
  ];
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write("usage: tsx test/generators/shape.ts CONFIG_DIR\n");
    process.exitCode = 2;
  } else {
    process.stdout.write(renderShapeTable(measureHistoryShape(dir)).join("\n") + "\n");
  }
}
