import { appendFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";

/** One measured figure next to the baseline measured in the same run. */
export interface BenchFigure {
  benchmark: string;
  metric: string;
  unit: string;
  value: number;
  baseline: string;
  baselineValue: number;
  /** Optional target for the ratio, printed next to it. */
  target?: string;
  /** For metrics where lower is better (latency), the ratio is baseline/value. */
  lowerIsBetter?: boolean;
}

export interface BenchRecord extends BenchFigure {
  ratio: number;
  date: string;
  cpus: number;
  memoryGb: number;
}

const root = join(import.meta.dirname, "..");

/** Writes bench/results/NAME.json and appends a row per figure to bench/RESULTS.md. */
export function record(name: string, figures: BenchFigure[]): BenchRecord[] {
  const date = new Date().toISOString().slice(0, 10);
  const machine = { cpus: cpus().length, memoryGb: Math.round(totalmem() / 2 ** 30) };
  const records = figures.map((f) => ({
    ...f,
    ratio: round(f.lowerIsBetter ? f.baselineValue / f.value : f.value / f.baselineValue, 3),
    date,
    ...machine,
  }));
  const dir = join(root, "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(records.length === 1 ? records[0] : records, null, 2) + "\n");
  const file = join(root, "RESULTS.md");
  if (!existsSync(file)) {
    writeFileSync(
      file,
      "# Benchmark results\n\nEach row: a figure, the baseline measured in the same run, and their ratio. Newest rows last.\n\n" +
        "| date | machine | benchmark | metric | value | baseline | baseline value | ratio | target |\n|---|---|---|---|---|---|---|---|---|\n",
    );
  }
  for (const r of records) {
    appendFileSync(
      file,
      `| ${r.date} | ${r.cpus} cpu, ${r.memoryGb} GB | ${r.benchmark} | ${r.metric} | ${fmt(r.value)} ${r.unit} | ${r.baseline} | ${fmt(r.baselineValue)} ${r.unit} | ${r.ratio} | ${r.target ?? ""} |\n`,
    );
    console.log(`${r.benchmark} ${r.metric}: ${fmt(r.value)} ${r.unit} vs ${r.baseline} ${fmt(r.baselineValue)} ${r.unit} -> ratio ${r.ratio}${r.target ? ` (target ${r.target})` : ""}`);
  }
  return records;
}

export function round(v: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function fmt(v: number): string {
  return v >= 100 ? Math.round(v).toLocaleString("en-US") : String(round(v, 2));
}

/** Runs fn for at least `ms`, returns operations per second. */
export async function opsPerSecond(fn: (n: number) => Promise<number>, ms: number): Promise<number> {
  const start = performance.now();
  let ops = 0;
  while (performance.now() - start < ms) ops += await fn(ops);
  return ops / ((performance.now() - start) / 1000);
}
