import { createHash } from "node:crypto";
import { z } from "zod";
import { NotFoundError, Tokens } from "@nudge/core";
import { defineRoute, type RouteContext, type RouteSpec } from "../route-spec.js";

export const TokenParams = z.object({ token: z.string().min(1).max(4096) });

/** GET /l/:token: a tracked click. Only a token this instance signed redirects, and only to its own URL. */
export function clickRoutes({ nudge, options }: RouteContext): RouteSpec[] {
  const links = nudge.resolve(Tokens.Links);
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
        const link = links.verify(params.token);
        // z.url() accepts any scheme; a click only ever leads to a web page.
        if (!link || link.k !== "l" || !/^https?:\/\//i.test(link.u)) throw new NotFoundError("link", "(token)");
        await recordClick(params.token, link.m, link.p, link.u);
        res.setHeader("Cache-Control", "no-store");
        res.setHeader("Referrer-Policy", "no-referrer");
        res.redirect(302, link.u);
        return undefined;
      },
    }),
  ];

  /** One event per token per time bucket: a double click or a scanner's prefetch is not counted twice. */
  async function recordClick(token: string, messageId: string, profileId: string, url: string): Promise<void> {
    try {
      const profile = await nudge.profiles.get(profileId);
      const identity = profile?.userId ? { userId: profile.userId } : profile?.anonymousIds[0] ? { anonymousId: profile.anonymousIds[0] } : null;
      if (!identity) return; // the person was erased: the link still works, nothing is recorded
      const bucket = Math.floor(nudge.clock.now() / options.clickWindowMs);
      const dedupe = createHash("sha256").update(`${token}:${bucket}`).digest("base64url").slice(0, 32);
      await nudge.track({ ...identity, event: "message_clicked", messageId: `click:${dedupe}`, properties: { messageId, url } });
    } catch (err) {
      // The person still reaches the page when the click cannot be stored (storage down, instance stopping).
      nudge.logger.warn({ err, messageId }, "could not record a click");
    }
  }
}
