/**
 * The Raycast store builds an extension from its own folder with its own lock file, and
 * @quotacast/core is not on the registry: the extension carries a copy of the core modules it
 * uses, generated into extension/vendor/core/ (same layout as core/src).
 *
 *   tsx scripts/vendor-core.ts     (npm run extension:vendor) regenerate extension/vendor/core/
 *
 * The extension imports that copy by relative path, and only through core's subpath entries
 * (core/package.json `exports`, e.g. `../vendor/core/report`): those entries and everything
 * they import (type imports too, for the type check) are copied, nothing else, so the bundle
 * cannot reach core's OAuth, Admin API or credentials code. The registry packages the copy
 * imports must be dependencies of the extension (checked here). test/extension/vendor.test.ts
 * regenerates the copy to a temp dir and fails when it differs from the committed one.
 */
import * as fs from "node:fs";
import { builtinModules } from "node:module";
import * as path from "node:path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..");
const CORE = path.join(ROOT, "core");
const CORE_SRC = path.join(CORE, "src");
const EXTENSION = path.join(ROOT, "extension");
export const VENDOR_DIR = path.join(EXTENSION, "vendor", "core");

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, "utf8")) as T;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** core's subpath entries: `report` -> core/src/report/index.ts (from the `exports` map). */
function coreEntries(): Map<string, string> {
  const exportsMap = readJson<{ exports: Record<string, { default: string }> }>(
    path.join(CORE, "package.json"),
  ).exports;
  return new Map(
    Object.entries(exportsMap)
      .filter(([subpath]) => subpath !== ".")
      .map(([subpath, target]) => [
        subpath.slice(2),
        path.join(CORE_SRC, target.default.replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts")),
      ]),
  );
}

/**
 * The core entries extension/src imports from the vendored copy, each with whether only types
 * are taken from it; an import of anything but an entry is an error.
 */
function importedEntries(entries: Map<string, string>): Map<string, { typeOnly: boolean }> {
  const used = new Map<string, { typeOnly: boolean }>();
  for (const file of sourceFiles(path.join(EXTENSION, "src"))) {
    for (const { specifier, typeOnly } of importsOf(file, fs.readFileSync(file, "utf8"))) {
      if (specifier.startsWith("@quotacast/")) {
        throw new Error(
          `${path.relative(ROOT, file)} imports ${specifier}: import the vendored copy (../vendor/core/...)`,
        );
      }
      if (!specifier.startsWith(".")) continue;
      const target = path.relative(VENDOR_DIR, path.resolve(path.dirname(file), specifier));
      if (target.startsWith("..")) continue; // the extension's own module
      const entry = target.split(path.sep).join("/");
      if (!entries.has(entry)) {
        throw new Error(
          `${path.relative(ROOT, file)} imports ${specifier}, which is not one of core's subpath entries ` +
            `(core/package.json exports: ${[...entries.keys()].join(", ")})`,
        );
      }
      used.set(entry, { typeOnly: typeOnly && (used.get(entry)?.typeOnly ?? true) });
    }
  }
  return new Map([...used].sort(([a], [b]) => a.localeCompare(b)));
}

function resolveRelative(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [`${base}.ts`, path.join(base, "index.ts"), base]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${path.relative(ROOT, from)}: cannot resolve ${specifier}`);
}

const packageNameOf = (specifier: string): string =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");

const isBuiltin = (specifier: string): boolean =>
  specifier.startsWith("node:") || builtinModules.includes(packageNameOf(specifier));

export interface VendoredCore {
  /** The subpath entries extension/src imports. */
  entries: string[];
  /** Files copied as source (what the bundle may run), relative to core/src. */
  sources: string[];
  /** Files reached only by `import type`: their declarations (.d.ts), relative to core/src. */
  declarations: string[];
  /** Registry packages the copy imports. */
  packages: string[];
}

interface ImportRef {
  specifier: string;
  /** `import type`, `export type`, or every named binding `type`: erased, ships nothing. */
  typeOnly: boolean;
}

/** The import and re-export declarations of a module, with whether each is erased. */
function importsOf(fileName: string, text: string): ImportRef[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const refs: ImportRef[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const clause = statement.importClause;
      const named = clause?.namedBindings;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            named !== undefined &&
            ts.isNamedImports(named) &&
            named.elements.every((e) => e.isTypeOnly)));
      refs.push({ specifier: statement.moduleSpecifier.text, typeOnly });
    } else if (
      ts.isExportDeclaration(statement) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier)
    ) {
      const clause = statement.exportClause;
      const typeOnly =
        statement.isTypeOnly ||
        (clause !== undefined && ts.isNamedExports(clause) && clause.elements.every((e) => e.isTypeOnly));
      refs.push({ specifier: statement.moduleSpecifier.text, typeOnly });
    }
  }
  // Anything else that loads a module (require, import()) is taken as a runtime import.
  const declared = new Set(refs.map((r) => r.specifier));
  for (const { fileName: specifier } of ts.preProcessFile(text, true, true).importedFiles) {
    if (!declared.has(specifier)) refs.push({ specifier, typeOnly: false });
  }
  return refs;
}

const relativeToCore = (file: string): string => path.relative(CORE_SRC, file).split(path.sep).join("/");

/**
 * Core's compiler, asked for the declarations of the modules only types are taken from: the
 * copy then holds their types without their code (the OAuth source's config type, not the
 * OAuth source). One program over core's sources serves every call.
 */
function declarationEmitter(): (files: string[]) => Map<string, string> {
  let program: ts.Program | null = null;
  const coreProgram = (): ts.Program => {
    if (program) return program;
    const config = ts.getParsedCommandLineOfConfigFile(
      path.join(CORE, "tsconfig.json"),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
        },
      },
    );
    if (!config) throw new Error("cannot read core/tsconfig.json");
    program = ts.createProgram(config.fileNames, {
      ...config.options,
      composite: false,
      incremental: false,
      declaration: true,
      declarationMap: false,
      sourceMap: false,
      emitDeclarationOnly: true,
      noEmit: false,
    });
    return program;
  };
  return (files) => {
    const out = new Map<string, string>();
    for (const file of files) {
      const sourceFile = coreProgram().getSourceFile(file);
      if (!sourceFile) throw new Error(`${relativeToCore(file)}: not in core's program`);
      const result = coreProgram().emit(sourceFile, (_name, text) => out.set(file, text), undefined, true);
      const errors = result.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
      if (errors.length > 0 || !out.has(file)) {
        throw new Error(
          `${relativeToCore(file)}: no declarations (${errors.map((d) => d.messageText).join("; ")})`,
        );
      }
    }
    return out;
  };
}

