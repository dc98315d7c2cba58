import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { compileWasm, WASM_MODULE_TS, wasmModuleSource } from "../../../scripts/build-wasm";

/** clang with the wasm32 target and wasm-ld (Debian: clang, lld); .ci/run installs them. */
function hasWasmToolchain(): boolean {
  try {
    execFileSync("clang", ["--version"], { stdio: "ignore" });
    execFileSync("wasm-ld", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

// Without the toolchain a developer's run skips this; CI installs it, so there it must run.
const toolchain = hasWasmToolchain();
if (!toolchain && process.env.CI === "true")
  throw new Error("CI needs clang and wasm-ld (apt-get install clang lld)");
const itWithToolchain = toolchain ? it : it.skip;

describe("the committed WebAssembly module", () => {
  itWithToolchain("is what sparse-json.c compiles to (run scripts/build-wasm.ts after editing it)", () => {
    expect(fs.readFileSync(WASM_MODULE_TS, "utf8")).toBe(wasmModuleSource(compileWasm()));
  });
});
