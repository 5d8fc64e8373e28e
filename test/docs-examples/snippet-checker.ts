import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { where, type DocBlock } from "./markdown-blocks.js";
import type { Prelude } from "./preludes.js";

/** A docs block to type-check, where to put it, and what goes in front of it. */
export interface Snippet {
  block: DocBlock;
  /** The folder the scratch file is written to: its relative imports resolve from there. */
  dir: string;
  prelude: Prelude | null;
}

/** The names a block declares at its top level (imports included): a prelude leaves those to it. */
export function declaredNames(text: string): Set<string> {
  const names = new Set<string>();
  const bind = (name: ts.BindingName | undefined): void => {
    if (!name) return;
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const e of name.elements) if (!ts.isOmittedExpression(e)) bind(e.name);
  };
  for (const s of ts.createSourceFile("block.ts", text, ts.ScriptTarget.Latest).statements) {
    if (ts.isImportDeclaration(s) && s.importClause) {
      bind(s.importClause.name);
      const b = s.importClause.namedBindings;
      if (b && ts.isNamespaceImport(b)) bind(b.name);
      else if (b) for (const e of b.elements) bind(e.name);
    } else if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) bind(d.name);
    else if ((ts.isFunctionDeclaration(s) || ts.isClassDeclaration(s) || ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isEnumDeclaration(s)) && s.name) names.add(s.name.text);
  }
  return names;
}

/** Whether the block is a module of its own: it imports or exports something. */
export const isModule = (text: string): boolean =>
  ts.createSourceFile("block.ts", text, ts.ScriptTarget.Latest).statements.some((s) => ts.isImportDeclaration(s) || ts.isExportDeclaration(s) || ts.isExportAssignment(s));

/** A prelude's `declare const name: Type;` as JavaScript can say it (JSDoc), for a JavaScript block. */
const asJavaScript = (line: string): string =>
  line.replace(/^declare const (\w+): (.+);$/, "/** @type {$2} */ const $1 = /** @type {any} */ (undefined);");

/** `@nudge/*` (and subpath exports) mapped to the sources, as vitest.config.ts maps them: docs are checked against the code as it stands. */
function workspacePaths(root: string): Record<string, string[]> {
  const paths: Record<string, string[]> = {};
  const dirs = [join(root, "core"), ...["plugins", "adapters"].flatMap((g) => readdirSync(join(root, g)).map((d) => join(root, g, d)))];
  for (const dir of dirs) {
    if (!existsSync(join(dir, "package.json"))) continue;
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string; exports?: Record<string, unknown> };
    for (const sub of Object.keys(pkg.exports ?? { ".": null })) {
      const src = join(dir, sub === "." ? "src/index.ts" : `src/${sub.slice(2)}/index.ts`);
      if (existsSync(src)) paths[sub === "." ? pkg.name : `${pkg.name}/${sub.slice(2)}`] = [src];
    }
  }
  return paths;
}

const LIBS: Record<Prelude["env"], string[]> = { node: ["es2023"], browser: ["es2023", "dom", "dom.iterable"], "service-worker": ["es2023", "webworker"] };

/**
 * The repository's compiler options (tsconfig.base.json) for checking, in the given environment, with what a host
 * compiles with: `strict`, without this repository's `noUncheckedIndexedAccess` (the tsconfig of
 * docs/getting-started.md). JavaScript is checked as JavaScript (checkJs, not strict): it has no annotations.
 */
function options(root: string, env: Prelude["env"], js: boolean): ts.CompilerOptions {
  const config = {
    extends: "./tsconfig.base.json",
    compilerOptions: {
      noEmit: true,
      composite: false,
      declaration: false,
      declarationMap: false,
      sourceMap: false,
      allowJs: true,
      checkJs: true,
      lib: LIBS[env],
      types: env === "node" ? ["node"] : [],
      noUncheckedIndexedAccess: false,
      ...(js ? { strict: false, noImplicitAny: false } : {}),
    },
    files: [],
  };
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root);
  return { ...parsed.options, ...(env === "node" ? { paths: workspacePaths(root) } : {}) };
}

/**
 * Type-checks every snippet, one program per environment: each is written to a scratch module (prelude, block,
 * `export {}`) in its folder, checked, and removed. Returns each block's problems (page:line of the block's own
 * line), keyed by `where(block)`; a block without problems is absent.
 */
export function typeCheck(root: string, snippets: Snippet[]): Map<string, string[]> {
  const problems = new Map<string, string[]>();
  // One program per environment and language: the options differ, and a program is what costs time.
  const byEnv = new Map<string, { file: string; snippet: Snippet; offset: number }[]>();
  try {
    snippets.forEach((snippet, n) => {
      const { block, prelude } = snippet;
      const own = declaredNames(block.text);
      const js = block.lang === "js" || block.lang === "javascript" || block.lang === "mjs";
      const lines = prelude ? Object.entries(prelude.declares).filter(([name]) => !own.has(name)).map(([, line]) => line) : [];
      const head = js ? lines.map(asJavaScript) : lines;
      const file = join(snippet.dir, `.doc-snippet-${process.pid}-${n}.${js ? "mjs" : "mts"}`);
      writeFileSync(file, [...head, block.text, "export {};", ""].join("\n"));
      const key = `${prelude?.env ?? "node"} ${js ? "js" : "ts"}`;
      byEnv.set(key, [...(byEnv.get(key) ?? []), { file, snippet, offset: head.length }]);
    });
    for (const [key, files] of byEnv) {
      const [env, lang] = key.split(" ") as [Prelude["env"], string];
      const program = ts.createProgram(files.map((f) => f.file), options(root, env, lang === "js"));
      for (const { file, snippet, offset } of files) {
        const source = program.getSourceFile(file)!;
        for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
          const line = d.start === undefined ? 0 : source.getLineAndCharacterOfPosition(d.start).line - offset;
          const at = where({ page: snippet.block.page, line: snippet.block.line + Math.max(line, 0) + 1 });
          const text = `${at}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}${line < 0 ? " (in the prelude)" : ""}`;
          problems.set(where(snippet.block), [...(problems.get(where(snippet.block)) ?? []), text]);
        }
      }
    }
  } finally {
    for (const files of byEnv.values()) for (const { file } of files) rmSync(file, { force: true });
  }
  return problems;
}
