import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { claudeConfigDirs, transcriptOrigin } from "@quotacast/core";

describe("claudeConfigDirs", () => {
  let home: string;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "quotacast-home-"));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  const withProjects = (...segments: string[]): string => {
    const dir = path.join(home, ...segments);
    fs.mkdirSync(path.join(dir, "projects"), { recursive: true });
    return dir;
  };

  it("uses only CLAUDE_CONFIG_DIR entries when set: trimmed, ~ expanded, only those with projects/", () => {
    const a = withProjects("a");
    withProjects(".claude"); // ignored because CLAUDE_CONFIG_DIR is set
    fs.mkdirSync(path.join(home, "no-projects"));
    const env = { CLAUDE_CONFIG_DIR: ` ${a} , ~/b ,~/no-projects,, ` };
    const b = withProjects("b");
    expect(claudeConfigDirs({ env, homeDir: home })).toEqual([a, b]);
  });

  it("defaults to ~/.config/claude and ~/.claude", () => {
    const xdgDefault = withProjects(".config", "claude");
    const legacy = withProjects(".claude");
    expect(claudeConfigDirs({ env: {}, homeDir: home })).toEqual([xdgDefault, legacy]);
  });

  it("honours XDG_CONFIG_HOME and skips dirs without projects/", () => {
    const xdg = withProjects("xdg", "claude");
    fs.mkdirSync(path.join(home, ".claude"));
    expect(claudeConfigDirs({ env: { XDG_CONFIG_HOME: path.join(home, "xdg") }, homeDir: home })).toEqual([
      xdg,
    ]);
  });

  it("returns nothing when no dir has transcripts", () => {
    expect(claudeConfigDirs({ env: {}, homeDir: home })).toEqual([]);
  });
});

describe("transcriptOrigin", () => {
  const config = path.join(path.sep, "c");
  it("takes the project from the first segment and the session from the file stem", () => {
    expect(transcriptOrigin(config, path.join(config, "projects", "-Users-me-app", "abc.jsonl"))).toEqual({
      project: "-Users-me-app",
      sessionId: "abc",
    });
  });
  it("takes the session directory for nested subagent files", () => {
    const file = path.join(config, "projects", "P", "sess", "subagents", "agent-1.jsonl");
    expect(transcriptOrigin(config, file)).toEqual({ project: "P", sessionId: "sess" });
  });
  it("reads a path that is not as listed (dot segments, doubled separators) as path.relative does", () => {
    const projects = path.join(config, "projects");
    const written = [
      `${projects}${path.sep}.${path.sep}P${path.sep}a.jsonl`,
      `${projects}${path.sep}Q${path.sep}..${path.sep}P${path.sep}sess${path.sep}subagents${path.sep}x.jsonl`,
      `${projects}${path.sep}${path.sep}P${path.sep}b.jsonl`,
      `${projects}${path.sep}..${path.sep}projects${path.sep}P${path.sep}c.jsonl`,
      `${projects}${path.sep}P${path.sep}.hidden.jsonl`,
    ];
    expect(written.map((file) => transcriptOrigin(config, file))).toEqual([
      { project: "P", sessionId: "a" },
      { project: "P", sessionId: "sess" },
      { project: "P", sessionId: "b" },
      { project: "P", sessionId: "c" },
      { project: "P", sessionId: ".hidden" },
    ]);
  });
});
