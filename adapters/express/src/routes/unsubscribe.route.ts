import { z } from "zod";
import { NotFoundError, type LinkPayload } from "@nudge/core";
import { defineRoute, type RouteContext, type RouteSpec } from "../route-spec.js";
import { PAGE_CSP, confirmPage, donePage } from "../unsubscribe-page.js";
import { TokenParams } from "./click.route.js";

/** RFC 8058: the one-click body a mail client posts. */
const OneClickBody = z.object({ "List-Unsubscribe": z.literal("One-Click") });

/** GET shows a confirmation page; POST (a mail client's one-click, or the page's button) unsubscribes. */
export function unsubscribeRoutes({ nudge }: RouteContext): RouteSpec[] {
  const links = nudge.links;
  const verify = (token: string): Extract<LinkPayload, { k: "u" }> => {
    const link = links.verify(token);
    if (!link || link.k !== "u") throw new NotFoundError("unsubscribe link", "(token)");
    return link;
  };
  const html = { description: "HTML page", contentType: "text/html" };

  return [
    defineRoute({
      method: "get",
      path: "/u/:token",
      access: "public",
      tag: "Links",
      summary: "Unsubscribe page (asks to confirm; changes nothing)",
      params: TokenParams,
      responses: { 200: html, 404: { description: "Invalid token" } },
      async handle({ params, res }) {
        const link = verify(params.token);
        res.status(200).setHeader("Content-Security-Policy", PAGE_CSP).setHeader("Cache-Control", "no-store").type("html").send(confirmPage(link.c, link.t));
        return undefined;
      },
    }),
    defineRoute({
      method: "post",
      path: "/u/:token",
      access: "public",
      tag: "Links",
      summary: "One-click unsubscribe (RFC 8058)",
      description: "Body List-Unsubscribe=One-Click, form-encoded (or multipart). Idempotent; answers 200 even if the person was erased.",
      params: TokenParams,
      body: { kind: "form", schema: OneClickBody },
      responses: { 200: html, 404: { description: "Invalid token" } },
      async handle({ params, res }) {
        const link = verify(params.token);
        await nudge.profiles.setSubscription(link.p, { channel: link.c, topic: link.t, state: "unsubscribed", source: "one-click" });
        res.status(200).setHeader("Content-Security-Policy", PAGE_CSP).setHeader("Cache-Control", "no-store").type("html").send(donePage(link.c, link.t));
        return undefined;
      },
    }),
  ];
}
