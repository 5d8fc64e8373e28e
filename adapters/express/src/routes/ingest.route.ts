import { ValidationError, type Accepted } from "@nudge/core";
import { AcceptedResponse, ingestSchemas } from "../ingest-schemas.js";
import { defineRoute, type RouteContext, type RouteSpec } from "../route-spec.js";

/** POST /v1/track, /v1/identify, /v1/batch: the ingest API, answered 202 once the events are stored. */
export function ingestRoutes({ nudge, options }: RouteContext): RouteSpec[] {
  const schemas = ingestSchemas(options.batch.maxItems);
  const accepted = (results: Accepted[]) => ({ accepted: results.length, duplicates: results.filter((r) => !r.accepted).length });
  const ok = { 202: { description: "Stored (accepted means durable)", schema: AcceptedResponse } };

  return [
    defineRoute({
      method: "post",
      path: "/v1/track",
      access: "ingest",
      tag: "Ingest",
      summary: "Record an event a person did",
      description: "userId or anonymousId is required; a timestamp more than 24 h ahead is rejected. A repeated messageId stores nothing new.",
      body: { kind: "json", schema: schemas.trackCall, documented: schemas.track },
      responses: ok,
      async handle({ body }) {
        return { status: 202, body: accepted([await nudge.track(body)]) };
      },
    }),
    defineRoute({
      method: "post",
      path: "/v1/identify",
      access: "ingest",
      tag: "Ingest",
      summary: "Record who a person is and their traits",
      description:
        "Traits named email, phone, timezone and locale also set the person's contact points and settings. " +
        "`contacts` sets contact points and channel facts only: `{ email, phone, kakao: { channelFriend } }`.",
      body: { kind: "json", schema: schemas.identifyCall, documented: schemas.identify },
      responses: ok,
      async handle({ body }) {
        return { status: 202, body: accepted([await nudge.identify(body)]) };
      },
    }),
    defineRoute({
      method: "post",
      path: "/v1/batch",
      access: "ingest",
      tag: "Ingest",
      summary: "Record many track and identify calls at once",
      description:
        `Up to ${options.batch.maxItems} items. All or nothing: every item is validated first, and one invalid item ` +
        "rejects the whole batch with a 400 naming each bad item by index (batch[3].event). Each person's items apply in order.",
      body: { kind: "json", schema: schemas.batch, documented: schemas.batchDocumented, limit: options.batch.bodyLimit },
      responses: ok,
      async handle({ body }) {
        // The envelope is checked above; the core validates every item (all or nothing) and stores the batch
        // in one write. Its issues name items by index: they become the body's fields (batch[3].event).
        try {
          return { status: 202, body: accepted(await nudge.batch(body.batch)) };
        } catch (e) {
          if (e instanceof ValidationError) throw new ValidationError("batch", e.issues.map((i) => ({ path: `batch${i.path}`, message: i.message })));
          throw e;
        }
      },
    }),
  ];
}
