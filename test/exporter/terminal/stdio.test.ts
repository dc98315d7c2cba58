/** Output straight to descriptors 1 and 2 (no process.stdout stream): whole, and quiet when the reader leaves. */
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const STDIO = path.resolve(__dirname, "../../../exporter/dist/terminal/stdio.js");

function runWriter(
  script: string,
  shellTail: string,
): { status: number | null; stdout: string; stderr: string } {
  const node = JSON.stringify(process.execPath);
  const code = `const { stdio } = require(${JSON.stringify(STDIO)}); ${script}`;
  const run = spawnSync("sh", ["-c", `${node} -e '${code}' ${shellTail}; echo "exit=$?" >&2`], {
    encoding: "utf8",
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

test("writes all of a large text to a pipe, byte for byte", () => {
  const run = runWriter(`stdio.write(1, "x".repeat(3e6) + "é\\n")`, "| wc -c");
  expect(run.stdout.trim()).toBe(String(3e6 + 3));
  expect(run.stderr).toContain("exit=0");
});

test("ends quietly when the reader goes away (quotacast daily | head)", () => {
  const run = runWriter(
    `for (let i = 0; i < 200; i++) stdio.write(1, "line\\n".repeat(5000)); process.exitCode = 0`,
    "| head -c 10 >/dev/null",
  );
  expect(run.stderr).not.toMatch(/EPIPE|Error/);
});

test("a pipe is not a terminal", () => {
  const run = runWriter(`stdio.write(2, String(stdio.isTerminal(1)))`, "| cat");
  expect(run.stderr).toContain("false");
});

test("a pipe is told apart without loading node:tty (which loads node:net)", () => {
  const run = runWriter(
    `stdio.isTerminal(1); stdio.write(2, String(process.moduleLoadList.includes("NativeModule tty")))`,
    "| cat",
  );
  expect(run.stderr).toContain("false");
});

test("a character device that is not a terminal (/dev/null) is not one; a pseudo-terminal is", () => {
  expect(runWriter(`stdio.write(2, String(stdio.isTerminal(1)))`, ">/dev/null").stderr).toContain("false");
  // script(1) runs the command on a pseudo-terminal.
  const node = JSON.stringify(process.execPath);
  const code = `const { stdio } = require(${JSON.stringify(STDIO)}); stdio.write(1, "tty=" + stdio.isTerminal(1))`;
  const run = spawnSync("script", ["-qec", `${node} -e '${code}'`, "/dev/null"], { encoding: "utf8" });
  expect(run.stdout).toContain("tty=true");
});
