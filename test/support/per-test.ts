/**
 * Fixtures a describe block sets up and tears down with jest's hooks (a temp dir, a config
 * dir): call one inside the block, and the returned function inside a test to get the value.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** Made before each test of the calling block, cleaned up after it. */
export function perTest<T>(create: () => T, cleanup: (value: T) => void): () => T {
  return hooked(beforeEach, afterEach, create, cleanup);
}

/** Made once before the first test of the calling block, cleaned up after its last. */
function perBlock<T>(create: () => T, cleanup: (value: T) => void): () => T {
  return hooked(beforeAll, afterAll, create, cleanup);
}

/** A fresh empty directory under the system's temp dir for each test. */
export function tempDirPerTest(prefix: string): () => string {
  return perTest(() => makeTempDir(prefix), removeDir);
}

/** One empty directory under the system's temp dir for all the tests of the block. */
export function tempDirPerBlock(prefix: string): () => string {
  return perBlock(() => makeTempDir(prefix), removeDir);
}

function hooked<T>(
  before: (fn: () => void) => void,
  after: (fn: () => void) => void,
  create: () => T,
  cleanup: (value: T) => void,
): () => T {
  let current: { value: T } | null = null;
  before(() => {
    current = { value: create() };
  });
  after(() => {
    if (current) cleanup(current.value);
    current = null;
  });
  return () => {
    if (!current) throw new Error("a per-test fixture is there only while a test runs");
    return current.value;
  };
}

function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Runs `use` with a fresh temp dir and removes the dir when `use` (or its promise) is done. */
export async function withTempDir<T>(prefix: string, use: (dir: string) => T | Promise<T>): Promise<T> {
  const dir = makeTempDir(prefix);
  try {
    return await use(dir);
  } finally {
    removeDir(dir);
  }
}
