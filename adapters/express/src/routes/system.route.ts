import { z } from "zod";
import { NudgeError, StorageUnavailableError, type HealthCheck, type Nudge } from "@nudge/core";
import type { RouterMetrics } from "../metrics.js";
import { defineRoute, type RouteContext, type RouteSpec } from "../route-spec.js";

const PING_TIMEOUT_MS = 2000;
const Health = z.object({ status: z.literal("ok"), workspace: z.string() });
const Ready = Health.extend({ storage: z.enum(["ok", "unchecked"]) });

/** The storage plugin's readiness probe, when it offers one (it is optional). */
function storageHealth(nudge: Nudge): HealthCheck | null {
  return nudge.system.storageHealth();
}

async function ping(health: HealthCheck): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StorageUnavailableError(`storage did not answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS);
  });
  try {
    await Promise.race([health.ping(), timeout]);
  } catch (e) {
    throw e instanceof StorageUnavailableError ? e : new StorageUnavailableError("storage is unreachable", e);
  } finally {
    clearTimeout(timer);
  }
}

/** Probes, metrics and the API description. */
export function systemRoutes({ nudge, options }: RouteContext, metrics: RouterMetrics, openapi: (baseUrl: string) => unknown): RouteSpec[] {
  const health = storageHealth(nudge);
  return [
    defineRoute({
      method: "get",
      path: "/healthz",
      access: "public",
      publicLimit: false,
      tag: "Operations",
      summary: "Liveness: the process answers",
      responses: { 200: { description: "Alive", schema: Health } },
      async handle() {
        return { status: 200, body: { status: "ok", workspace: nudge.workspace } };
      },
    }),
    defineRoute({
      method: "get",
      path: "/readyz",
      access: "public",
      publicLimit: false,
      tag: "Operations",
      summary: "Readiness: the instance is running and its storage answers",
      responses: { 200: { description: "Ready", schema: Ready }, 503: { description: "Not started, stopping, or storage unreachable" } },
      async handle() {
        if (!nudge.running) throw new NudgeError("NUDGE_NOT_STARTED", `Nudge instance "${nudge.workspace}" is not running`);
        if (health) await ping(health);
        return { status: 200, body: { status: "ok", workspace: nudge.workspace, storage: health ? "ok" : "unchecked" } };
      },
    }),
    defineRoute({
      method: "get",
      path: "/metrics",
      access: options.publicMetrics ? "public" : "admin",
      publicLimit: false,
      tag: "Operations",
      summary: "Prometheus metrics of this instance",
      responses: { 200: { description: "Prometheus text format", contentType: "text/plain" } },
      async handle({ res }) {
        const { contentType, body } = await metrics.render();
        res.status(200).type(contentType).send(body);
        return undefined;
      },
    }),
    defineRoute({
      method: "get",
      path: "/openapi.json",
      access: "public",
      publicLimit: false,
      tag: "Operations",
      summary: "This API, described as OpenAPI 3.1 (generated from the same zod schemas that validate requests)",
      responses: { 200: { description: "The OpenAPI document" } },
      async handle({ req }) {
        return { status: 200, body: openapi(req.baseUrl) };
      },
    }),
  ];
}
