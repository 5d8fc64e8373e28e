import { z } from "zod";
import { Id, Message, MessageStatus} from "@nudge/core";
import { defineRoute, type RouteContext, type RouteSpec } from "../route-spec.js";
import { Cursor, Limit, page } from "../schemas.js";

const MessagesQuery = z.object({
  userId: Id.optional(),
  journeyId: Id.optional(),
  status: MessageStatus.optional(),
  channel: z.string().min(1).optional(),
  cursor: Cursor,
  limit: Limit,
});

/** The message log: every message with its status, policy decisions and delivery attempts. */
export function messageRoutes({ nudge }: RouteContext): RouteSpec[] {
  return [
    defineRoute({
      method: "get",
      path: "/v1/messages",
      access: "admin",
      tag: "Messages",
      summary: "List messages, newest first, with delivery status and attempts",
      description: "Filters combine. An unknown userId gives an empty page. Pass nextCursor back as cursor for the next page.",
      query: MessagesQuery,
      responses: { 200: { description: "A page of messages", schema: page(Message) } },
      async handle({ query }) {
        return { status: 200, body: await nudge.messages.list(query) };
      },
    }),
  ];
}
