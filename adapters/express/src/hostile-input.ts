import { isUtf8 } from "node:buffer";
import type { ErrorRequestHandler, Request, RequestHandler } from "express";
import { ValidationError, type FieldIssue } from "@nudge/core";
import { problem, sendProblem } from "./problem.js";

/**
 * The request checks every route shares, made before any value reaches a handler or a store: values
 * that no store keeps faithfully are refused with a 400 naming the field, instead of being stored
 * altered (SQLite writes a lone surrogate as U+FFFD, so the same id no longer finds its own profile)
 * or failing in the store (PostgreSQL refuses a NUL in text and jsonb, and a lone surrogate in jsonb).
 */

/** Levels a JSON body may nest: above any schema's need (ingest's maxDepth goes up to 256), low enough that no recursive parse overflows. */
export const MAX_BODY_DEPTH = 512;
/** A hostile body can hold thousands of bad values; naming the first ones says enough. */
const MAX_ISSUES = 20;
/** Keys JavaScript gives a meaning on every object: zod drops `__proto__` silently, the others shadow Object.prototype. */
const RESERVED_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const INVALID_UTF8 = Symbol("nudge.invalidUtf8");

type Marked = Request & { [INVALID_UTF8]?: boolean };

/** ES2024's String.prototype.isWellFormed: Node 20 has it, the ES2023 lib this build targets does not declare it. */
const wellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/** Why a string cannot be stored as it came, or null. */
function stringProblem(s: string, invalidUtf8: boolean): string | null {
  if (!wellFormed(s)) return "holds a lone UTF-16 surrogate (an unpaired \\ud800-\\udfff), which no store keeps as sent";
  if (s.includes("\u0000")) return "holds a NUL character (\\u0000), which PostgreSQL cannot store in text or JSON";
  if (invalidUtf8 && s.includes("\ufffd")) return "holds bytes that are not valid UTF-8";
  return null;
}

/** A field path in the form the core's issues use (`traits.plan`, `batch[3].event`); odd keys are quoted and escaped. */
function formatPath(prefix: string, path: readonly (string | number)[]): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (/^[A-Za-z0-9_$-]+$/.test(key)) out += out === "" ? key : `.${key}`;
    else out += `${out === "" ? "(root)" : ""}[${JSON.stringify(key)}]`;
  }
  return out === "" ? "(root)" : out;
}

/** Whether a string or key can be stored as it is (the common case, checked without building paths). */
const plain = (s: string): boolean => wellFormed(s) && !s.includes("\u0000");

