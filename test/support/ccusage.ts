/**
 * ccusage 20 for the parity and compatibility tests. `.ci/run` and `npm run bench` install
 * it into bench/data/ccusage (see bench/ccusage.ts). Without it the suites skip on a
 * developer machine, but fail under CI so a missing install step cannot pass unnoticed.
 */
import { ccusageBinary } from "../../bench/ccusage";

export const CCUSAGE_BIN = ccusageBinary() ?? "";

function missingCcusage(name: string): void {
  it(`${name}: needs ccusage (npx tsx bench/ccusage.ts)`, () => {
    throw new Error("ccusage is not installed in bench/data/ccusage; run `npx tsx bench/ccusage.ts`");
  });
}

export function describeWithCcusage(name: string, body: () => void): void {
  if (CCUSAGE_BIN) describe(name, body);
  else if (process.env.CI) missingCcusage(name);
  else describe.skip(name, body);
}
