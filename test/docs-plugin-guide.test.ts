import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { Nudge } from "@nudge/core";

const root = resolve(import.meta.dirname, "..");
const GUIDE = "docs/writing-a-plugin.md";

/** Every TypeScript and JSON file the guide may quote from. */
function shippedFiles(): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === "node_modules" || name === "dist" || name.startsWith(".doc-snippet")) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|json|cjs)$/.test(name)) out.set(path, readFileSync(path, "utf8"));
    }
  };
  for (const d of ["core", "plugins", "examples", "adapters"]) walk(join(root, d));
  return out;
}

function blocks(doc: string): string[] {
  return [...readFileSync(join(root, doc), "utf8").matchAll(/```(?:ts|json)\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
}

/**
 * Runs a host snippet of the guide as a module: next to the file its relative import names, in a
 * scratch working directory (the SQLite store writes under it), exporting its `nudge` to be stopped.
 */
async function run(snippet: string, files: Map<string, string>): Promise<{ nudge: Nudge; cleanup(): void }> {
  const relative = /from "\.\/([^"]+)\.js"/.exec(snippet)?.[1];
  const home = relative ? [...files.keys()].find((p) => p.endsWith(`/${relative}.ts`)) : undefined;
  const dir = home ? dirname(home) : join(root, "test");
  const file = join(dir, `.doc-snippet-${process.pid}-${Math.random().toString(36).slice(2)}.ts`);
  const cwd = process.cwd();
  const scratch = mkdtempSync(join(tmpdir(), "nudge-doc-"));
  writeFileSync(file, `${snippet}\nexport { nudge };\n`);
  try {
    process.chdir(scratch);
    const mod = (await import(file)) as { nudge: Nudge };
    return { nudge: mod.nudge, cleanup: () => rmSync(scratch, { recursive: true, force: true }) };
  } finally {
    process.chdir(cwd);
    rmSync(file, { force: true });
  }
}

describe(`the code in ${GUIDE}`, () => {
  it("is quoted verbatim from shipped files, or runs as written", async () => {
    const files = shippedFiles();
    const texts = [...files.values()];
    const hosts: string[] = [];
    for (const block of blocks(GUIDE)) {
      if (texts.some((t) => t.includes(block))) continue;
      // What is not an excerpt must be a whole host program: it is run below.
      expect(block, `not found in any shipped file and not a host program:\n${block}`).toMatch(/^import [\s\S]*createNudge\(/);
      hosts.push(block);
    }
    expect(hosts.length).toBeGreaterThan(0);
    // The secrets the snippets read from the environment, as a host would set them.
    process.env["CHAT_TOKEN"] ??= "doc-test-token";
    for (const host of hosts) {
      const { nudge, cleanup } = await run(host, files);
      expect(nudge.running).toBe(true);
      await nudge.stop();
      cleanup();
    }
  });
});
