import type { ErrorRequestHandler, RequestHandler, Response } from "express";
import { z } from "zod";
import { NudgeError, ValidationError, type FieldIssue, type Logger } from "@nudge/core";


/** An RFC 9457 problem details body, with Nudge's stable `code` and field-level `errors`. */
export const ProblemDetails = z.object({
  /** A URN per code: a stable identifier that needs no web page to resolve. */
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  /** Stable, documented: NUDGE_VALIDATION, NUDGE_UNAUTHENTICATED ... */
  code: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
  /** Set on 429 and 503: seconds before trying again (also sent as Retry-After). */
  retryAfter: z.number().int().optional(),
});
export type Problem = z.infer<typeof ProblemDetails>;

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  503: "Service Unavailable",
};

export function problem(status: number, code: string, detail: string, errors: FieldIssue[] = []): Problem {
  const slug = code.replace(/^NUDGE_/, "").toLowerCase().replace(/_/g, "-");
  return { type: `urn:nudge:problem:${slug}`, title: TITLES[status] ?? "Error", status, detail, code, errors };
}

export function sendProblem(res: Response, p: Problem): void {
  if (p.retryAfter !== undefined) res.setHeader("Retry-After", String(p.retryAfter));
  res.status(p.status).type("application/problem+json").send(JSON.stringify(p));
}

/**
 * A NudgeError status: the core's stable codes decide, never the message. A code mapped to 500 here is a
 * setup mistake whose message names the fix; any other error answers a bare NUDGE_INTERNAL.
 */
const STATUS_BY_CODE: Record<string, number> = {
  NUDGE_VALIDATION: 400,
  NUDGE_TEMPLATE: 400,
  NUDGE_WEBHOOK_SIGNATURE: 401,
  NUDGE_BODY_ALREADY_PARSED: 500,
  NUDGE_NOT_FOUND: 404,
  NUDGE_CONFLICT: 409,
  NUDGE_STORAGE_UNAVAILABLE: 503,
  NUDGE_STOPPED: 503,
  NUDGE_NOT_STARTED: 503,
};

/** The fix a host needs when its parser read a body whose exact bytes a route needs (host-body.ts). */
export const KEEP_RAW_BODY_FIX =
  "mount Nudge's router before express.json(), or keep the raw body: express.json({ verify: (req, _res, buf) => { req.rawBody = buf } }) (keepRawBody from @nudge/express does this)";

/** body-parser's error types (it sets `type` on every error it raises). */
const BODY_ERRORS: Record<string, [number, string]> = {
  "entity.too.large": [413, "NUDGE_BODY_TOO_LARGE"],
  "entity.parse.failed": [400, "NUDGE_MALFORMED_BODY"],
  "encoding.unsupported": [415, "NUDGE_UNSUPPORTED_ENCODING"],
  "charset.unsupported": [415, "NUDGE_UNSUPPORTED_CHARSET"],
  "request.aborted": [400, "NUDGE_REQUEST_ABORTED"],
  "request.size.invalid": [400, "NUDGE_MALFORMED_BODY"],
  "parameters.too.many": [413, "NUDGE_BODY_TOO_LARGE"],
  "stream.encoding.set": [500, "NUDGE_INTERNAL"],
  "stream.not.readable": [500, "NUDGE_BODY_ALREADY_PARSED"],
};

/** Codes for the client errors (http-errors with `expose`) that other middleware of the host raises. */
const CODE_BY_STATUS: Record<number, string> = {
  401: "NUDGE_UNAUTHENTICATED",
  403: "NUDGE_FORBIDDEN",
  404: "NUDGE_ROUTE_NOT_FOUND",
  413: "NUDGE_BODY_TOO_LARGE",
  415: "NUDGE_UNSUPPORTED_MEDIA_TYPE",
  429: "NUDGE_RATE_LIMITED",
};

function bodyProblem(err: { limit?: unknown; message?: unknown }, status: number, code: string): Problem {
  const detail =
    status === 413 && typeof err.limit === "number"
      ? `The body is larger than the limit of ${err.limit} bytes`
      : code === "NUDGE_MALFORMED_BODY" && status === 400
        ? "The body is not valid JSON"
        : code === "NUDGE_BODY_ALREADY_PARSED"
          ? `The host app read this body before Nudge's router: ${KEEP_RAW_BODY_FIX}`
          : String(err.message ?? "The body could not be read");
  return problem(status, code, detail, status === 400 ? [{ path: "(root)", message: detail }] : []);
}

/** Maps anything thrown to a problem; `null` status 500 means "unexpected", which the caller logs. */
export function toProblem(err: unknown): Problem {
  if (err instanceof ValidationError) return problem(400, err.code, "The request is invalid: see errors", err.issues);
  if (err instanceof NudgeError) {
    const status = STATUS_BY_CODE[err.code];
    if (status === undefined) return problem(500, "NUDGE_INTERNAL", "An unexpected error occurred");
    const p = problem(status, err.code, err.message);
    if (status === 503) p.retryAfter = 5;
    return p;
  }
  const e = (err ?? {}) as { type?: unknown; status?: unknown; expose?: unknown; message?: unknown; limit?: unknown };
  const known = typeof e.type === "string" ? BODY_ERRORS[e.type] : undefined;
  if (known) return bodyProblem(e, known[0], known[1]);
  // Any other client error a host's middleware raised with http-errors: its message is meant for the client.
  if (typeof e.status === "number" && e.status >= 400 && e.status < 500 && e.expose === true) {
    return bodyProblem(e, e.status, CODE_BY_STATUS[e.status] ?? "NUDGE_BAD_REQUEST");
  }
  return problem(500, "NUDGE_INTERNAL", "An unexpected error occurred");
}

/**
 * The last handler of the router: every error becomes problem JSON; unexpected ones are logged. An
 * unexpected error while the instance is stopping (a queue closing under an in-flight batch) is the
 * stop showing through, so it answers 503 like the stop itself rather than 500.
 */
export function errorHandler(logger: Logger, running: () => boolean): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    let p = toProblem(err);
    if (p.code === "NUDGE_INTERNAL" && !running()) p = { ...problem(503, "NUDGE_STOPPED", "The instance is stopping and accepts no new work"), retryAfter: 5 };
    if (p.status >= 500 && p.code === "NUDGE_INTERNAL") logger.error({ err, reqId: req.id }, "unexpected error answering a request");
    else if (p.status >= 500) logger.warn({ code: p.code, reqId: req.id }, p.detail);
    if (res.headersSent) {
      res.end();
      return;
    }
    sendProblem(res, p);
  };
}

/** Unknown routes under the mount point answer problem JSON, not Express's HTML page. */
export const notFound: RequestHandler = (req, res) => {
  sendProblem(res, problem(404, "NUDGE_ROUTE_NOT_FOUND", `No route for ${req.method} ${req.path}`));
};
