/**
 * The extension's vendored core (extension/vendor/core, scripts/vendor-core.ts): the committed
 * copy is what the script generates from core/src today, and it carries no OAuth, Admin API,
 * credentials or evaluation code (only the declarations of modules it takes types from).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { VENDOR_DIR, vendorCore, type VendoredCore } from "../../scripts/vendor-core";

const EXTENSION = path.join(__dirname, "../../extension");
/** What a store reviewer would ask about (Keychain access is refused in the store). */
const FORBIDDEN_TEXT = ["Claude Code-credentials", "oauth/usage", "security find-generic"];

/** Every file under `dir`, relative, with its content. */
function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (at: string) => {
    for (const e of fs.readdirSync(at, { withFileTypes: true })) {
      const p = path.join(at, e.name);
      if (e.isDirectory()) walk(p);
      else files.set(path.relative(dir, p), fs.readFileSync(p, "utf8"));
    }
  };
  walk(dir);
  return files;
}

let generated: { dir: string; vendored: VendoredCore };

beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quotacast-vendor-"));
  generated = { dir, vendored: vendorCore(dir) };
});

afterAll(() => fs.rmSync(generated.dir, { recursive: true, force: true }));

test("extension/vendor/core is what core/src generates (regenerate: npm run extension:vendor)", () => {
  const committed = tree(VENDOR_DIR);
  const fresh = tree(generated.dir);
  expect([...committed.keys()].sort()).toEqual([...fresh.keys()].sort());
  const differing = [...fresh].filter(([file, text]) => committed.get(file) !== text).map(([file]) => file);
  expect(differing).toEqual([]);
});

test("the copy runs the statusline and header-file sources, the ledger and the installer", () => {
  expect(generated.vendored.sources).toEqual(
    expect.arrayContaining([
      "ingest/ledger.ts",
      "limits/sources/statusline.ts",
      "limits/sources/header-file.ts",
      "statusline/install.ts",
    ]),
  );
});

test("no OAuth, Admin API, credentials or evaluation code is in the copy, only types it names", () => {
  const forbidden = (f: string) =>
    f === "index.ts" ||
    f.startsWith("limits/oauth/") ||
    f.startsWith("limits/admin/") ||
    f === "limits/sources/oauth.ts" ||
    f === "limits/sources/admin.ts" ||
    f === "limits/sources/index.ts";
  expect(generated.vendored.sources.filter(forbidden)).toEqual([]);
  expect(generated.vendored.declarations).toContain("limits/sources/oauth.ts");
});

test("no file of the extension's folder mentions the Keychain item or the OAuth usage endpoint", () => {
  const folder = [
    ...tree(path.join(EXTENSION, "src")),
    ...tree(VENDOR_DIR),
    ...tree(path.join(EXTENSION, "assets")),
  ];
  const hits = folder
    .filter(([, text]) => FORBIDDEN_TEXT.some((t) => text.includes(t)))
    .map(([file]) => file);
  expect(hits).toEqual([]);
});
