import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { checkDocs, type DocsCheck } from "./docs-examples/check-docs.js";
import { docPages, readBlocks } from "./docs-examples/markdown-blocks.js";

/**
 * Every code block in docs/ is proven: quoted from a file that is compiled or tested (`<!-- from: -->`,
 * `<!-- file: -->`), type-checked against the workspace's sources, run, parsed, or, for curl, sent to a running
 * quickstart. How to write each kind is in docs/contributing.md ("Writing docs: every example runs").
 */
const root = resolve(import.meta.dirname, "..");
const pages = docPages(root);
const CASES = "test/docs-examples/harness-cases.md";
let check: DocsCheck;

beforeAll(async () => {
  // One pass over the docs and the harness's own cases: one compiler program for every snippet.
  check = await checkDocs(root, [...pages, CASES]);
}, 120_000);

describe("every code block in docs/", () => {
  it.each(pages)("%s", (page) => {
    const problems = check.problems.get(page)!;
    expect(problems, `\n${problems.join("\n")}\n`).toEqual([]);
  });

  it("uses every kind of proof", () => {
    const total = (kind: string) => pages.reduce((n, page) => n + (check.counts.get(page)![kind] ?? 0), 0);
    for (const kind of ["quoted", "type-checked", "run", "curl", "json", "shell"]) expect(total(kind), kind).toBeGreaterThan(0);
  });
});

describe(`the harness, on ${CASES}`, () => {
  const source = readFileSync(resolve(root, CASES), "utf8");
  const lines = source.split("\n");
  const blocks = readBlocks(CASES, source);
  /** Each case: the block after a "Passes:" or 'Fails, "words":' line, and the lines it spans. */
  const cases = lines.flatMap((line, i) => {
    const m = /^(Passes|Fails, "(.*)"):$/.exec(line);
    if (!m) return [];
    const block = blocks.find((b) => b.line > i + 1)!;
    const end = block.line + block.text.split("\n").length + 1;
    return [{ title: `${block.line}: ${m[2] ? `fails with "${m[2]}"` : "passes"}`, from: block.line, end, words: m[2]?.replaceAll('\\"', '"') }];
  });
  const within = (p: string, from: number, end: number) => {
    const line = Number(/^[^:]+:(\d+):/.exec(p)?.[1]);
    return line >= from && line <= end;
  };

  it.each(cases)("$title", ({ from, end, words }) => {
    const found = check.problems.get(CASES)!.filter((p) => within(p, from, end));
    if (words === undefined) expect(found).toEqual([]);
    else expect(found.some((p) => p.includes(words)), `problems found:\n${found.join("\n")}`).toBe(true);
  });

  it("reports nothing outside the cases", () => {
    const stray = check.problems.get(CASES)!.filter((p) => !cases.some((c) => c.words !== undefined && within(p, c.from, c.end)));
    expect(stray).toEqual([]);
  });
});
