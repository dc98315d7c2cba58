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

test.each([
  { what: "a short scan on a terminal", isTTY: true, elapsedMs: 100, read: { bytesDone: 1, bytesTotal: 1 } },
  { what: "a long scan into a pipe", isTTY: false, elapsedMs: 5_000, read: { bytesDone: 1, bytesTotal: 2 } },
])("$what leaves no trace", ({ isTTY, elapsedMs, read }) => {
  let nowMs = 0;
  const { stream, writes } = fakeStream(isTTY);
  const progress = transcriptProgress(stream, () => nowMs);
  nowMs = elapsedMs;
  progress.update(read);
  progress.done();
  expect(writes).toEqual([]);
});