/** The fast pass: true when nothing in the value needs reporting. Recursion is bounded by MAX_BODY_DEPTH. */
function storable(v: unknown, depth: number): boolean {
  if (typeof v === "string") return plain(v);
  if (typeof v === "number") return Number.isFinite(v);
  if (v === null || typeof v !== "object") return true;
  if (depth > MAX_BODY_DEPTH) return false;
  if (Array.isArray(v)) {
    for (const x of v) if (!storable(x, depth + 1)) return false;
    return true;
  }
  for (const key in v) {
    if (RESERVED_KEYS.has(key) || !plain(key) || !storable((v as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/**
 * One walk over a parsed JSON value. Collects the strings and keys no store keeps faithfully, reserved
 * keys, numbers JSON.parse turned into Infinity (1e400), and nesting deeper than MAX_BODY_DEPTH, which
 * also bounds the recursion (a body nested 10,000 levels deep stops here, 512 frames down). A first pass
 * builds no paths: on a 500-item batch it costs about a quarter of the JSON.parse before it.
 */
export function unstorableValues(value: unknown, prefix = "", invalidUtf8 = false): FieldIssue[] {
  if (!invalidUtf8 && storable(value, 1)) return [];
  const issues: FieldIssue[] = [];
  const path: (string | number)[] = [];
  const report = (message: string) => issues.push({ path: formatPath(prefix, path), message });
  const visit = (v: unknown, depth: number): void => {
    if (issues.length >= MAX_ISSUES) return;
    if (typeof v === "string") {
      const why = stringProblem(v, invalidUtf8);
      if (why) report(why);
    } else if (typeof v === "number") {
      if (!Number.isFinite(v)) report("is a number too large for a double (it would be stored as null)");
    } else if (v !== null && typeof v === "object") {
      if (depth > MAX_BODY_DEPTH) return void report(`nests deeper than ${MAX_BODY_DEPTH} levels`);
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          path.push(i);
          visit(v[i], depth + 1);
          path.pop();
        }
        return;
      }
      for (const key of Object.keys(v)) {
        path.push(key);
        const bad = RESERVED_KEYS.has(key) ? "is a key JavaScript reserves on every object (__proto__, constructor, prototype): use another name" : stringProblem(key, invalidUtf8);
        if (bad) report(RESERVED_KEYS.has(key) ? bad : `the key ${bad}`);
        else visit((v as Record<string, unknown>)[key], depth + 1);
        path.pop();
      }
    }
  };
  visit(value, 1);
  return issues;
}

/**
 * body-parser's `verify` hook: notes a body that is not valid UTF-8 (RFC 8259 §8.1 requires it), which
 * body-parser would otherwise decode with U+FFFD in place of the bad bytes. The walk then names the fields.
 * https://github.com/expressjs/body-parser#verify
 */
export function noteInvalidUtf8(req: Request, _res: unknown, buf: Buffer, encoding: string | null): void {
  if ((encoding === null || /^utf-?8$/i.test(encoding)) && !isUtf8(buf)) (req as Marked)[INVALID_UTF8] = true;
}

/** After express.json: refuses a body holding values no store keeps faithfully, naming each field. */
export const refuseUnstorableBody: RequestHandler = (req, _res, next) => {
  const invalidUtf8 = (req as Marked)[INVALID_UTF8] === true;
  const issues = unstorableValues(req.body, "", invalidUtf8);
  if (issues.length === 0 && invalidUtf8) issues.push({ path: "(root)", message: "is not valid UTF-8" });
  next(issues.length > 0 ? new ValidationError("request", issues) : undefined);
};

/** The route parameter a path segment fills, from the routes' Express paths (`/v1/profiles/:userId`). */
function paramAt(paths: string[][], segments: string[], index: number): string | undefined {
  for (const route of paths) {
    if (route.length !== segments.length || !route[index]?.startsWith(":")) continue;
    if (route.every((part, i) => i === index || part.startsWith(":") || part === segments[i])) return route[index].slice(1);
  }
  return undefined;
}

/**
 * Before routing: a path segment with bad percent-encoding (`%ZZ`, or bytes that are not UTF-8) gets a
 * 400 naming its parameter, where Express's router would throw a URIError while matching; decoded
 * segments and query values with a NUL are refused like body strings.
 */
export function refuseHostileUrl(routePaths: string[]): RequestHandler {
  const paths = routePaths.map((p) => p.split("/"));
  return (req, _res, next) => {
    const issues: FieldIssue[] = [];
    const segments = req.path.split("/");
    segments.forEach((segment, i) => {
      let decoded: string;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        const name = paramAt(paths, segments, i);
        issues.push({ path: name ? `params.${name}` : "(path)", message: `"${segment.slice(0, 100)}" is not valid percent-encoding of UTF-8` });
        return;
      }
      const why = decoded === segment ? null : stringProblem(decoded, false);
      const name = why ? paramAt(paths, segments, i) : undefined;
      if (why) issues.push({ path: name ? `params.${name}` : "(path)", message: why });
    });
    issues.push(...unstorableValues(req.query, "query"));
    next(issues.length > 0 ? new ValidationError("request", issues) : undefined);
  };
}

/** Whether an error is a decompression stream's (zlib and brotli errors carry an errno and a code). */
function isDecompressionError(err: unknown, req: Request): boolean {
  const e = err as { status?: unknown; type?: unknown; errno?: unknown; code?: unknown } | null;
  const encoding = req.headers["content-encoding"];
  return e !== null && typeof e === "object" && e.status === 400 && e.type === undefined && typeof e.errno === "number" && encoding !== undefined && encoding !== "identity";
}

/**
 * Before the router's error handler: body-parser passes a corrupt gzip, deflate or br body on as the
 * zlib error with status 400 but no `type` (https://github.com/expressjs/body-parser/blob/master/lib/read.js),
 * and Express's router throws a URIError with status 400 for a parameter it cannot decode: both are
 * the client's doing, and answer 400 rather than 500.
 */
export const clientDecodeErrors: ErrorRequestHandler = (err: unknown, req, res, next) => {
  if (res.headersSent) return next(err);
  if (isDecompressionError(err, req)) {
    const message = `could not be decoded as ${String(req.headers["content-encoding"])}: ${(err as Error).message}`;
    return sendProblem(res, problem(400, "NUDGE_MALFORMED_BODY", `The body ${message}`, [{ path: "(root)", message }]));
  }
  if (err instanceof URIError && (err as URIError & { status?: number }).status === 400) {
    return next(new ValidationError("request", [{ path: "(path)", message: err.message }]));
  }
  next(err);
};
