/**
 * Watching a transcript tree for changes without blocking the event loop. Node's recursive
 * `fs.watch` on Linux walks the tree synchronously and watches every file (0.8 s on a
 * 1,500-file history, during which `/metrics` cannot answer); here each directory gets
 * one non-recursive watch (inotify reports changes to the files in it), added by an
 * asynchronous walk, and directories created later are added when they appear. Elsewhere
 * the platform's recursive watch is native and cheap, and is used as is.
 */
import * as fs from "node:fs";
import { readdir, stat } from "node:fs/promises";
import * as path from "node:path";

export interface TreeWatch {
  close(): void;
}

export function watchTree(root: string, onChange: () => void, onError: (err: Error) => void): TreeWatch {
  if (process.platform !== "linux") {
    const watcher = fs.watch(root, { recursive: true, persistent: false }, onChange);
    watcher.on("error", (err: NodeJS.ErrnoException) => {
      // A symlink loop (a .jsonl linked to itself) is one entry the walk cannot follow: keep watching.
      if (err.code === "ELOOP") return;
      onError(err);
      watcher.close();
    });
    return watcher;
  }
  if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory())
    throw new Error(`${root} is not a directory`);
  const watchers = new Map<string, fs.FSWatcher>();
  let closed = false;

  const addIfDirectory = async (candidate: string): Promise<void> => {
    try {
      if ((await stat(candidate)).isDirectory()) await add(candidate);
    } catch {
      // gone again, or not readable: nothing to watch
    }
  };

  const add = async (dir: string): Promise<void> => {
    if (closed || watchers.has(dir)) return;
    let watcher: fs.FSWatcher;
    try {
      watcher = fs.watch(dir, { persistent: false }, (event, name) => {
        onChange();
        if (event === "rename" && name) void addIfDirectory(path.join(dir, String(name)));
      });
    } catch {
      return;
    }
    watcher.on("error", (err) => {
      watcher.close();
      watchers.delete(dir);
      if (dir === root) onError(err);
    });
    watchers.set(dir, watcher);
    let entries: fs.Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) await add(path.join(dir, entry.name));
    }
  };

  void add(root);
  return {
    close() {
      closed = true;
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
