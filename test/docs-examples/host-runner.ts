import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Nudge } from "@nudge/core";
import { where } from "./markdown-blocks.js";
import type { Snippet } from "./snippet-checker.js";

/**
 * Runs a `<!-- run -->` block as a module, as written: in its folder (its relative imports resolve from there), from
 * a scratch working directory (a SQLite store writes under it), with every `process.env` variable it reads set to
 * a placeholder when unset. The block must create `nudge` (creating it parses every plugin's configuration); it
 * is stopped afterwards. Returns the problem, or null.
 */
export async function runHost({ block, dir }: Snippet): Promise<string | null> {
  const file = join(dir, `.doc-snippet-${process.pid}-run-${block.line}.ts`);
  const scratch = mkdtempSync(join(tmpdir(), "nudge-docs-run-"));
  const cwd = process.cwd();
  for (const m of block.text.matchAll(/process\.env(?:\["([A-Z0-9_]+)"\]|\.([A-Z0-9_]+))/g)) process.env[m[1] ?? m[2]!] ??= "docs-example-value-0123456789abcdef";
  writeFileSync(file, `${block.text}\nexport { nudge };\n`);
  try {
    process.chdir(scratch);
    const { nudge } = (await import(file)) as { nudge: Nudge };
    await nudge.stop();
    return null;
  } catch (e) {
    return `${where(block)}: running it failed: ${(e as Error).message}`;
  } finally {
    process.chdir(cwd);
    rmSync(file, { force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
}
