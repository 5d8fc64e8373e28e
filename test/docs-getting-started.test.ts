import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/** The host app in the guide is the one test/outside-app.test.ts installs from the packed tarballs and runs. */
const root = resolve(import.meta.dirname, "..");
const FIXTURE = join(root, "test/outside-app");
const GUIDE = "docs/getting-started.md";

/** The fixture's files, relative to the repository root. */
function fixtureFiles(dir = FIXTURE): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules" || name === "dist") return [];
    return statSync(path).isDirectory() ? fixtureFiles(path) : [relative(root, path)];
  });
}

/** The guide's code blocks that follow a `<!-- file: <path> -->` line, by path. */
function quotedBlocks(doc: string): Map<string, string> {
  return new Map([...doc.matchAll(/<!-- file: (\S+) -->\n```\w*\n([\s\S]*?)```/g)].map((m) => [m[1]!, m[2]!]));
}

describe(`the host app in ${GUIDE}`, () => {
  it("quotes the tested fixture's files verbatim", () => {
    const quoted = quotedBlocks(readFileSync(join(root, GUIDE), "utf8"));
    expect([...quoted.keys()].sort()).toEqual(fixtureFiles().sort());
    for (const [file, block] of quoted) expect(block, `${GUIDE} quoting ${file}`).toBe(readFileSync(join(root, file), "utf8"));
  });
});
