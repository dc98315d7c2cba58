/** The CLI's own flags: the version, and one help text per command whichever way it is asked for. */
import * as fs from "node:fs";
import * as path from "node:path";
import { captureOutput } from "../../support/capture-stdout";

const ROOT = path.resolve(__dirname, "../../..");

type Main = (argv: string[]) => Promise<number>;
let main: Main;

beforeAll(() => {
  // cli.ts runs itself when loaded: load it once on a harmless argv, then call its main.
  const argv = process.argv;
  const write = jest.spyOn(process.stdout, "write").mockImplementation(() => true);
  try {
    process.argv = [process.execPath, "quotacast", "--version"];
    main = (require("../../../exporter/src/cli") as { main: Main }).main;
  } finally {
    process.argv = argv;
    write.mockRestore();
  }
});

async function quotacast(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return captureOutput(() => main(args));
}

test.each([["--version"], ["-v"], ["version"]])("quotacast %s prints the package's version", async (flag) => {
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, "exporter/package.json"), "utf8")) as {
    version: string;
  };
  expect(await quotacast(flag)).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
});

test("quotacast help <command> is <command> --help, for every command, in one format", async () => {
  const overview = await quotacast("--help");
  expect(overview.code).toBe(0);
  expect(overview.stdout).toContain("-v, --version");
  const commands = overview.stdout
    .split("\n\n")
    .find((part) => part.startsWith("commands:"))!
    .split("\n")
    .slice(1)
    .map((line) => line.trim().split(/\s+/)[0]);
  expect(commands).toEqual(
    expect.arrayContaining(["daily", "status", "statusline", "serve", "service", "bench"]),
  );
  for (const command of commands) {
    const viaHelp = await quotacast("help", command);
    const viaFlag = await quotacast(command, "--help");
    expect({ command, ...viaHelp }).toEqual({ command, ...viaFlag });
    expect({ command, code: viaFlag.code, stderr: viaFlag.stderr }).toEqual({ command, code: 0, stderr: "" });
    expect(viaFlag.stdout.startsWith(`usage: quotacast ${command}`)).toBe(true);
  }
});

test("the report commands and status share their flags' spelling (-j, -z)", async () => {
  for (const command of ["daily", "status"]) {
    const { stdout } = await quotacast(command, "--help");
    expect(stdout).toMatch(/\n {2}-j, --json +\S/);
    expect(stdout).toMatch(/\n {2}-z, --timezone ZONE +\S/);
    expect(stdout).toMatch(/\noptions:\n/);
    expect(stdout).toMatch(/\n {2}-h, --help +this help\n/);
  }
});

test("help for a command that does not exist fails", async () => {
  const result = await quotacast("help", "nope");
  expect(result.code).toBe(2);
  expect(result.stderr).toContain("unknown command 'nope'");
});
