import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { serviceAvailable } from "@nudge/core/testkit";
import { checkAftermath } from "./fuzz/aftermath.js";
import { type FuzzReport, runFuzz } from "./fuzz/fuzz-run.js";
import { type FuzzStore, startFuzzServer } from "./fuzz/fuzz-server.js";

/**
 * `npm run fuzz -- --requests 20000 [--seed 1] [--concurrency 1] [--stores sqlite,postgres] [--dry-run]`: the long
 * run of the hostile-input suite (test/fuzz.test.ts runs a few hundred requests per store). Prints the
 * answers per status class and per route, appends a row per store to bench/RESULTS.md, writes
 * bench/results/fuzz.json, and exits 1 on any 5xx, any 4xx that is not problem JSON naming the field,
 * or any harm seen afterwards. PostgreSQL is skipped when down, unless NUDGE_REQUIRE_SERVICES=1.
 */
const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "20000" },
    seed: { type: "string", default: "1" },
    /** Requests in flight. At 1 a run is replayed exactly by its seed; more also races requests for the same people. */
    concurrency: { type: "string", default: "1" },
    stores: { type: "string", default: "sqlite,postgres" },
    /** Print only: no row in RESULTS.md, no results file (for trying a seed). */
    "dry-run": { type: "boolean", default: false },
  },
});
const requests = Number(values.requests);
const seed = Number(values.seed);
const concurrency = Number(values.concurrency);
const stores = values.stores.split(",") as FuzzStore[];
const root = join(import.meta.dirname, "..");
const fmt = (n: number) => n.toLocaleString("en-US");

interface StoreResult {
  store: FuzzStore;
  report: Omit<FuzzReport, "accepted" | "refused">;
  aftermath: string[];
  loggedErrors: string[];
}

function print(r: StoreResult): void {
  const { report } = r;
  console.log(`\n== fuzz, storage-${r.store}: ${fmt(report.requests)} requests in ${(report.ms / 1000).toFixed(1)} s (seed ${report.seed}, ${concurrency} in flight)`);
  console.log(`  by class: ${Object.entries(report.byClass).sort().map(([k, v]) => `${k} ${fmt(v)}`).join(", ")}`);
  for (const [route, statuses] of Object.entries(report.byRoute).sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`  ${route.padEnd(44)} ${Object.entries(statuses).sort().map(([s, n]) => `${s}:${n}`).join(" ")}`);
  }
  for (const v of report.violations.slice(0, 20)) console.log(`  VIOLATION #${v.index} ${v.route} [${v.attack}] ${v.target} -> ${v.why}: ${v.answer}`);
  for (const p of r.aftermath) console.log(`  AFTERMATH ${p}`);
  for (const e of r.loggedErrors.slice(0, 10)) console.log(`  LOGGED ${e}`);
  if (r.aftermath.length === 0) console.log("  aftermath: healthz, readyz, pooled people and every accepted identity read back unharmed");
}

function recordRows(results: StoreResult[]): void {
  const date = new Date().toISOString().slice(0, 10);
  const machine = `${cpus().length} cpu (${cpus()[0]?.model.trim() ?? "unknown"}), ${Math.round(totalmem() / 2 ** 30)} GB`;
  mkdirSync(join(root, "results"), { recursive: true });
  writeFileSync(join(root, "results", "fuzz.json"), JSON.stringify({ date, machine, concurrency, results }, null, 2) + "\n");
  for (const { store, report, aftermath } of results) {
    const fivexx = report.byClass["5xx"] ?? 0;
    const metric =
      `5xx answers to hostile requests over ${Object.keys(report.byRoute).length} operations (seed ${report.seed}, ${concurrency} in flight, ${(report.ms / 1000).toFixed(0)} s), storage-${store}; ` +
      `2xx ${fmt(report.byClass["2xx"] ?? 0)}, 4xx ${fmt(report.byClass["4xx"] ?? 0)}, other violations ${report.violations.length - fivexx}, aftermath problems ${aftermath.length}`;
    appendFileSync(join(root, "RESULTS.md"), `| ${date} | ${machine} | fuzz | ${metric} | ${fmt(fivexx)} requests | requests sent | ${fmt(report.requests)} requests | ${fivexx / report.requests} | 0 5xx |\n`);
  }
}

const results: StoreResult[] = [];
for (const store of stores) {
  if (store === "postgres") {
    const up = await serviceAvailable("PostgreSQL", "127.0.0.1", 5432);
    if (up !== true) {
      console.log(`\n== fuzz, storage-postgres: ${up}`);
      continue;
    }
  }
  const server = await startFuzzServer(store);
  try {
    const { accepted, refused, ...report } = await runFuzz(server.url, server.keys, { requests, seed, concurrency });
    const aftermath = await checkAftermath(server.url, server.keys, accepted, refused);
    const loggedErrors = server.logs.filter((l) => Number(l["level"]) >= 50).map((l) => `${String(l["msg"])}: ${JSON.stringify(l["err"] ?? {}).slice(0, 300)}`);
    results.push({ store, report, aftermath, loggedErrors });
    print(results[results.length - 1]!);
  } finally {
    await server.close();
  }
}
if (!values["dry-run"]) recordRows(results);
const failed = results.some((r) => r.report.violations.length > 0 || r.aftermath.length > 0 || r.loggedErrors.length > 0);
console.log(failed ? "\nfuzz: FAILED" : `\nfuzz: no 5xx and no harm in ${fmt(results.reduce((s, r) => s + r.report.requests, 0))} requests`);
process.exit(failed ? 1 : 0);
