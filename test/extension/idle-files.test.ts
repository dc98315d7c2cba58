/** Idle transcripts: reported absent, and between sweeps not even stat'ed. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { nodeFiles, type FilePort } from "@quotacast/core";
import { IdleFiles } from "../../extension/src/idle-files";

const DAY_MS = 86_400_000;
const NOW_MS = Date.UTC(2026, 11, 2, 12);

function statCounting(inner: FilePort): FilePort & { statted: string[] } {
  const statted: string[] = [];
  return {
    statted,
    listFiles: (dir, suffix) => inner.listFiles(dir, suffix),
    readRange: (file, start, end, into) => inner.readRange(file, start, end, into),
    readText: (file) => inner.readText(file),
    stat: (file) => {
      statted.push(path.basename(file));
      return inner.stat(file);
    },
  };
}

let dir: string;
let record: string;
let oldFile: string;
let recentFile: string;
const sinceMs = () => NOW_MS - 16 * DAY_MS;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "quotacast-idle-"));
  record = path.join(dir, "support", "idle-files.json");
  oldFile = path.join(dir, "old.jsonl");
  recentFile = path.join(dir, "recent.jsonl");
  fs.writeFileSync(oldFile, "{}\n");
  fs.writeFileSync(recentFile, "{}\n");
  fs.utimesSync(oldFile, new Date(NOW_MS - 30 * DAY_MS), new Date(NOW_MS - 30 * DAY_MS));
  fs.utimesSync(recentFile, new Date(NOW_MS - DAY_MS), new Date(NOW_MS - DAY_MS));
});

afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(atMs: number): Promise<{ statted: string[]; old: unknown; recent: unknown }> {
  const counting = statCounting(nodeFiles);
  const idle = IdleFiles.load(record, sinceMs, { nowMs: () => atMs });
  const files = idle.wrap(counting);
  const result = { old: await files.stat(oldFile), recent: await files.stat(recentFile) };
  await idle.save();
  return { statted: counting.statted, ...result };
}

test("a sweep stats every file and reports the idle one as absent", async () => {
  const first = await run(NOW_MS);
  expect(first.statted.sort()).toEqual(["old.jsonl", "recent.jsonl"]);
  expect(first.old).toBeNull();
  expect(first.recent).not.toBeNull();
});

test("between sweeps an idle file is not stat'ed; after the hour it is again", async () => {
  await run(NOW_MS);
  const warm = await run(NOW_MS + 10 * 60_000);
  expect(warm.statted).toEqual(["recent.jsonl"]);
  expect(warm.old).toBeNull();

  // Written to again (a resumed file): seen at the next sweep.
  fs.appendFileSync(oldFile, "{}\n");
  const later = await run(NOW_MS + 61 * 60_000);
  expect(later.statted.sort()).toEqual(["old.jsonl", "recent.jsonl"]);
  expect(later.old).not.toBeNull();
});

test("an unreadable record means a sweep, never a skipped file", async () => {
  fs.mkdirSync(path.dirname(record), { recursive: true });
  fs.writeFileSync(record, "{not json");
  const first = await run(NOW_MS);
  expect(first.statted.sort()).toEqual(["old.jsonl", "recent.jsonl"]);
});

describe("listing", () => {
  /** Claude Code's layout: `projects/<project>/`. */
  const projects = () => path.join(dir, "projects");

  /** `p/<name>.jsonl` and its session directory `p/<name>/subagents/agent.jsonl`, all modified `ageMs` ago. */
  function session(name: string, ageMs: number): void {
    const main = path.join(projects(), "p", `${name}.jsonl`);
    const agent = path.join(projects(), "p", name, "subagents", "agent.jsonl");
    fs.mkdirSync(path.dirname(agent), { recursive: true });
    for (const file of [main, agent]) {
      fs.writeFileSync(file, "{}\n");
      fs.utimesSync(file, new Date(NOW_MS - ageMs), new Date(NOW_MS - ageMs));
    }
  }

  async function list(atMs: number): Promise<string[]> {
    const idle = IdleFiles.load(record, sinceMs, { nowMs: () => atMs });
    const files = idle.wrap(nodeFiles);
    const listed = await files.listFiles(projects(), ".jsonl");
    for (const file of listed) await files.stat(file);
    await idle.save();
    return listed.map((f) => path.relative(projects(), f)).sort();
  }

  test("between sweeps the directory of an idle session is not listed; the next sweep lists it", async () => {
    session("idle-session", 30 * DAY_MS);
    session("live-session", DAY_MS);
    const all = [
      "p/idle-session.jsonl",
      "p/idle-session/subagents/agent.jsonl",
      "p/live-session.jsonl",
      "p/live-session/subagents/agent.jsonl",
    ].map((f) => f.split("/").join(path.sep));
    expect(await list(NOW_MS)).toEqual(all);
    const warm = await list(NOW_MS + 10 * 60_000);
    expect(warm).toEqual(all.filter((f) => !f.includes(`idle-session${path.sep}`)));
    // A new session in a project is seen at once: project directories are read every run.
    session("new-session", 0);
    expect(await list(NOW_MS + 20 * 60_000)).toContain(path.join("p", "new-session.jsonl"));
    const withNew = [
      ...all,
      path.join("p", "new-session.jsonl"),
      path.join("p", "new-session", "subagents", "agent.jsonl"),
    ];
    expect(await list(NOW_MS + 61 * 60_000)).toEqual(withNew.sort());
  });

  test("what a sweep observed is what a run between sweeps looks at: not the idle sessions' directories", async () => {
    session("idle-session", 30 * DAY_MS);
    session("live-session", DAY_MS);
    const observedBy = async (atMs: number) => {
      const idle = IdleFiles.load(record, sinceMs, { nowMs: () => atMs });
      const files = idle.wrap(nodeFiles);
      for (const file of await files.listFiles(projects(), ".jsonl")) await files.stat(file);
      await idle.save();
      const { dirs, files: active } = idle.observed();
      const rel = (paths: Iterable<string>) => [...paths].map((p) => path.relative(projects(), p)).sort();
      return { dirs: rel(dirs.keys()), files: rel(active.keys()) };
    };
    const sweep = await observedBy(NOW_MS);
    const between = await observedBy(NOW_MS + 10 * 60_000);
    expect(sweep).toEqual(between);
    expect(sweep.dirs).toEqual(
      ["", "p", "p/live-session", "p/live-session/subagents"].map((f) => f.split("/").join(path.sep)),
    );
    expect(sweep.files).toEqual(
      ["p/live-session.jsonl", "p/live-session/subagents/agent.jsonl"].map((f) =>
        f.split("/").join(path.sep),
      ),
    );
  });

  test("a directory that cannot be read is reported, in a sweep and between sweeps", async () => {
    const loop = path.join(dir, "loop");
    fs.symlinkSync(loop, loop); // reading it fails with ELOOP (tests may run as root: no EACCES)
    const unreadable: string[] = [];
    const listLoop = (atMs: number) =>
      IdleFiles.load(record, sinceMs, { nowMs: () => atMs })
        .wrap(nodeFiles)
        .listFiles(loop, ".jsonl", (d) => unreadable.push(d));
    expect(await listLoop(NOW_MS)).toEqual([]); // no record: a sweep
    await list(NOW_MS); // the sweep's record
    expect(await listLoop(NOW_MS + 10 * 60_000)).toEqual([]); // between sweeps
    expect(unreadable).toEqual([loop, loop]);
  });
});
