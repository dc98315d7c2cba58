import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { periodUsage } from "@quotacast/core";
import { run, type ReportIo } from "../../../exporter/src/commands/report";
import { renderStatus } from "../../../exporter/src/commands/status";
import { assistantLine } from "../../core/ingest/helpers";
import { exporterSummary } from "../../extension/fixtures";
import { usageEvent } from "../../fakes/usage-event";

const NOW_MS = Date.parse("2026-11-20T18:00:00.000Z");

async function report(argv: string[]): Promise<string> {
  let stdout = "";
  const io: ReportIo = {
    stdout: (t) => (stdout += t),
    stderr: () => undefined,
    env: { HOME: "/nonexistent-home" },
    nowMs: () => NOW_MS,
  };
  expect(await run(argv, io)).toBe(0);
  return stdout;
}

function configWith(lines: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quotacast-unknown-"));
  fs.mkdirSync(path.join(dir, "projects", "p"), { recursive: true });
  fs.writeFileSync(path.join(dir, "projects", "p", "s.jsonl"), lines.join("\n") + "\n");
  return dir;
}

describe("a model without a price", () => {
  const timestamp = "2026-11-20T10:00:00.000Z";
  const lines = [
    assistantLine({ id: "g", model: "glm-4.7", input: 990_000, output: 9_000, timestamp }),
    assistantLine({ id: "s", model: "claude-sonnet-4-5-20250929", input: 900, output: 100, timestamp }),
  ];

  it("is named in daily --json's diagnostics on every run, as in unpricedModels", async () => {
    const dir = configWith(lines);
    for (let runNumber = 1; runNumber <= 2; runNumber++) {
      const json = JSON.parse(await report(["daily", "--config-dir", dir, "--json"]));
      expect({ runNumber, unpriced: json.daily[0].unpricedModels }).toEqual({
        runNumber,
        unpriced: ["glm-4.7"],
      });
      expect({ runNumber, unknown: json.diagnostics.unknownModels }).toEqual({
        runNumber,
        unknown: ["glm-4.7"],
      });
    }
  });

  it("is shown by `status` with its share of the tokens, not hidden behind $0.00", () => {
    const today = periodUsage(
      "2026-11-20",
      lines.map((l) => {
        const m = JSON.parse(l);
        return usageEvent({
          key: m.message.id,
          timestampMs: Date.parse(m.timestamp),
          model: m.message.model,
          inputTokens: m.message.usage.input_tokens,
          outputTokens: m.message.usage.output_tokens,
        });
      }),
    );
    expect(today.topModel).toBe("glm-4.7");
    expect(today.models.map((m) => m.model)).toEqual(["claude-sonnet-4-5-20250929", "glm-4.7"]);
    const text = renderStatus(
      exporterSummary(NOW_MS, {
        today,
        thisWeek: today,
        lastDays: [today],
        diagnostics: {
          filesScanned: 1,
          linesSkippedInvalidJson: 0,
          linesSkippedOther: 0,
          filesUnreadable: 0,
          unknownModels: ["glm-4.7"],
        },
      }),
    );
    expect(text).toMatch(
      /Today\s+\$0\.00 · 1\.00M tokens · sonnet-4-5 \$0\.00 \(0\.\d%\) · glm-4\.7 no price \(100%\)/,
    );
  });
});

describe("blocks", () => {
  it("has a column per token type, and they add up to the total", async () => {
    const dir = configWith([
      assistantLine({
        id: "a",
        input: 10,
        output: 20,
        cacheWrite: 300,
        cacheRead: 4000,
        timestamp: "2026-11-20T10:00:00.000Z",
      }),
    ]);
    const text = await report(["blocks", "--config-dir", dir]);
    const header = text.split("\n").find((l) => l.includes("Block Start")) ?? "";
    for (const column of ["Input", "Output", "Cache Create", "Cache Read", "Total Tokens"])
      expect(header).toContain(column);
    const row = text.split("\n").find((l) => l.includes("2026-11-20 10:00")) ?? "";
    const numbers = [...row.replace(/\$[\d.,]+/g, "").matchAll(/\b\d[\d,]*\b(?![-:])/g)].map((m) =>
      Number(m[0].replace(/,/g, "")),
    );
    expect(numbers.slice(-5)).toEqual([10, 20, 300, 4000, 4330]);
  });
});
