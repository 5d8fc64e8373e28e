import { readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** `npm run bench [-- NAME]`: runs every `*.bench.js` (or the named one) in this folder. */
export interface Benchmark {
  name: string;
  run(): Promise<void>;
}

const wanted = process.argv[2];
const dir = import.meta.dirname;
const files = readdirSync(dir).filter((f) => f.endsWith(".bench.js") && (!wanted || f === `${wanted}.bench.js`));
if (files.length === 0) {
  console.error(wanted ? `no benchmark named "${wanted}"` : "no benchmarks found");
  process.exit(1);
}
for (const f of files) {
  const mod = (await import(pathToFileURL(join(dir, f)).href)) as { default: Benchmark };
  console.log(`\n== ${mod.default.name}`);
  await mod.default.run();
}
process.exit(0);
