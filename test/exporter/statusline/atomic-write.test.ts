import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { tempDir } from "../../fakes/ports";

const WRITERS = 3;
const ITERATIONS = 60;

test("concurrent writer processes never expose a partial feed file to a reader", async () => {
  const dir = tempDir();
  const file = path.join(dir, "feed", "statusline.json");
  const writer = path.join(__dirname, "concurrent-writer.ts");
  let running = WRITERS;
  const exitCodes: Array<number | null> = [];
  for (let w = 1; w <= WRITERS; w++) {
    const child = spawn(
      process.execPath,
      ["--require", "tsx/cjs", writer, file, String(w), String(ITERATIONS)],
      {
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    child.on("exit", (code) => {
      exitCodes.push(code);
      running -= 1;
    });
  }

  let reads = 0;
  const distinctStamps = new Set<number>();
  while (running > 0) {
    let text: string | null = null;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      // not written yet
    }
    if (text !== null) {
      const feed = JSON.parse(text) as { updatedAtMs: number; sessions: Record<string, { costUsd: number }> };
      const costs = new Set(Object.values(feed.sessions).map((s) => s.costUsd));
      // Every byte comes from one write: 2000 sessions, all stamped by the same write.
      expect(Object.keys(feed.sessions)).toHaveLength(2000);
      expect([...costs]).toEqual([feed.updatedAtMs]);
      distinctStamps.add(feed.updatedAtMs);
      reads += 1;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  expect(exitCodes).toEqual([0, 0, 0]);
  expect(reads).toBeGreaterThan(20);
  // The reader saw writes from more than one writer while they ran concurrently.
  expect(new Set([...distinctStamps].map((s) => Math.floor(s / 1_000_000))).size).toBeGreaterThan(1);
  // No temp files left behind.
  expect(fs.readdirSync(path.dirname(file))).toEqual(["statusline.json"]);
});
