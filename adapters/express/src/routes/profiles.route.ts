import { z } from "zod";
import { JsonRecord, NotFoundError, SubscriptionState, subscriptionState } from "@nudge/core";
import { defineRoute, type RouteContext, type RouteSpec } from "../route-spec.js";
import { UserIdParams } from "../schemas.js";

/** The core's CustomerView, outlined: its fields are documented with @nudge/core's ProfileService.view. */
const CustomerView = z
  .looseObject({ id: z.string(), userId: z.string().nullable(), traits: JsonRecord, subscriptions: z.array(JsonRecord), segments: z.array(JsonRecord) })
  .describe("Profile, contact points, consent now and its history, segments, journeys (active and past), recent messages");
const ErasureReport = z.object({
  profileId: z.string(),
  profileFound: z.boolean(),
  eventsDeleted: z.number().int(),
  enrollmentsDeleted: z.number().int(),
  /** Kept for anonymous counts; contents and recipients removed. */
  messagesRedacted: z.number().int(),
});

const SubscriptionsBody = z.object({
  subscriptions: z.array(z.object({ channel: z.string().min(1), topic: z.string().min(1).optional(), state: SubscriptionState })).min(1).max(100),
  /** Where the consent came from, kept with it: "preference-center", "support" ... */
  source: z.string().min(1).max(100).default("api"),
});
const SubscriptionsResponse = z.object({
  subscriptions: z.array(z.object({ channel: z.string(), topic: z.string().optional(), state: SubscriptionState })),
});

/** Profiles by userId: the single customer view, erasure, consent. */
export function profileRoutes({ nudge }: RouteContext): RouteSpec[] {
  const find = async (userId: string) => {
    const p = await nudge.profiles.find({ userId });
    if (!p) throw new NotFoundError("user", userId);
    return p;
  };

  return [
    defineRoute({
      method: "get",
      path: "/v1/profiles/:userId",
      access: "admin",
      tag: "Profiles",
      summary: "The single customer view: profile, consent, segments, journeys, recent messages",
      params: UserIdParams,
      responses: { 200: { description: "The person", schema: CustomerView }, 404: { description: "No such user" } },
      async handle({ params }) {
        const view = await nudge.profiles.view(params.userId);
        if (!view) throw new NotFoundError("user", params.userId);
        return { status: 200, body: view };
      },
    }),
    defineRoute({
      method: "delete",
      path: "/v1/profiles/:userId",
      access: "admin",
      tag: "Profiles",
      summary: "Erase a person: profile, events, enrollments; message contents are redacted",
      params: UserIdParams,
      responses: { 200: { description: "What was erased", schema: ErasureReport }, 404: { description: "No such user" } },
      async handle({ params }) {
        const profile = await find(params.userId);
        return { status: 200, body: await nudge.profiles.erase(profile.id) };
      },
    }),
    defineRoute({
      method: "put",
      path: "/v1/profiles/:userId/subscriptions",
      access: "admin",
      tag: "Profiles",
      summary: "Record consent changes for channels (and topics)",
      params: UserIdParams,
      body: { kind: "json", schema: SubscriptionsBody },
      responses: { 200: { description: "The person's current state for the channels changed", schema: SubscriptionsResponse }, 404: { description: "No such user" } },
      async handle({ params, body }) {
        let profile = await find(params.userId);
        for (const s of body.subscriptions) {
          profile = (await nudge.profiles.setSubscription(profile.id, { ...s, source: body.source })) ?? profile;
        }
        const subscriptions = body.subscriptions.map(({ channel, topic }) => ({ channel, ...(topic ? { topic } : {}), state: subscriptionState(profile, channel, topic) }));
        return { status: 200, body: { subscriptions } };
      },
    }),
  ];
}
