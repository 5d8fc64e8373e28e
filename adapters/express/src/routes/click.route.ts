import { createHash } from "node:crypto";
import { z } from "zod";
import { NotFoundError, type Nudge } from "@nudge/core";
import { defineRoute, type RouteContext, type RouteSpec } from "../route-spec.js";

export const TokenParams = z.object({ token: z.string().min(1).max(4096) });

/** GET /l/:token: a tracked click. Only a token this instance signed redirects, and only to its own URL. */
export function clickRoutes({ nudge, options }: RouteContext): RouteSpec[] {
  const links = nudge.links;
  return [
    defineRoute({
      method: "get",
      path: "/l/:token",
      access: "public",
      tag: "Links",
      summary: "Follow a tracked link: records message_clicked, then redirects",
      description: "A tampered, foreign or unknown token gets 404: the redirect target always comes from a signed token.",
      params: TokenParams,
      responses: { 302: { description: "Redirect to the link's target" }, 404: { description: "Invalid token" } },
      async handle({ params, res }) {
        const link = links.verify(params.token, "l");
        // z.url() accepts any scheme; a click only ever leads to a web page.
        if (!link || !/^https?:\/\//i.test(link.u)) throw new NotFoundError("link", "(token)");
        await recordEngagement(nudge, { kind: "click", token: params.token, profileId: link.p, windowMs: options.clickWindowMs, properties: { messageId: link.m, url: link.u } });
        res.setHeader("Cache-Control", "no-store");
        res.setHeader("Referrer-Policy", "no-referrer");
        res.redirect(302, link.u);
        return undefined;
      },
    }),
  ];
}

const ENGAGEMENT_EVENTS = { click: "message_clicked", open: "message_opened" } as const;

export interface Engagement {
  kind: keyof typeof ENGAGEMENT_EVENTS;
  /** The signed token as it came in: with the time bucket, it makes the event's idempotency key. */
  token: string;
  profileId: string;
  windowMs: number;
  properties: { messageId: string } & Record<string, unknown>;
}

/**
 * Records a click or an open as the person's event, once per token per time bucket: a double click, a
 * scanner's prefetch or a client loading images twice is not counted twice. Never throws: the person
 * still reaches the page, or gets the image, when the event cannot be stored (storage down, instance stopping).
 */
export async function recordEngagement(nudge: Nudge, e: Engagement): Promise<void> {
  try {
    const profile = await nudge.profiles.get(e.profileId);
    const identity = profile?.userId ? { userId: profile.userId } : profile?.anonymousIds[0] ? { anonymousId: profile.anonymousIds[0] } : null;
    if (!identity) return; // the person was erased: the link still works, nothing is recorded
    const bucket = Math.floor(nudge.clock.now() / e.windowMs);
    const dedupe = createHash("sha256").update(`${e.token}:${bucket}`).digest("base64url").slice(0, 32);
    await nudge.track({ ...identity, event: ENGAGEMENT_EVENTS[e.kind], messageId: `${e.kind}:${dedupe}`, properties: e.properties });
  } catch (err) {
    nudge.logger.warn({ err, messageId: e.properties.messageId }, `could not record a ${e.kind}`);
  }
}
