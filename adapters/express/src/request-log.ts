import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestHandler } from "express";
import { pinoHttp } from "pino-http";
import type { Logger } from "@nudge/core";

/** Path segments that carry personal data or capabilities: user ids, signed link tokens. */
const SENSITIVE_AFTER = new Set(["profiles", "l", "u"]);

/** The path without its query string (it may hold user ids or a webhook secret) and with sensitive segments masked. */
export function redactUrl(url: string): string {
  const path = url.split("?", 1)[0]!;
  const parts = path.split("/");
  for (let i = 1; i < parts.length; i++) if (SENSITIVE_AFTER.has(parts[i - 1]!) && parts[i] !== "") parts[i] = ":redacted";
  return parts.join("/");
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** Takes the caller's X-Request-Id when it looks like one, else makes one; echoes it back. */
export const requestId: RequestHandler = (req, res, next) => {
  const given = req.headers["x-request-id"];
  req.id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader("X-Request-Id", String(req.id));
  next();
};

/**
 * pino-http on the instance's logger. Serializers are allow-lists: method, masked path and status.
 * Headers (Authorization, cookies), query strings, bodies and client IPs are never
 * logged, whatever redaction the host's logger has.
 */
export function requestLog(logger: Logger): RequestHandler {
  const middleware = pinoHttp<IncomingMessage, ServerResponse, never>({
    logger: logger.child({ component: "http" }),
    genReqId: (req) => req.id,
    wrapSerializers: false,
    serializers: {
      req: (req: IncomingMessage & { originalUrl?: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.originalUrl ?? req.url ?? "") }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
    // 503 (stopping, storage away) and 429 are expected under load: warn, keep error for real failures.
    customLogLevel: (_req, res) => (res.statusCode === 503 || res.statusCode === 429 ? "warn" : res.statusCode >= 500 ? "error" : "info"),
  });
  return (req, res, next) => middleware(req, res, next);
}
