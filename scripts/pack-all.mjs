// `npm run pack:all [-- --out <dir>] [-- --json]`: builds every publishable package (tsc -b) and packs each one
// into one folder (dist-packages/ by default), the tarballs `npm install` takes before the packages are on the
// registry. Prints the tarball names, or with --json npm's own pack report (file lists included) and nothing else.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { build } from "./tsc-build.mjs";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const { values } = parseArgs({ options: { out: { type: "string", default: "dist-packages" }, json: { type: "boolean", default: false } } });
const out = resolve(values.out);
const say = values.json ? (line) => process.stderr.write(`${line}\n`) : (line) => process.stdout.write(`${line}\n`);

/** The workspaces a user installs: every package under core/, plugins/ and adapters/ not marked private. */
function publishableWorkspaces() {
  const dirs = ["core", ...["plugins", "adapters"].flatMap((group) => readdirSync(join(root, group)).map((d) => `${group}/${d}`))];
  return dirs.filter((dir) => {
    const file = join(root, dir, "package.json");
    return existsSync(file) && JSON.parse(readFileSync(file, "utf8")).private !== true;
  });
}

const workspaces = publishableWorkspaces();
say(`Building ${workspaces.length} packages with tsc -b…`);
const code = await build(workspaces, { write: say });
if (code !== 0) process.exit(code);

mkdirSync(out, { recursive: true });
for (const old of readdirSync(out)) if (/^nudge-.*\.tgz$/.test(old)) rmSync(join(out, old));
say(`Packing into ${out}…`);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const packed = spawnSync(npm, ["pack", "--json", "--pack-destination", out, ...workspaces.flatMap((w) => ["-w", w])], {
  cwd: root,
  encoding: "utf8",
  stdio: ["ignore", "pipe", "inherit"],
  shell: process.platform === "win32",
});
if (packed.status !== 0) process.exit(packed.status ?? 1);
const report = JSON.parse(packed.stdout);
if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
else for (const { filename } of report) say(`  ${join(values.out, filename)}`);
