import { Agent, request as httpRequest } from "node:http";
import { type FuzzKeys, type FuzzRequest, hostileRequest } from "./hostile-requests.js";
import { type OpenApiDocument, operationsOf, resolver } from "./operations.js";

export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** A broken promise: a 5xx, a 4xx that is not problem JSON naming the field, or no answer at all. */
export interface Violation {
  seed: number;
  index: number;
  route: string;
  attack: string;
  target: string;
  status: number;
  why: string;
  answer: string;
}

export interface FuzzReport {
  seed: number;
  requests: number;
  ms: number;
  /** Answers per status class: `2xx`, `4xx`, `5xx`, and `none` for a dropped connection. */
  byClass: Record<string, number>;
  /** Answers per operation (`post /v1/track`) per status. */
  byRoute: Record<string, Record<string, number>>;
  byAttack: Record<string, Record<string, number>>;
  violations: Violation[];
  /** Identities the instance accepted (2xx ingest answers): the aftermath reads each back. */
  accepted: FuzzRequest["ids"];
  /** Identities named by refused requests: asking again must be refused the same way, never 409 or 5xx. */
  refused: FuzzRequest["ids"];
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One request over a real socket: the request target goes out byte for byte (bad escapes included). */
export function send(base: string, method: string, target: string, headers: Record<string, string>, body: Buffer | null): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { agent, host: url.hostname, port: url.port, method, path: `${url.pathname}${target}`, headers: { ...headers, ...(body && body.length > 0 ? { "content-length": String(body.length) } : {}) }, timeout: 60_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers["content-type"] ?? ""), text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("no answer within 60 s")));
    req.on("error", reject);
    req.end(body && body.length > 0 ? body : undefined);
  });
}

/** What is wrong with an answer, or null: no 5xx; every 4xx problem JSON with a code; a 400 names its fields. */
export function judge(answer: Answer): string | null {
  if (answer.status >= 500) return `answered ${answer.status}`;
  if (answer.status < 400) return null;
  if (!answer.contentType.startsWith("application/problem+json")) return `a ${answer.status} of type "${answer.contentType}", not application/problem+json`;
  let p: { code?: unknown; detail?: unknown; errors?: { path?: unknown; message?: unknown }[] };
  try {
    p = JSON.parse(answer.text) as typeof p;
  } catch {
    return `a ${answer.status} whose body is not JSON`;
  }
  if (typeof p.code !== "string" || typeof p.detail !== "string") return `a ${answer.status} without code and detail`;
  if (answer.status === 400 && !(Array.isArray(p.errors) && p.errors.length > 0 && p.errors.every((e) => typeof e.path === "string" && e.path !== "" && typeof e.message === "string"))) {
    return "a 400 whose errors name no field";
  }
  return null;
}

const count = (table: Record<string, Record<string, number>>, row: string, col: string) => {
  table[row] ??= {};
  table[row][col] = (table[row][col] ?? 0) + 1;
};

/**
 * Sends `requests` hostile requests across every operation of the instance's own OpenAPI document,
 * `concurrency` at a time, and judges each answer.
 */
export async function runFuzz(base: string, keys: FuzzKeys, options: { requests: number; seed: number; concurrency?: number }): Promise<FuzzReport> {
  const doc = JSON.parse((await send(base, "GET", "/openapi.json", {}, null)).text) as OpenApiDocument;
  const ops = operationsOf(doc);
  const resolve = resolver(doc);
  const report: FuzzReport = { seed: options.seed, requests: options.requests, ms: 0, byClass: {}, byRoute: {}, byAttack: {}, violations: [], accepted: [], refused: [] };
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < options.requests; i = next++) {
      const req = hostileRequest(ops, resolve, keys, options.seed, i);
      let answer: Answer;
      try {
        answer = await send(base, req.method, req.target, req.headers, req.body);
      } catch (e) {
        answer = { status: 0, contentType: "", text: String(e) };
      }
      const cls = answer.status === 0 ? "none" : `${Math.floor(answer.status / 100)}xx`;
      report.byClass[cls] = (report.byClass[cls] ?? 0) + 1;
      count(report.byRoute, req.route, String(answer.status));
      count(report.byAttack, req.attack, String(answer.status));
      const why = answer.status === 0 ? `no answer: ${answer.text}` : judge(answer);
      if (why) report.violations.push({ seed: options.seed, index: i, route: req.route, attack: req.attack, target: req.target.slice(0, 200), status: answer.status, why, answer: answer.text.slice(0, 300) });
      if (/\/v1\/(track|identify|batch)$/.test(req.route)) (answer.status < 300 ? report.accepted : report.refused).push(...req.ids);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 1 }, worker));
  report.ms = Math.round(performance.now() - started);
  return report;
}
