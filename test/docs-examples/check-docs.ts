import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { curlCommands, FIXTURES, requireCurl, runCurlExamples } from "./curl-runner.js";
import { runHost } from "./host-runner.js";
import { readBlocks, where, type DocBlock } from "./markdown-blocks.js";
import { PRELUDES } from "./preludes.js";
import { QuotedFiles } from "./quoted-files.js";
import { declaredNames, isModule, typeCheck, type Snippet } from "./snippet-checker.js";

const TS = new Set(["ts", "typescript"]);
const JS = new Set(["js", "javascript", "mjs"]);
const SHELL = new Set(["sh", "bash", "shell", "console"]);
/** Not code, or code no tool here checks: shown as written. */
const SHOWN = new Set(["text", "html", "http", "yaml", "sql", "diff", "liquid", "xml"]);
const MARKERS = new Set(["from", "file", "prelude", "run", "expect", "needs"]);

const FRAGMENT =
  "is a fragment (it imports nothing): quote it from the file it comes from (<!-- from: path/to/file.ts -->), " +
  "declare what it takes for granted (<!-- prelude: host -->, see docs/contributing.md), or fence it as ```text if it is not code";

/** What checking the pages found, per page (every page has an entry), and how each block was proven. */
export interface DocsCheck {
  problems: Map<string, string[]>;
  /** Per page, block counts by how they were checked: quoted, type-checked, run, curl, json, shell, shown. */
  counts: Map<string, Record<string, number>>;
}

/**
 * Checks every fenced block of the given pages (paths relative to `root`): quotes against their files, TypeScript and
 * JavaScript by the compiler (one program for all), `run` blocks by running them, JSON by parsing, shell by
 * `bash -n`, and curl commands against a running quickstart, page by page.
 */
export async function checkDocs(root: string, pages: string[]): Promise<DocsCheck> {
  const files = new QuotedFiles(root);
  const problems = new Map<string, string[]>(pages.map((p) => [p, []]));
  const counts = new Map<string, Record<string, number>>(pages.map((p) => [p, {}]));
  const add = (b: DocBlock, message: string) => problems.get(b.page)!.push(`${where(b)}: ${message}`);
  const tally = (page: string, kind: string, n = 1) => (counts.get(page)![kind] = (counts.get(page)![kind] ?? 0) + n);
  const snippets: Snippet[] = [];
  const hosts: Snippet[] = [];
  const curls = new Map<string, DocBlock[]>();

  for (const b of pages.flatMap((p) => readBlocks(p, readFileSync(join(root, p), "utf8")))) {
    for (const name of b.markers.keys()) if (!MARKERS.has(name)) add(b, `unknown marker <!-- ${name} -->: the markers are ${[...MARKERS].join(", ")}`);
    const file = b.markers.get("file");
    const from = b.markers.get("from");
    if (file !== undefined || from !== undefined) {
      const problem = file !== undefined ? files.wholeFile(file, b.text) : files.excerpt(from!, b.text);
      if (problem) add(b, problem);
      tally(b.page, "quoted");
    } else if (b.lang === "") add(b, "the fence names no language: ```ts, ```json, ```sh ..., or ```text for diagrams, shapes and output");
    else if (TS.has(b.lang) || JS.has(b.lang)) {
      const snippet = codeBlock(b, files, root, (m) => add(b, m));
      if (snippet === "quoted") tally(b.page, "quoted");
      else if (snippet) {
        snippets.push(snippet);
        tally(b.page, b.markers.has("run") ? "run" : "type-checked");
        if (b.markers.has("run")) hosts.push(snippet);
      }
    } else if (b.lang === "json") {
      tally(b.page, "json");
      try {
        JSON.parse(b.text);
      } catch (e) {
        add(b, `is not JSON (${(e as Error).message}): quote an excerpt with <!-- from: path -->, or fence JSON with comments or "…" as \`\`\`jsonc or \`\`\`text`);
      }
    } else if (b.lang === "jsonc") {
      tally(b.page, "json");
      const { error } = ts.parseConfigFileTextToJson("block.jsonc", b.text);
      if (error) add(b, `is not JSON with comments: ${ts.flattenDiagnosticMessageText(error.messageText, " ")}`);
    } else if (SHELL.has(b.lang)) {
      tally(b.page, "shell");
      const script = b.lang === "console" ? consoleCommands(b.text) : b.text;
      const problem = await shellSyntax(script);
      if (problem) add(b, problem);
      for (const n of (b.markers.get("needs") ?? "").split(/[\s,]+/).filter(Boolean)) if (!FIXTURES[n]) add(b, `needs "${n}", which is none of ${Object.keys(FIXTURES).join(", ")}`);
      if (curlCommands(script).length > 0) curls.set(b.page, [...(curls.get(b.page) ?? []), { ...b, text: script }]);
    } else if (SHOWN.has(b.lang)) tally(b.page, "shown");
    else add(b, `the language "${b.lang}" is not one the harness knows: use ts, js, json, jsonc, sh, or one shown as written (${[...SHOWN].join(", ")})`);
  }

  const typeProblems = typeCheck(root, snippets);
  for (const [at, list] of typeProblems) problems.get(at.slice(0, at.lastIndexOf(":")))!.push(...list);
  for (const host of hosts) {
    if (typeProblems.has(where(host.block))) continue;
    const problem = await runHost(host);
    if (problem) problems.get(host.block.page)!.push(problem);
  }
  if (curls.size > 0) await requireCurl();
  for (const [page, blocks] of curls) {
    problems.get(page)!.push(...(await runCurlExamples(blocks)));
    tally(page, "curl", blocks.length);
  }
  return { problems, counts };
}

