import express, { type Application, type Express, type Request, type RequestHandler } from "express";
import type { z } from "zod";
import { PluginConfigError, ValidationError, issuesFromZod, type FieldIssue, type Nudge } from "@nudge/core";
import { ApiKeys } from "./api-keys.js";
import { AuthLimiter } from "./auth-limiter.js";
import { bodyReaders, readForm } from "./body.js";
import { problemErrorHandler } from "./error-handler.js";
import { RouterMetrics } from "./metrics.js";
import { buildOpenApi } from "./openapi.js";
import { RouterOptions, type RouterOptionsInput } from "./options.js";
import { clientDecodeErrors, refuseHostileUrl } from "./hostile-input.js";
import { errorHandler, notFound } from "./problem.js";
import { createLimiters, type Limiter } from "./rate-limit.js";
import { requestId, requestLog } from "./request-log.js";
import type { RouteContext, RouteSpec } from "./route-spec.js";
import { clickRoutes } from "./routes/click.route.js";
import { ingestRoutes } from "./routes/ingest.route.js";
import { journeyRoutes } from "./routes/journeys.route.js";
import { messageRoutes } from "./routes/messages.route.js";
import { openRoutes } from "./routes/open.route.js";
import { profileRoutes } from "./routes/profiles.route.js";
import { segmentRoutes } from "./routes/segments.route.js";
import { systemRoutes } from "./routes/system.route.js";
import { templateRoutes } from "./routes/templates.route.js";
import { unsubscribeRoutes } from "./routes/unsubscribe.route.js";
import { webhookRoutes } from "./routes/webhooks.route.js";

const VERSION = "0.1.0";

function parsePart<T>(schema: z.ZodType<T> | undefined, value: unknown, prefix: string, issues: FieldIssue[]): T | undefined {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  issues.push(...issuesFromZod(result.error, prefix));
  return undefined;
}

function withPathParams(body: unknown, params: Record<string, unknown>, names: string[] | undefined): unknown {
  if (!names || body === null || typeof body !== "object" || Array.isArray(body)) return body;
  const added = Object.fromEntries(names.filter((n) => !(n in body) && params[n] !== undefined).map((n) => [n, params[n]]));
  return { ...added, ...body };
}

/** Parses params, query and body with the route's zod schemas, runs the handler, sends its reply. */
function execute(route: RouteSpec): RequestHandler {
  return async (req, res) => {
    const issues: FieldIssue[] = [];
    const params = parsePart(route.params, req.params, "params", issues);
    const query = parsePart(route.query, req.query, "query", issues);
    let body: unknown = req.body;
    if (route.body?.kind === "json") body = parsePart(route.body.schema, withPathParams(req.body, req.params, route.body.fromPath), "", issues);
    else if (route.body?.kind === "form") body = parsePart(route.body.schema, readForm(req.body, req.headers["content-type"]), "", issues);
    else if (route.body?.kind === "raw") body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (issues.length > 0) throw new ValidationError("request", issues);

    const reply = await route.handle({ params, query, body, req, res });
    if (!reply) return;
    for (const [k, v] of Object.entries(reply.headers ?? {})) res.setHeader(k, v);
    res.status(reply.status);
    if (reply.body === undefined) res.end();
    else if (typeof reply.body === "string") res.type("text/plain").send(reply.body);
    else res.json(reply.body);
  };
}

/**
 * The Nudge HTTP API as an Express application, mounted with `app.use("/nudge", nudgeRouter(nudge, options))`.
 * One router per Nudge instance, so per workspace: its keys, limits and metrics are its own. It is a
 * sub-application rather than a bare Router so that `trustProxy`, the 404 answer and the error
 * handler apply to it alone, whatever the host app does.
 */
