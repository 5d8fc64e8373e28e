import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** Where quoted code may come from: shipped packages, examples, and the tests that run what the docs show. */
const FOLDERS = ["core", "plugins", "adapters", "examples", "test", "scripts", "bench"];
const QUOTABLE = /\.(ts|mts|js|mjs|cjs|json)$/;
const SKIPPED = new Set(["node_modules", "dist", "docs-examples", "docs-examples.test.ts", "package-lock.json"]);

/** Every line trimmed, framed by newlines: an excerpt may be indented differently, but quotes whole lines. */
const normalise = (text: string): string =>
  `\n${text
    .split("\n")
    .map((l) => l.trim())
    .join("\n")
    .trim()}\n`;

/** The files docs may quote, read once. The harness's own files are left out, so a block cannot quote itself. */
export class QuotedFiles {
  private readonly files = new Map<string, string>();

  constructor(private readonly root: string) {
    for (const folder of FOLDERS) if (existsSync(join(root, folder))) this.walk(join(root, folder));
  }

  /** Problem with a `<!-- file: path -->` block: the whole file must equal the block; null when it does. */
  wholeFile(path: string, block: string): string | null {
    const text = this.read(path);
    if (text === null) return `${path} does not exist`;
    return text === `${block}\n` || text === block ? null : `is not the whole of ${path} as it stands: copy the file again`;
  }

  /** Problem with a `<!-- from: path -->` block: the file must contain it (indentation aside); null when it does. */
  excerpt(path: string, block: string): string | null {
    const text = this.read(path);
    if (text === null) return `${path} does not exist`;
    return normalise(text).includes(normalise(block)) ? null : `is not found in ${path}: copy the excerpt again from the file as it stands`;
  }

  /** The files that contain the block (indentation aside): blocks quoted before markers existed are found this way. */
  containing(block: string): string[] {
    const wanted = normalise(block);
    if (wanted === "\n\n") return [];
    return [...this.files].filter(([, text]) => text.includes(wanted)).map(([path]) => path);
  }

  /** Every file docs may quote, relative to the repository root. */
  paths(): string[] {
    return [...this.files.keys()];
  }

  private read(path: string): string | null {
    const full = join(this.root, path);
    return existsSync(full) && statSync(full).isFile() ? readFileSync(full, "utf8") : null;
  }

  private walk(dir: string): void {
    for (const name of readdirSync(dir)) {
      if (SKIPPED.has(name) || name.startsWith(".")) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) this.walk(path);
      else if (QUOTABLE.test(name)) this.files.set(relative(this.root, path), normalise(readFileSync(path, "utf8")));
    }
  }
}
