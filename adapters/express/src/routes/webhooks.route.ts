import { createHash, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { NotFoundError, NudgeError } from "@nudge/core";
import { problem, sendProblem } from "../problem.js";
import { defineRoute, type RouteContext, type RouteSpec } from "../route-spec.js";

const WebhookParams = z.object({ channel: z.string().min(1).max(100), provider: z.string().min(1).max(100) });
const WebhookQuery = z.looseObject({ secret: z.string().optional() });
const Applied = z.object({ applied: z.number().int() });

/** Compares two secrets in constant time (hashing first makes the lengths equal). */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Provider delivery reports: the channel verifies and parses them, the engine applies them. */
export function webhookRoutes({ nudge, options }: RouteContext): RouteSpec[] {
  return [
    defineRoute({
      method: "post",
      path: "/v1/webhooks/:channel/:provider",
      access: "public",
      publicLimit: "webhook",
      tag: "Webhooks",
      summary: "Receive a provider's delivery reports",
      description:
        "Verified by the provider's own signature scheme where it has one (the channel checks it over the exact bytes; " +
        "a missing or wrong signature is 401, a correctly signed but malformed body 400). " +
        'When the router has a secret for "<channel>/<provider>" in webhookSecrets, the call must also carry it as ' +
        "?secret= or in the X-Nudge-Webhook-Secret header.",
      params: WebhookParams,
      query: WebhookQuery,
      body: { kind: "raw" },
      responses: {
        200: { description: "Applied (or the provider's expected answer)", schema: Applied },
        401: { description: "Missing or wrong webhook secret (NUDGE_WEBHOOK_UNAUTHENTICATED) or provider signature (NUDGE_WEBHOOK_SIGNATURE)" },
        404: { description: "No such channel, provider or webhook" },
      },
      async handle({ params, query, body, req, res }) {
        if (!nudge.webhooks.accepts(params.channel, params.provider)) throw new NotFoundError("webhook", `${params.channel}/${params.provider}`);
        const secret = options.webhookSecrets[`${params.channel}/${params.provider}`];
        if (secret !== undefined) {
          const header = req.headers["x-nudge-webhook-secret"];
          const given = query.secret ?? (typeof header === "string" ? header : "");
          if (!sameSecret(given, secret)) {
            sendProblem(res, problem(401, "NUDGE_WEBHOOK_UNAUTHENTICATED", "Missing or wrong webhook secret"));
            return undefined;
          }
        }
        const { secret: _secret, ...providerQuery } = query;
        if (!Buffer.isBuffer(body)) throw new NudgeError("NUDGE_INTERNAL", "webhook body was not read as bytes");
        const result = await nudge.webhooks.handle(params.channel, params.provider, { headers: req.headers, rawBody: body, query: providerQuery });
        if (result.response) return { status: result.response.status, body: result.response.body };
        return { status: 200, body: { applied: result.applied } };
      },
    }),
  ];
}
