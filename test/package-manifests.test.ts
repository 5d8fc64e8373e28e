import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * What makes each publishable package installable on its own: a README, the license, an exports map with types,
 * `@nudge/*` ranges other versions can meet, and every module its built `.d.ts` and `.js` files import declared
 * in its own dependencies (with types that resolve), not borrowed from this repository's devDependencies.
 */
const root = resolve(import.meta.dirname, "..");

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  description?: string;
  license?: string;
  engines?: { node?: string };
  exports?: Record<string, { types?: string; default?: string }>;
  files?: string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const read = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Manifest;
const dirs = ["core", ...["plugins", "adapters"].flatMap((g) => readdirSync(join(root, g)).map((d) => `${g}/${d}`))].filter((d) => existsSync(join(root, d, "package.json")));
const packages = dirs.map((dir) => ({ dir, pkg: read(join(root, dir, "package.json")) })).filter(({ pkg }) => !pkg.private);
const versions = new Map(packages.map(({ pkg }) => [pkg.name, pkg.version]));
const builtins = new Set(builtinModules);

function filesUnder(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path, suffix) : path.endsWith(suffix) ? [path] : [];
  });
}

/** The bare package names a file imports (TypeScript's own scanner: imports, re-exports, import() types, `/// <reference types>`). */
function importedPackages(file: string): Set<string> {
  const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  const names = [...info.importedFiles.map((f) => f.fileName), ...info.typeReferenceDirectives.map((f) => f.fileName)];
  return new Set(
    names
      .filter((n) => !n.startsWith(".") && !n.startsWith("node:") && !builtins.has(n))
      .map((n) => n.split("/").slice(0, n.startsWith("@") ? 2 : 1).join("/")),
  );
}

/** Where `name` is installed as seen from `dir` (node_modules looked up upward, as Node does). */
function installedDir(name: string, dir: string): string | undefined {
  for (let d = dir; ; d = resolve(d, "..")) {
    if (existsSync(join(d, "node_modules", name, "package.json"))) return join(d, "node_modules", name);
    if (d === resolve(d, "..")) return undefined;
  }
}

/** Whether a package carries its own declarations (types/typings, an exports "types" condition, or index.d.ts). */
function shipsTypes(name: string, dir: string): boolean {
  const at = installedDir(name, dir);
  if (!at) return false;
  const pkg = JSON.parse(readFileSync(join(at, "package.json"), "utf8")) as { types?: string; typings?: string; typesVersions?: unknown; exports?: unknown };
  return Boolean(pkg.types ?? pkg.typings ?? pkg.typesVersions) || JSON.stringify(pkg.exports ?? {}).includes('"types"') || existsSync(join(at, "index.d.ts"));
}

const typesPackage = (name: string) => `@types/${name.startsWith("@") ? name.slice(1).replace("/", "__") : name}`;

describe.each(packages)("$pkg.name ($dir)", ({ dir, pkg }) => {
  const abs = join(root, dir);
  const declared = { ...pkg.dependencies, ...pkg.peerDependencies };

  it("has a description, a README, the MIT license file, engines >=20, and ships dist, src (for the maps), README and LICENSE", () => {
    expect(pkg.description, "description").toBeTruthy();
    expect(existsSync(join(abs, "README.md")), "README.md").toBe(true);
    expect(pkg.license).toBe("MIT");
    expect(readFileSync(join(abs, "LICENSE"), "utf8")).toBe(readFileSync(join(root, "LICENSE"), "utf8"));
    expect(pkg.engines?.node).toBe(">=20");
    expect(pkg.files).toEqual(expect.arrayContaining(["dist", "src", "README.md", "LICENSE"]));
  });

  it("exports each entry with its types first", () => {
    expect(pkg.exports?.["."], "exports['.']").toBeDefined();
    for (const [entry, target] of Object.entries(pkg.exports ?? {})) {
      expect(Object.keys(target)[0], `exports['${entry}']`).toBe("types");
      expect(target.types, `exports['${entry}'].types`).toMatch(/^\.\/dist\/.+\.d\.ts$/);
      expect(target.default, `exports['${entry}'].default`).toMatch(/^\.\/dist\/.+\.js$/);
    }
  });

  it("names other @nudge packages with caret ranges their current versions meet, and never a private one", () => {
    for (const [name, range] of Object.entries(declared).filter(([n]) => n.startsWith("@nudge/"))) {
      expect(versions.has(name), `${name} is published`).toBe(true);
      expect(range, name).toBe(`^${versions.get(name)}`);
    }
  });

  it("declares every package its built .d.ts files import, with types that come along", () => {
    const declarations = filesUnder(join(abs, "dist"), ".d.ts");
    expect(declarations.length, `${dir}/dist has no .d.ts: build first (npm run build)`).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const name of new Set(declarations.flatMap((f) => [...importedPackages(f)]))) {
      if (name === pkg.name) continue;
      if (!(name in declared)) problems.push(`${name} is imported by a .d.ts but is not in dependencies or peerDependencies`);
      else if (!shipsTypes(name, abs) && !(typesPackage(name) in declared)) problems.push(`${name} ships no types: add ${typesPackage(name)} to dependencies`);
    }
    expect(problems).toEqual([]);
  });

  it("declares every package its built .js files import", () => {
    const imported = new Set(filesUnder(join(abs, "dist"), ".js").flatMap((f) => [...importedPackages(f)]));
    expect([...imported].filter((n) => n !== pkg.name && !(n in declared))).toEqual([]);
  });
});

describe("versioning with Changesets", () => {
  const config = JSON.parse(readFileSync(join(root, ".changeset/config.json"), "utf8")) as { access: string; fixed: string[][]; ignore: string[] };

  it("publishes every public package publicly, all at one version", () => {
    expect(config.access).toBe("public");
    expect(config.fixed).toEqual([[...versions.keys()].sort()]);
    expect(new Set(versions.values()).size).toBe(1);
  });

  it("ignores the private workspaces (examples, tests, benchmarks), and they are private", () => {
    const dirs = [...readdirSync(join(root, "examples")).map((d) => `examples/${d}`), "test", "bench"];
    const workspaces = dirs.filter((d) => existsSync(join(root, d, "package.json"))).map((d) => read(join(root, d, "package.json")));
    for (const w of workspaces) expect(w.private, w.name).toBe(true);
    expect([...config.ignore].sort()).toEqual(workspaces.map((w) => w.name).sort());
  });
});
