// Runs `tsc -b --verbose` on some projects and turns its chatter into one line per project it compiles;
// compiler errors pass through unchanged. Used by `npm start` and `npm run pack:all`.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const STAMP = /^\S+ (?:[AP]M )?- /; // "6:01:49 PM - " starts every --verbose message

/**
 * Builds `projects` (folders with a tsconfig.json, relative to the repository root) and their references.
 * Resolves with tsc's exit code after printing "building <project>" for each project compiled.
 */
export function build(projects, { write = (line) => process.stdout.write(`${line}\n`) } = {}) {
  const args = [tsc, "-b", "--verbose", ...(process.stdout.isTTY ? ["--pretty"] : []), ...projects];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  const started = Date.now();
  let total = 0;
  let built = 0;
  let listing = false;
  const lines = createInterface({ input: child.stdout });
  lines.on("line", (line) => {
    if (STAMP.test(line)) {
      const message = line.replace(STAMP, "");
      listing = message.startsWith("Projects in this build");
      const project = /^Building project '(.+)'\.\.\.$/.exec(message)?.[1];
      if (project) write(`  [${++built}/${total}] building ${relative(root, dirname(project)) || "."}`);
      return;
    }
    if (listing && /^\s+\* /.test(line)) {
      total++;
      return;
    }
    if (line.trim() === "") return;
    listing = false;
    write(line); // a compiler diagnostic
  });
  return new Promise((resolve) => {
    child.on("close", (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      write(built === 0 && code === 0 ? "  everything is up to date" : `  tsc -b ${code === 0 ? "finished" : "failed"} in ${seconds} s`);
      resolve(code ?? 1);
    });
  });
}
