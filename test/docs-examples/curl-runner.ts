import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Nudge } from "@nudge/core";
import { buildQuickstart } from "../../examples/quickstart/src/app.js";
import { where, type DocBlock } from "./markdown-blocks.js";

const run = promisify(execFile);

/** The keys the curl examples read from the environment, as the quickstart prints them for export. */
const KEYS = { ingest: "nk_ingest_docs_examples_0123456789abcdef", admin: "nk_admin_docs_examples_0123456789abcdef" };

/** Data a `<!-- needs: name -->` block takes for granted although its page does not create it first. */
export const FIXTURES: Record<string, (nudge: Nudge) => Promise<void>> = {
  /** The person u1 (Minji, with an e-mail address). */
  person: async (nudge) => {
    await nudge.identify({ userId: "u1", traits: { name: "Minji", email: "minji@example.com" } });
  },
  /** The person u1 signed up: the quickstart's welcome journey has sent them a message. */
  message: async (nudge) => {
    await FIXTURES["person"]!(nudge);
    await nudge.track({ userId: "u1", event: "signed_up" });
  },
};

/** The logical lines (backslash continuations joined) of a shell block that run curl. */
export function curlCommands(text: string): string[] {
  return text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => /^curl\s/.test(l));
}

/** Whether `status` is what the block's `<!-- expect: ... -->` marker allows (2xx when it has none): "4xx", "404". */
export function statusMatches(status: number, expected = "2xx"): boolean {
  return expected.split(/\s*,\s*/).some((e) => new RegExp(`^${e.replace(/x/g, "\\d")}$`).test(String(status)));
}

/** Fails with a clear message when curl is not installed: the curl examples must run, never be skipped. */
export async function requireCurl(): Promise<void> {
  try {
    await run("curl", ["--version"]);
  } catch (e) {
    throw new Error(`curl is needed to run the docs' curl examples, and running it failed: ${(e as Error).message}`);
  }
}

/**
 * Runs a page's curl examples, in page order, against a quickstart of its own (examples/quickstart, a fresh SQLite
 * file, listening on a free port that replaces `localhost:3000`). Each command is run by bash as written, with
 * NUDGE_INGEST_KEY and NUDGE_ADMIN_KEY set, curl made silent and its status written out; queued work is drained
 * after each, so a command sees what the ones before it caused. Returns the problems, page:line first.
 */
export async function runCurlExamples(blocks: DocBlock[]): Promise<string[]> {
  const dataDir = mkdtempSync(join(tmpdir(), "nudge-docs-curl-"));
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { app, nudge } = await buildQuickstart({ logLevel: "silent", dataDir, keys: KEYS, baseUrl: `http://${base}/nudge` });
  server.on("request", app);
  const problems: string[] = [];
  try {
    for (const block of blocks) {
      for (const fixture of (block.markers.get("needs") ?? "").split(/[\s,]+/).filter(Boolean)) await FIXTURES[fixture]?.(nudge);
      for (const command of curlCommands(block.text)) {
        const problem = await runOne(command, base, block, dataDir);
        await nudge.drain();
        if (problem) problems.push(`${where(block)}: ${problem}\n    ${command}`);
      }
    }
  } finally {
    await new Promise((resolve) => server.close(resolve));
    await nudge.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return problems;
}

async function runOne(command: string, base: string, block: DocBlock, dataDir: string): Promise<string | null> {
  if (!command.includes("localhost:3000")) return "a curl example calls the quickstart at localhost:3000 (fence it as `text` if it shows another server)";
  const body = join(dataDir, "body");
  rmSync(body, { force: true });
  // A function named curl wraps the command as written, so its quoting and options stay the reader's.
  const script = `curl() { command curl --silent --show-error --output "$DOCS_BODY" --write-out '%{http_code}' "$@"; }\n${command.replaceAll("localhost:3000", base)}`;
  const env = { ...process.env, NUDGE_INGEST_KEY: KEYS.ingest, NUDGE_ADMIN_KEY: KEYS.admin, DOCS_BODY: body };
  let status: number;
  try {
    status = Number((await run("bash", ["-c", script], { env, timeout: 10_000 })).stdout.trim());
  } catch (e) {
    // curl --fail-with-body exits non-zero on a 4xx or 5xx, after writing the status out.
    const written = /^\d{3}$/.exec(String((e as { stdout?: string }).stdout ?? "").trim());
    if (!written || written[0] === "000") return `the command failed: ${(e as Error).message.trim()}`;
    status = Number(written[0]);
  }
  if (statusMatches(status, block.markers.get("expect"))) return null;
  const answer = existsSync(body) ? readFileSync(body, "utf8").slice(0, 300) : "(no body)";
  return `answered ${status}, expected ${block.markers.get("expect") ?? "2xx"} (mark a block that shows an error with <!-- expect: 4xx -->): ${answer}`;
}
