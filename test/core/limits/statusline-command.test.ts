/** The statusline command's shape (which Node, which script) and whether it can still run. */
import {
  checkStatuslineCommand,
  planStatuslineCommand,
  type CommandProbe,
} from "../../../core/src/limits/statusline-command";

const SCRIPT = "/home/u/.local/share/quotacast/quotacast-statusline.cjs";

/** A file system holding exactly these executables and readable files. */
function probe(files: string[]): CommandProbe {
  const set = new Set(files);
  return { isExecutable: (f) => set.has(f), isReadable: (f) => set.has(f) };
}

const plan = (pathEnv: string, files: string[], execPath: string | null = null) =>
  planStatuslineCommand({ scriptPath: SCRIPT, pathEnv, execPath, probe: probe(files) });

test("the node on PATH, by the path PATH gives (not resolved), when its place is stable", () => {
  expect(plan("/home/u/bin:/opt/homebrew/bin:/usr/bin", ["/opt/homebrew/bin/node", "/usr/bin/node"])).toEqual(
    {
      ok: true,
      command: `/opt/homebrew/bin/node ${SCRIPT}`,
      node: "/opt/homebrew/bin/node",
      note: null,
    },
  );
});

test("paths with spaces or quotes are quoted for sh", () => {
  const result = planStatuslineCommand({
    scriptPath: "/Users/O'Neil/Library/quotacast/quotacast-statusline.cjs",
    pathEnv: "/opt/my node/bin",
    execPath: null,
    probe: probe(["/opt/my node/bin/node"]),
  });
  expect(result.ok && result.command).toBe(
    `'/opt/my node/bin/node' '/Users/O'\\''Neil/Library/quotacast/quotacast-statusline.cjs'`,
  );
});

test.each([
  "/home/u/.nvm/versions/node/v22.11.0/bin",
  "/run/user/1000/fnm_multishells/1234_5678/bin",
  "/home/u/.volta/tools/image/node/22.0.0/bin",
  "/home/u/.asdf/installs/nodejs/22.0.0/bin",
])("a version manager's node (%s): the bare name, which follows the active version", (dir) => {
  const result = plan(`${dir}:/usr/bin`, [`${dir}/node`, "/usr/bin/node"]);
  expect(result).toMatchObject({ ok: true, command: `node ${SCRIPT}`, node: "node" });
  expect(result.ok && result.note).toContain(dir);
});

test("never a path in npx's cache, never a bare name that is not on PATH", () => {
  const npxNode = "/home/u/.npm/_npx/1a2b/node_modules/.bin/node";
  expect(plan("/home/u/.npm/_npx/1a2b/node_modules/.bin", [npxNode], npxNode)).toMatchObject({
    ok: true,
    node: "node",
  });
  // No node on PATH: this Node when it stays, else a refusal saying what to do.
  expect(plan("/usr/local/sbin", [], "/usr/local/bin/node")).toMatchObject({ ok: false });
  expect(plan("/usr/local/sbin", ["/usr/local/bin/node"], "/usr/local/bin/node")).toMatchObject({
    ok: true,
    command: `/usr/local/bin/node ${SCRIPT}`,
  });
  const raycast = "/Applications/Raycast.app/Contents/Resources/node/bin/node";
  const refused = plan("/usr/sbin", [raycast], raycast);
  expect(refused).toMatchObject({ ok: false });
  expect(!refused.ok && refused.problem).toContain("application bundle");
  expect(!refused.ok && refused.fix).toMatch(/install Node\.js/);
});

describe("check", () => {
  const check = (command: string, pathEnv: string, files: string[]) =>
    checkStatuslineCommand(command, { pathEnv, probe: probe(files) });

  test("runnable when its node and script are there", () => {
    expect(check(`/usr/bin/node ${SCRIPT}`, "", ["/usr/bin/node", SCRIPT])).toEqual({
      runnable: true,
      problem: null,
      fix: null,
    });
    expect(check(`node ${SCRIPT} --wrap abc`, "/usr/bin", ["/usr/bin/node", SCRIPT]).runnable).toBe(true);
  });

  test("node removed or moved: cannot run, and says how to fix it", () => {
    const result = check(`'/opt/node 20/bin/node' ${SCRIPT}`, "/usr/bin", [SCRIPT, "/usr/bin/node"]);
    expect(result.runnable).toBe(false);
    expect(result.problem).toContain("/opt/node 20/bin/node is gone");
    expect(result.fix).toContain("quotacast statusline install");
  });

  test("a bare program that is not on PATH cannot run (the old `quotacast statusline`)", () => {
    const result = check("quotacast statusline", "/usr/bin", ["/usr/bin/node"]);
    expect(result).toMatchObject({ runnable: false, problem: "`quotacast` is not on your PATH" });
    expect(check(`node ${SCRIPT}`, "/usr/sbin", [SCRIPT]).fix).toMatch(/install Node\.js/);
  });

  test("the script deleted: cannot run; a script in npx's cache: runs today, flagged", () => {
    expect(check(`/usr/bin/node ${SCRIPT}`, "", ["/usr/bin/node"])).toMatchObject({ runnable: false });
    const cached = "/home/u/.npm/_npx/1a2b/node_modules/quotacast/dist/cli.js";
    const result = check(`/usr/bin/node ${cached} statusline`, "", ["/usr/bin/node", cached]);
    expect(result.runnable).toBe(true);
    expect(result.problem).toContain("npx's cache");
  });
});
