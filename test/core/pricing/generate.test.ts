import * as fs from "node:fs";
import { DEFAULT_SOURCE_PATH, OUTPUT_PATH, serializePriceTable } from "../../../scripts/generate-prices";

const REFERENCE = DEFAULT_SOURCE_PATH;

describe("generated price table", () => {
  it("matches what scripts/generate-prices.ts builds from the reference file", () => {
    const committed = JSON.parse(fs.readFileSync(OUTPUT_PATH, "utf8"));
    expect(JSON.parse(serializePriceTable(REFERENCE))).toEqual(committed);
  });

  it("has every Claude model of the reference with the five base prices", () => {
    const reference = JSON.parse(fs.readFileSync(REFERENCE, "utf8")) as Record<string, unknown>;
    const committed = JSON.parse(fs.readFileSync(OUTPUT_PATH, "utf8")) as {
      models: Record<string, Record<string, number>>;
    };
    expect(Object.keys(committed.models).sort()).toEqual(
      Object.keys(reference)
        .filter((k) => k.includes("claude"))
        .sort(),
    );
    for (const price of Object.values(committed.models)) {
      for (const field of [
        "inputUsdPerToken",
        "outputUsdPerToken",
        "cacheWrite5mUsdPerToken",
        "cacheWrite1hUsdPerToken",
        "cacheReadUsdPerToken",
      ]) {
        expect(typeof price[field]).toBe("number");
      }
    }
  });
});
