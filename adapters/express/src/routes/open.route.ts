import { z } from "zod";
import { defineRoute, type RouteContext, type RouteSpec } from "../route-spec.js";
import { recordEngagement } from "./click.route.js";

/** The smallest transparent image every mail client renders: a 1x1 GIF89a, 43 bytes. */
export const TRANSPARENT_GIF = Buffer.from("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==", "base64");

/** Any token gets the image; one longer than a signed token can be is simply not verified. */
const PixelParams = z.object({ token: z.string() });
const MAX_TOKEN = 4096;

/**
 * GET /o/:token: the open pixel. A token this instance signed records `message_opened`; any token gets
 * the same image. Like the tracking pixels of the large e-mail platforms, a bad token is not answered
 * with an error: it is most often a real e-mail that outlived its token (a rotated link secret, a pixel
 * signed before link settings existed), and a 404 there shows the reader a broken-image icon while
 * telling a prober which tokens are good. It records nothing, and no target is read from it.
 */
export function openRoutes({ nudge, options }: RouteContext): RouteSpec[] {
  const links = nudge.links;
  return [
    defineRoute({
      method: "get",
      path: "/o/:token",
      access: "public",
      // Image proxies (Gmail's, Apple Mail Privacy Protection) fetch every reader's pixel from a few
      // addresses, so the per-IP limit of pages would drop real opens; the burst limit of webhooks fits.
      publicLimit: "webhook",
      tag: "Links",
      summary: "Open pixel: records message_opened, answers a 1x1 transparent GIF",
      description:
        "Every token gets the image (never an error page, which a mail client would show as a broken image). Only a token this instance signed for an open records anything, once per token per `openWindowMs`.",
      params: PixelParams,
      responses: { 200: { description: "A 1x1 transparent GIF", contentType: "image/gif" } },
      async handle({ params, res }) {
        const open = params.token.length <= MAX_TOKEN ? links.verify(params.token, "o") : null;
        if (open) await recordEngagement(nudge, { kind: "open", token: params.token, profileId: open.p, windowMs: options.openWindowMs, properties: { messageId: open.m } });
        res.status(200).setHeader("Cache-Control", "no-store").setHeader("Content-Type", "image/gif").setHeader("Content-Length", TRANSPARENT_GIF.length).end(TRANSPARENT_GIF);
        return undefined;
      },
    }),
  ];
}
