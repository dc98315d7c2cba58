/**
 * The report commands (`daily`, `weekly`, `monthly`, `session`, `blocks`: one module) load
 * no schema library: valibot costs about 10 ms of start-up, the zod it replaced 60-70 ms.
 * Only what reads rate-limit sources, the statusline feed, the web config or a bench dataset
 * needs one (core's index leaves those to entries of their own). Runs the built CLI with a
 * preload that records the id of every module Node loads.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { generateHistory } from "../../generators/transcripts";
import { BUILT_CLI, buildCoreAndExporter } from "../../support/built-cli";
import { tempDir } from "../../fakes/ports";

const RECORDER = `
const Module = require("node:module");
const fs = require("node:fs");
const load = Module._load;
Module._load = function (request, parent, isMain) {
  let id = request;
  try {
    id = Module._resolveFilename(request, parent, isMain);
  } catch {}
  fs.appendFileSync(process.env.REQUIRED_LOG, id + "\\n");
  return load.apply(this, arguments);
};
`;

const SCHEMA_LIBRARY = /[\\/]node_modules[\\/](valibot|zod)[\\/]/;

let dir: string;
let configDir: string;

beforeAll(() => {
  buildCoreAndExporter();
  dir = tempDir("quotacast-load-cost-");
  configDir = path.join(dir, ".claude");
  generateHistory({ dir: configDir, sizeMb: 0.05, seed: 5, endMs: Date.now() - 60_000, days: 2 });
  fs.writeFileSync(path.join(dir, "record-requires.js"), RECORDER);
}, 60_000);

/** The ids of the modules `quotacast <argv>` loaded (once each), and what it printed. */
function requiredBy(argv: string[]): { ids: string[]; stdout: string } {
  const log = path.join(dir, `required-${argv[0]}.txt`);
  const run = spawnSync(
    process.execPath,
    ["-r", path.join(dir, "record-requires.js"), BUILT_CLI, ...argv, "--config-dir", configDir],
    {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: dir,
        XDG_DATA_HOME: path.join(dir, "data"),
        TZ: "UTC",
        REQUIRED_LOG: log,
      },
      encoding: "utf8",
      timeout: 30_000,
    },
  );
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
  const ids = new Set(fs.readFileSync(log, "utf8").split("\n").filter(Boolean));
  return { ids: [...ids], stdout: run.stdout };
}

test("quotacast daily --json requires neither valibot nor zod", () => {
  const { ids, stdout } = requiredBy(["daily", "--json"]);
  expect(JSON.parse(stdout).daily.length).toBeGreaterThan(0);
  // The recorder saw core being loaded: the CLI ran through it.
  expect(ids.some((id) => id.endsWith(path.join("core", "dist", "index.js")))).toBe(true);
  expect(ids.filter((id) => SCHEMA_LIBRARY.test(id))).toEqual([]);
});

test("quotacast status --json, which polls the rate-limit sources, does require valibot", () => {
  const { ids } = requiredBy(["status", "--json"]);
  expect(ids.filter((id) => SCHEMA_LIBRARY.test(id)).map((id) => path.basename(id))).toEqual(["index.cjs"]);
});
