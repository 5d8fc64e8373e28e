import type { ErrorRequestHandler } from "express";
import type { Logger } from "@nudge/core";
import { clientDecodeErrors } from "./hostile-input.js";
import { errorHandler } from "./problem.js";

export interface ProblemErrorHandlerOptions {
  /** Where unexpected errors (answered 500 NUDGE_INTERNAL, without details) are logged: `nudge.logger` or the host's pino logger. */
  logger: Logger;
  /**
   * Whether the Nudge instance runs; while it stops, an unexpected error answers 503 NUDGE_STOPPED with
   * Retry-After rather than 500. Defaults to always running.
   */
  running?: () => boolean;
}

/**
 * The error handler of Nudge's router, for a host's own routes: every error becomes RFC 9457
 * `application/problem+json` with a stable `code` — Nudge's errors by their code (ValidationError 400
 * naming each field, NotFoundError 404 …), body-parser's by their type (malformed JSON 400, too large 413,
 * unsupported encoding 415), other client errors raised with http-errors by their status — and never an
 * HTML page or a stack. Mount it after the routes: `app.use(problemErrorHandler({ logger: nudge.logger }))`.
 */
export function problemErrorHandler(options: ProblemErrorHandlerOptions): ErrorRequestHandler {
  const last = errorHandler(options.logger, options.running ?? (() => true));
  return (err: unknown, req, res, next) => clientDecodeErrors(err, req, res, (e?: unknown) => (e === undefined ? next() : last(e, req, res, next)));
}
