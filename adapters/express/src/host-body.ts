import type { IncomingMessage, ServerResponse } from "node:http";
import type { Request, RequestHandler } from "express";
import { NudgeError } from "@nudge/core";
import { noteInvalidUtf8 } from "./hostile-input.js";
import { KEEP_RAW_BODY_FIX } from "./problem.js";


/**
 * A body-parser `verify` callback that keeps the exact bytes on `req.rawBody`, so that a host parsing
 * bodies before Nudge's router still lets provider signatures be checked:
 * `app.use(express.json({ verify: keepRawBody }))` (https://github.com/expressjs/body-parser#verify).
 */
export function keepRawBody(req: IncomingMessage, _res: ServerResponse, buf: Buffer): void {
  (req as IncomingMessage & { rawBody?: Buffer }).rawBody = buf;
}

const UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** A size option in bytes, read as body-parser reads it (its `bytes` package: 1 kb = 1024 b). */
export function sizeInBytes(size: string | number): number {
  if (typeof size === "number") return size;
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(size.trim());
  return m ? Math.floor(Number(m[1]) * UNITS[(m[2] ?? "b").toLowerCase()]!) : 0;
}

/** Errors shaped like body-parser's (its `type` decides the problem), so that both answer alike. */
function bodyError(status: number, type: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { status, statusCode: status, expose: true, type, ...extra });
}

function alreadyParsed(what: string): NudgeError {
  return new NudgeError("NUDGE_BODY_ALREADY_PARSED", `The host app read this body before Nudge's router and kept ${what}: ${KEEP_RAW_BODY_FIX}`);
}

/** The exact bytes the host's parser kept: its verify callback's `req.rawBody`, or express.raw()'s Buffer body. */
function keptBytes(req: Request): Buffer | null {
  const raw = (req as Request & { rawBody?: unknown }).rawBody;
  if (Buffer.isBuffer(raw)) return raw;
  return Buffer.isBuffer(req.body) ? req.body : null;
}

/** JSON.parse with body-parser's `strict` rule: an object or an array at the top. */
function parseStrict(text: string): unknown {
  const body = text.replace(/^\uFEFF/, "");
  const first = /^[\x20\x09\x0a\x0d]*(.)/.exec(body)?.[1];
  try {
    if (first === undefined) return {};
    if (first !== "{" && first !== "[") throw new SyntaxError(`Unexpected token ${JSON.stringify(first)}: a JSON object or array is expected`);
    return JSON.parse(body) as unknown;
  } catch (e) {
    throw bodyError(400, "entity.parse.failed", (e as Error).message);
  }
}

/** The body's size when the host kept no bytes: its Content-Length when it came uncompressed, else its JSON length. */
function sizeOf(req: Request, value: unknown): number {
  const encoding = (req.headers["content-encoding"] ?? "identity").toLowerCase();
  const length = Number(req.headers["content-length"]);
  if (encoding === "identity" && Number.isSafeInteger(length)) return length;
  return Buffer.byteLength(typeof value === "string" ? value : JSON.stringify(value), "utf8");
}

function tooLarge(limit: number, length: number): Error {
  return bodyError(413, "entity.too.large", "request entity too large", { limit, length });
}

function charsetOf(req: Request): string | null {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(req.headers["content-type"] ?? "");
  return m ? m[1]!.toLowerCase() : null;
}

const MISSING = {
  json: "neither its bytes nor its JSON value",
  form: "neither its bytes nor its form fields",
  raw: "no raw bytes, which this route needs: provider signatures are computed over the exact bytes",
};

/** The body a route gets from what the host's parser left, or an error: the rules are in adoptHostBody's comment. */
function adopt(kind: "json" | "form" | "raw", req: Request, res: ServerResponse, limit: number): unknown {
  const bytes = keptBytes(req);
  if (bytes) {
    if (bytes.length > limit) throw tooLarge(limit, bytes.length);
    if (kind !== "json") return bytes;
    const charset = charsetOf(req);
    if (charset !== null && charset !== "utf-8" && charset !== "utf8") throw bodyError(415, "charset.unsupported", `unsupported charset "${charset.toUpperCase()}"`, { charset });
    noteInvalidUtf8(req, res, bytes, charset);
    return parseStrict(bytes.toString("utf8"));
  }
  const body: unknown = req.body;
  if (kind === "form" && body !== null && typeof body === "object" && !Array.isArray(body)) return body;
  if (kind !== "json" || body === undefined) throw alreadyParsed(MISSING[kind]);
  const size = sizeOf(req, body);
  if (size > limit) throw tooLarge(limit, size);
  if (typeof body === "string") return parseStrict(body);
  if (typeof body !== "object" || body === null) throw bodyError(400, "entity.parse.failed", "a JSON object or array is expected");
  return body;
}

/**
 * Lets a route work behind whatever body parser the host app installed before Nudge's router. When the
 * request's stream was already read (express.json(), express.urlencoded(), express.text(), express.raw()
 * or body-parser ran first), the route takes:
 * - the exact bytes, when the host kept them (`req.rawBody` from a verify callback, or express.raw()'s
 *   Buffer): checked against the route's limit and parsed here as the route's own parser would;
 * - for JSON routes, the host's parsed JSON (an object or array; text from express.text() is parsed
 *   here), when its size (Content-Length, or its JSON length when compressed) is within the route's
 *   limit. A host limit below the route's fails first, in the host's parser (413 all the same);
 * - for form routes, the host's parsed fields;
 * - for raw routes (provider webhooks, whose signatures cover the exact bytes) nothing else:
 *   NUDGE_BODY_ALREADY_PARSED (500, so that providers retry), naming the fix.
 * Otherwise (nothing read the stream yet) it does nothing and the route's own parser reads the body.
 */
export function adoptHostBody(kind: "json" | "form" | "raw", limit: string | number, hasBody: (req: Request) => boolean): RequestHandler {
  const max = sizeInBytes(limit);
  return (req, res, next) => {
    if (!hasBody(req) || !req.readableEnded) return next();
    try {
      req.body = adopt(kind, req, res, max);
      next();
    } catch (e) {
      next(e);
    }
  };
}