/** A TypeScript or JavaScript block without a quote marker: quoted (found in a file), a snippet to check, or a problem. */
function codeBlock(b: DocBlock, files: QuotedFiles, root: string, problem: (m: string) => void): Snippet | "quoted" | null {
  const preludeName = b.markers.get("prelude");
  const prelude = preludeName === undefined ? null : PRELUDES[preludeName];
  if (prelude === undefined) return problem(`prelude "${preludeName}" is none of ${Object.keys(PRELUDES).join(", ")}`), null;
  if (b.markers.has("run") && prelude) return problem("a <!-- run --> block is a whole program: it takes no prelude"), null;
  if (b.markers.has("run") && !declaredNames(b.text).has("nudge")) return problem("a <!-- run --> block must create `nudge` (the harness stops it)"), null;
  if (!prelude && !b.markers.has("run") && files.containing(b.text).length > 0) return "quoted";
  if (!prelude && !isModule(b.text)) return problem(FRAGMENT), null;
  const dir = folderOf(b.text, files, root);
  if (typeof dir !== "string") return problem(dir.problem), null;
  return { block: b, dir, prelude };
}

/** Where a snippet's relative imports (`./x.js`, same folder only) resolve: the one folder holding them; test/ otherwise. */
function folderOf(text: string, files: QuotedFiles, root: string): string | { problem: string } {
  const relative = [...text.matchAll(/from\s+["'](\.\.?\/[^"']+)["']/g)].map((m) => m[1]!);
  if (relative.length === 0) return join(root, "test");
  const folders = new Set<string>();
  for (const spec of relative) {
    const found = spec.startsWith("./") ? files.paths().filter((p) => p.endsWith(`/${spec.slice(2).replace(/\.js$/, ".ts")}`)) : [];
    if (found.length !== 1) return { problem: `its import "${spec}" names ${found.length === 0 ? "no file" : `${found.length} files`} of the repository: quote it with <!-- from: path --> instead` };
    folders.add(dirname(join(root, found[0]!)));
  }
  return folders.size === 1 ? [...folders][0]! : { problem: "its relative imports name files in different folders" };
}

/** A ```console block's commands: its `$ ` lines (and their continuations), without the prompt; the rest is output. */
export function consoleCommands(text: string): string {
  const out: string[] = [];
  let continued = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("$ ") || continued) out.push(continued ? line : line.slice(2));
    continued = (line.startsWith("$ ") || continued) && line.endsWith("\\");
  }
  return out.join("\n");
}

/** `bash -n`: the block parses as a shell script. */
async function shellSyntax(text: string): Promise<string | null> {
  try {
    await promisify(execFile)("bash", ["-n", "-c", text]);
    return null;
  } catch (e) {
    return `is not a valid shell script: ${((e as { stderr?: string }).stderr ?? String(e)).trim()}`;
  }
}