/**
 * The entries' closure within core/src: modules reached by runtime imports are copied as
 * source; modules reached only through `import type` become declarations, whose own imports
 * are followed in turn.
 */
function closure(
  runtimeEntries: string[],
  typeEntries: string[],
): Omit<VendoredCore, "entries"> & { declarationText: Map<string, string> } {
  const sources = new Set<string>();
  const typeOnly = new Set<string>();
  const packages = new Set<string>();
  const follow = (from: string, refs: ImportRef[], runtime: string[], types: string[]) => {
    for (const ref of refs) {
      if (!ref.specifier.startsWith(".")) {
        if (!isBuiltin(ref.specifier)) packages.add(packageNameOf(ref.specifier));
      } else (ref.typeOnly ? types : runtime).push(resolveRelative(from, ref.specifier));
    }
  };
  const runtimeQueue = [...runtimeEntries];
  let typeQueue = [...typeEntries];
  while (runtimeQueue.length > 0) {
    const file = runtimeQueue.pop() as string;
    if (sources.has(file)) continue;
    sources.add(file);
    if (file.endsWith(".ts"))
      follow(file, importsOf(file, fs.readFileSync(file, "utf8")), runtimeQueue, typeQueue);
  }
  const declarationText = new Map<string, string>();
  const declarationsOf = declarationEmitter();
  while ((typeQueue = typeQueue.filter((f) => !sources.has(f) && !typeOnly.has(f))).length > 0) {
    for (const file of typeQueue) typeOnly.add(file);
    const emitted = declarationsOf(typeQueue);
    const next: string[] = [];
    for (const [file, text] of emitted) {
      declarationText.set(file, text);
      follow(file, importsOf(file, text), next, next);
    }
    typeQueue = next;
  }
  return {
    sources: [...sources].map(relativeToCore).sort(),
    declarations: [...typeOnly].map(relativeToCore).sort(),
    packages: [...packages].sort(),
    declarationText: new Map([...declarationText].map(([file, text]) => [relativeToCore(file), text])),
  };
}

