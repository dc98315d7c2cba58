/** `quotacast bench forecast` end to end: files in, JSON out. */
import * as fs from "node:fs";
import * as path from "node:path";
import { syntheticWindows, toBenchDataset } from "@quotacast/forecast-eval";
import { run } from "../../exporter/src/commands/bench";
import { generateHistory } from "../generators/transcripts";
import { tempDirPerBlock } from "../support/per-test";

async function capture(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = jest.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await run(argv);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe("quotacast bench forecast", () => {
  const dir = tempDirPerBlock("qc-bench-");

  it("scores a dataset file in the reference format and prints JSON", async () => {
    const file = path.join(dir(), "d.json");
    fs.writeFileSync(
      file,
      JSON.stringify(toBenchDataset("small", syntheticWindows("decel", { windows: 8, seed: 4 }))),
    );
    const { code, stdout } = await capture([
      "forecast",
      "--dataset",
      file,
      "--protocol",
      "temporal",
      "--json",
    ]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    const names = json.strategies.map((s: { name: string }) => s.name);
    expect(names).toEqual(
      expect.arrayContaining(["quotacast", "claumon-v2.1", "prior-rate", "linear", "climatology", "flat"]),
    );
    for (const s of json.strategies) {
      for (const key of ["crps", "pinball", "coverage80", "maePp", "biasPp", "n"])
        expect(typeof s.overall[key]).toBe("number");
      expect(Object.keys(s.segments).sort()).toEqual(["abandoned", "engaged", "far", "near"]);
    }
  });

  it("explains bad input and exits non-zero", async () => {
    const file = path.join(dir(), "bad.json");
    fs.writeFileSync(file, JSON.stringify({ name: "bad", sessions: [{ reset: "soon" }] }));
    const bad = await capture(["forecast", "--dataset", file, "--json"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("sessions[0].reset");
    expect((await capture(["forecast", "--protocol", "random"])).code).toBe(2);
    expect((await capture(["forecast", "--from-transcripts", dir()])).stderr).toContain("--limit-usd");
  });

  it("builds 5-hour and 7-day datasets from a transcript directory", async () => {
    const history = path.join(dir(), "claude");
    generateHistory({
      dir: history,
      sizeMb: 2,
      seed: 5,
      endMs: Date.UTC(2026, 9, 1),
      days: 14,
      medianFileBytes: 20_000,
    });
    const saved = path.join(dir(), "saved");
    const { code, stdout, stderr } = await capture([
      "forecast",
      "--from-transcripts",
      history,
      "--limit-usd",
      "2",
      "--save-dataset",
      saved,
      "--protocol",
      "temporal",
      "--json",
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.datasets.map((d: { dataset: string }) => d.dataset)).toContain("claude-5h");
    const five = JSON.parse(fs.readFileSync(path.join(saved, "claude-5h.json"), "utf8"));
    expect(five.sessions.length).toBeGreaterThan(3);
    for (const s of five.sessions) expect(s.duration_hours).toBe(5);
  });
});
