import type { RequestHandler } from "express";
import { rateLimit } from "express-rate-limit";
import type { Logger } from "@nudge/core";
import type { AuthenticatedKey } from "./api-keys.js";
import type { RouterOptions } from "./options.js";
import { problem, sendProblem } from "./problem.js";

export type Access = "ingest" | "admin" | "public";
export type Limiter = Access | "webhook";

const pass: RequestHandler = (_req, _res, next) => next();

/**
 * One express-rate-limit limiter per access level: ingest and admin count per API key (the key's id,
 * set by the auth middleware that runs first), public routes and webhooks per client IP. express-rate-limit sets
 * Retry-After on a 429; the handler only turns the answer into problem JSON.
 */
export function createLimiters(options: RouterOptions["rateLimit"], logger: Logger): Record<Limiter, RequestHandler> {
  if (options === false) return { ingest: pass, admin: pass, public: pass, webhook: pass };
  const make = (access: Limiter, limit: number): RequestHandler =>
    rateLimit({
      windowMs: options.windowMs,
      limit,
      standardHeaders: "draft-7",
      legacyHeaders: false,
      // Its configuration warnings go to the instance's logger, not the console.
      logger,
      ...(access === "public" || access === "webhook" ? {} : { keyGenerator: (_req, res) => `${access}:${(res.locals["apiKey"] as AuthenticatedKey).id}` }),
      handler: (_req, res) => {
        const retryAfter = Number(res.getHeader("Retry-After") ?? Math.ceil(options.windowMs / 1000));
        sendProblem(res, { ...problem(429, "NUDGE_RATE_LIMITED", `Too many requests: at most ${limit} per ${options.windowMs / 1000} s`), retryAfter });
      },
    });
  return {
    ingest: make("ingest", options.ingest),
    admin: make("admin", options.admin),
    public: make("public", options.public),
    webhook: make("webhook", options.webhook),
  };
}