type Dependencies = { dependencies?: Record<string, string> };

/** The extension depends on each package the copy imports, with core's version range. */
function checkDependencies(packages: string[]): void {
  const core = readJson<Dependencies>(path.join(CORE, "package.json")).dependencies ?? {};
  const extension = readJson<Dependencies>(path.join(EXTENSION, "package.json")).dependencies ?? {};
  const wrong = packages.filter((p) => extension[p] !== core[p]);
  if (wrong.length > 0) {
    const wanted = wrong.map((p) => `"${p}": "${core[p]}"`).join(", ");
    throw new Error(
      `the vendored core imports ${wrong.join(", ")}: extension/package.json dependencies need ${wanted}`,
    );
  }
}

function header(file: string, what: "source" | "declarations"): string {
  const from = what === "source" ? `core/src/${file}` : `the declarations of core/src/${file}`;
  return `// Generated from ${from} by scripts/vendor-core.ts (npm run extension:vendor): do not edit.\n`;
}

function readme(vendored: VendoredCore): string {
  return [
    "# Vendored @quotacast/core",
    "",
    "Generated by `npm run extension:vendor` (scripts/vendor-core.ts) from core/src: do not edit.",
    "@quotacast/core is not on the registry, and the Raycast store builds this folder alone, so",
    "the core modules the extension imports travel with it. Only core's subpath entries that",
    "extension/src imports, and what they import, are here: as source what the extension may",
    "run, as declarations (.d.ts) the modules it takes only types from.",
    "",
    "Entries:",
    "",
    ...vendored.entries.map((e) => `- \`${e}\``),
    "",
    "Declarations only:",
    "",
    ...vendored.declarations.map((f) => `- \`${f.replace(/\.ts$/, ".d.ts")}\``),
    "",
  ].join("\n");
}

function writeFile(target: string, text: string): void {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, text);
}

/** Writes the vendored copy into `outDir` (emptied first). */
export function vendorCore(outDir: string = VENDOR_DIR): VendoredCore {
  const entries = coreEntries();
  const used = importedEntries(entries);
  const fileOf = (typeOnly: boolean) =>
    [...used].filter(([, use]) => use.typeOnly === typeOnly).map(([entry]) => entries.get(entry) as string);
  const { sources, declarations, packages, declarationText } = closure(fileOf(false), fileOf(true));
  checkDependencies(packages);
  fs.rmSync(outDir, { recursive: true, force: true });
  for (const file of sources) {
    const text = fs.readFileSync(path.join(CORE_SRC, file), "utf8");
    writeFile(path.join(outDir, file), file.endsWith(".ts") ? header(file, "source") + text : text);
  }
  for (const file of declarations) {
    writeFile(
      path.join(outDir, file.replace(/\.ts$/, ".d.ts")),
      header(file, "declarations") + declarationText.get(file),
    );
  }
  const vendored = { entries: [...used.keys()], sources, declarations, packages };
  fs.writeFileSync(path.join(outDir, "README.md"), readme(vendored));
  return vendored;
}

if (require.main === module) {
  try {
    const vendored = vendorCore();
    process.stdout.write(
      `extension/vendor/core: ${vendored.entries.length} entries, ${vendored.sources.length} sources, ` +
        `${vendored.declarations.length} declarations; ` +
        `packages: ${vendored.packages.join(", ")}\n`,
    );
  } catch (err) {
    process.stderr.write(`extension:vendor: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
