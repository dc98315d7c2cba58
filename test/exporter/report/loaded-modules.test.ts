import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { assistantLine } from "../../core/ingest/helpers";
import { tempDirPerTest } from "../../support/per-test";

/** The compiled CLI, as `npm test` builds it (the package bundles the same modules). */
const CLI = path.resolve(__dirname, "../../../exporter/dist/cli.js");

// Records every module file the process loads (Module._load sees each require once resolved).
const RECORDER = `
const Module = require("node:module");
const loaded = new Set();
const load = Module._load;
Module._load = function (request, parent, isMain) {
  try { loaded.add(Module._resolveFilename(request, parent, isMain)); } catch {}
  return load.apply(this, arguments);
};
process.on("exit", () => require("node:fs").writeFileSync(process.env.QC_LOADED_OUT, [...loaded].join("\\n")));
`;

describe("what `quotacast daily` loads", () => {
  const dir = tempDirPerTest("qc-loaded-");

  test("core's ingest, usage and pricing only: no rate-limit source, forecast, schema library or core index", () => {
    const configDir = path.join(dir(), "claude");
    fs.mkdirSync(path.join(configDir, "projects", "-p"), { recursive: true });
    fs.writeFileSync(path.join(configDir, "projects", "-p", "s.jsonl"), `${assistantLine({ id: "m" })}\n`);
    const recorder = path.join(dir(), "recorder.js");
    fs.writeFileSync(recorder, RECORDER);
    const out = path.join(dir(), "loaded.txt");
    const json = execFileSync(
      process.execPath,
      ["-r", recorder, CLI, "daily", "--json", "--config-dir", configDir],
      {
        env: { ...process.env, HOME: dir(), XDG_DATA_HOME: dir(), QC_LOADED_OUT: out },
        encoding: "utf8",
      },
    );
    expect(JSON.parse(json).daily).toHaveLength(1);
    const loaded = fs.readFileSync(out, "utf8").split("\n");
    const core = loaded.filter((file) => file.includes(`${path.sep}core${path.sep}dist${path.sep}`));
    expect(core.some((file) => file.endsWith(path.join("ingest", "ledger.js")))).toBe(true);
    expect(core.filter((file) => /[\\/](limits[\\/](sources|oauth|admin)|forecast)[\\/]/.test(file))).toEqual(
      [],
    );
    expect(core.filter((file) => file.endsWith(path.join("core", "dist", "index.js")))).toEqual([]);
    expect(loaded.filter((file) => /[\\/]node_modules[\\/](zod|valibot)[\\/]/.test(file))).toEqual([]);
  });
});