/** Says at boot which of the router's protections are on, and warns about each one turned off. */
function logProtections(nudge: Nudge, options: RouterOptions): void {
  const log = nudge.logger.child({ component: "http" });
  const { authLimit, rateLimit, publicMetrics } = options;
  log.info(
    {
      authLimit: authLimit === false ? "off" : `${authLimit.perAddress} per address, ${authLimit.perKeyPrefix} per key prefix, per ${authLimit.windowMs / 60_000} min`,
      rateLimit: rateLimit === false ? "off" : "on",
      metrics: publicMetrics ? "public" : "admin key",
      webhookSecrets: Object.keys(options.webhookSecrets),
    },
    "http protections",
  );
  if (authLimit === false) log.warn("failed authentication is not limited (authLimit: false): keys can be guessed at the speed of the network");
  if (rateLimit === false) log.warn("request rate limits are off (rateLimit: false)");
  if (publicMetrics) log.warn("/metrics is public (publicMetrics: true): anyone who reaches the mount point can read it");
}

export function nudgeRouter(nudge: Nudge, input: RouterOptionsInput): Express {
  const parsed = RouterOptions.safeParse(input);
  if (!parsed.success) throw new PluginConfigError("@nudge/express", issuesFromZod(parsed.error));
  const options = parsed.data;
  const keys = new ApiKeys(options.keys);
  const metrics = new RouterMetrics(nudge);
  const limiters = createLimiters(options.rateLimit, nudge.logger);
  const authLimiter = options.authLimit === false ? null : new AuthLimiter(options.authLimit, nudge.clock, nudge.logger, metrics);
  const onAuthFailure = (req: Request, presented: string | null): void => {
    metrics.authFailed();
    authLimiter?.fail(req, presented);
  };
  logProtections(nudge, options);

  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  if (options.trustProxy !== undefined) app.set("trust proxy", options.trustProxy);
  app.use(requestId);
  // Request lines are info-level: with the logger above info, pino-http would only build a child logger per request.
  if (options.requestLog && nudge.logger.isLevelEnabled("info")) app.use(requestLog(nudge.logger));
  app.use(metrics.observe);
  app.use((_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });

  const ctx: RouteContext = { nudge, options };
  let openapi: (baseUrl: string) => unknown = () => ({});
  const routes: RouteSpec[] = [
    ...ingestRoutes(ctx),
    ...journeyRoutes(ctx),
    ...segmentRoutes(ctx),
    ...templateRoutes(ctx),
    ...profileRoutes(ctx),
    ...messageRoutes(ctx),
    ...webhookRoutes(ctx),
    ...clickRoutes(ctx),
    ...openRoutes(ctx),
    ...unsubscribeRoutes(ctx),
    ...systemRoutes(ctx, metrics, (baseUrl) => openapi(baseUrl)),
  ];
  openapi = buildOpenApi(routes, { title: `Nudge (${nudge.workspace})`, version: VERSION });
  app.use(refuseHostileUrl(routes.map((r) => r.path)));

  for (const route of routes) {
    const label: RequestHandler = (_req, res, next) => {
      res.locals["route"] = route.path;
      next();
    };
    // Lockouts are checked before the key, so a locked-out client costs no key comparison.
    const guard: RequestHandler[] = route.access === "public" ? [] : [...(authLimiter ? [authLimiter.guard] : []), keys.require(route.access, onAuthFailure)];
    const limiter: Limiter | false = route.access !== "public" ? route.access : route.publicLimit === undefined ? "public" : route.publicLimit;
    const limit = limiter === false ? [] : [limiters[limiter]];
    app[route.method](route.path, label, ...guard, ...limit, ...bodyReaders(route.body, options.bodyLimit), execute(route));
  }
  app.use(notFound);
  app.use(clientDecodeErrors);
  app.use(errorHandler(nudge.logger, () => nudge.running));
  // Errors raised before the router runs (the host's express.json() on a malformed body) skip a mounted
  // app; a handler on the same path right after it answers them as problem JSON. Express emits "mount"
  // from app.use (https://expressjs.com/en/5x/api.html#app.onmount); under an express.Router, add it yourself.
  app.on("mount", (parent: Application) => {
    parent.use(app.mountpath, problemErrorHandler({ logger: nudge.logger, running: () => nudge.running }));
  });
  return app;
}
