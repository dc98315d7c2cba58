/**
 * Generates core/src/pricing/prices.json from LiteLLM's price file (or the Claude-only
 * mirror). Usage: npx tsx scripts/generate-prices.ts [path-to-litellm-json]
 * Default path: scripts/data/litellm-claude-prices.json, a committed copy of the Claude
 * entries of LiteLLM's model_prices_and_context_window.json. A test rebuilds the table
 * from the same file and compares, so the committed table cannot drift.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { buildPriceTable } from "../core/src/pricing/table";

export const DEFAULT_SOURCE_PATH = path.join(__dirname, "data", "litellm-claude-prices.json");
export const OUTPUT_PATH = path.join(__dirname, "..", "core", "src", "pricing", "prices.json");

export function serializePriceTable(sourcePath: string): string {
  const raw: unknown = JSON.parse(fs.readFileSync(sourcePath, "utf8"));
  return `${JSON.stringify(buildPriceTable(raw, path.basename(sourcePath)), null, 2)}\n`;
}

if (require.main === module) {
  const sourcePath = path.resolve(process.argv[2] ?? DEFAULT_SOURCE_PATH);
  fs.writeFileSync(OUTPUT_PATH, serializePriceTable(sourcePath));
  console.log(`wrote ${OUTPUT_PATH} from ${sourcePath}`);
}
