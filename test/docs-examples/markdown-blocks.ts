import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** One fenced code block of a page, with the markers written on the lines right above it. */
export interface DocBlock {
  /** The page, relative to the repository root (`docs/storage.md`). */
  page: string;
  /** The line of the opening fence, 1-based. */
  line: number;
  /** The first word of the info string, lower-case (`ts`, `sh`, `json`); "" when the fence names none. */
  lang: string;
  /** The rest of the info string (`copy-sqlite-to-postgres.mjs` in "```js copy-sqlite-to-postgres.mjs"). */
  info: string;
  /** The content, without the fence's own indentation (a block inside a list item). */
  text: string;
  /** `<!-- name: value -->` (or `<!-- name -->`) comments on the lines right above the fence. */
  markers: Map<string, string>;
}

/** The page and line a problem is reported at, as editors link them. */
export const where = (b: Pick<DocBlock, "page" | "line">): string => `${b.page}:${b.line}`;

/** Every Markdown page under `dir`, relative to `root`, in a stable order. */
export function docPages(root: string, dir = join(root, "docs")): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return docPages(root, path);
      return name.endsWith(".md") ? [relative(root, path)] : [];
    });
}

const OPEN = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)\s*(.*)$/;
const MARKER = /^\s*<!--\s*([a-z-]+)(?::\s*(.*?))?\s*-->\s*$/;

/**
 * The fenced blocks of one page (CommonMark fenced code blocks, §4.5, as far as docs use them: backtick or tilde
 * fences, also inside a list item). Hand-written because no Markdown parser is in the dependency tree and fences
 * are all this needs.
 */
export function readBlocks(page: string, source: string): DocBlock[] {
  const lines = source.split("\n");
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = OPEN.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, lang, info] = open as unknown as [string, string, string, string, string];
    const closes = (line: string) => line.trim().length >= fence.length && line.trim() === fence[0]!.repeat(line.trim().length);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !closes(lines[j]!); j++) body.push(dedent(lines[j]!, indent.length));
    blocks.push({ page, line: i + 1, lang: lang.toLowerCase(), info: info.trim(), text: body.join("\n"), markers: markersAbove(lines, i) });
    i = j;
  }
  return blocks;
}

/** The line without up to `n` of its leading spaces (the fence's own indentation). */
const dedent = (line: string, n: number): string => line.slice(Math.min(n, line.length - line.trimStart().length));

/** The marker comments on the lines right above line `i`, nearest last. */
function markersAbove(lines: string[], i: number): Map<string, string> {
  const found: [string, string][] = [];
  for (let k = i - 1; k >= 0; k--) {
    const m = MARKER.exec(lines[k]!);
    if (!m) break;
    found.unshift([m[1]!, m[2] ?? ""]);
  }
  return new Map(found);
}

/** Every block of every page under docs/. */
export function allBlocks(root: string): DocBlock[] {
  return docPages(root).flatMap((page) => readBlocks(page, readFileSync(join(root, page), "utf8")));
}
