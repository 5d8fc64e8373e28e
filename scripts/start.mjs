// `npm start`: builds the quickstart and the packages it uses (tsc -b), saying what it does, then runs it.
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "./tsc-build.mjs";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
console.log("Building the quickstart and the Nudge packages it uses with tsc -b (the first run compiles them all: about a minute)…");
const code = await build(["examples/quickstart"]);
if (code !== 0) {
  console.error("The build failed: see the errors above.");
  process.exit(code);
}
console.log("Starting examples/quickstart (PORT, NUDGE_INGEST_KEY, NUDGE_ADMIN_KEY, NUDGE_LINK_SECRET, NUDGE_LOG_LEVEL are read from the environment)…");
await import(pathToFileURL(join(root, "examples/quickstart/dist/main.js")).href);
