/** The first-scan progress line: terminal only, after half a second, erased at the end. */
import { transcriptProgress } from "../../../exporter/src/terminal/progress";

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  const stream = {
    isTTY,
    columns: 80,
    write: (text: string, callback?: () => void) => {
      writes.push(text);
      callback?.();
      return true;
    },
  };
  return { stream: stream as unknown as NodeJS.WriteStream, writes };
}

test("shows nothing for a scan under half a second, then the bytes read, and erases itself", () => {
  let nowMs = 1_000;
  const { stream, writes } = fakeStream(true);
  const progress = transcriptProgress(stream, () => nowMs);
  nowMs += 400;
  progress.update({ bytesDone: 10e6, bytesTotal: 100e6 });
  expect(writes.join("")).toBe("");

  nowMs += 200;
  progress.update({ bytesDone: 50e6, bytesTotal: 100e6 });
  expect(writes.join("")).toContain("50 of 100 MB (50%)");

  writes.length = 0;
  progress.done();
  expect(writes.join("")).not.toContain("MB");
  expect(writes.join("")).toMatch(/\[2K|\[0K|\[K/);
});

test("a short scan leaves no trace, and a pipe never gets a progress line", () => {
  let nowMs = 0;
  const tty = fakeStream(true);
  const quick = transcriptProgress(tty.stream, () => nowMs);
  nowMs = 100;
  quick.update({ bytesDone: 1, bytesTotal: 1 });
  quick.done();
  expect(tty.writes).toEqual([]);

  const pipe = fakeStream(false);
  const piped = transcriptProgress(pipe.stream, () => nowMs);
  nowMs = 5_000;
  piped.update({ bytesDone: 1, bytesTotal: 2 });
  piped.done();
  expect(pipe.writes).toEqual([]);
});
