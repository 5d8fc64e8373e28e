import { z } from "zod";
import { Id, Message, MessageStatus, Tokens } from "@nudge/core";
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
  const store = nudge.resolve(Tokens.MessageStore);
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
        const { userId, ...filters } = query;
        let profileId: string | undefined;
        if (userId !== undefined) {
          const profile = await nudge.profiles.find({ userId });
          if (!profile) return { status: 200, body: { items: [], nextCursor: null } };
          profileId = profile.id;
        }
        const result = await store.list(nudge.workspace, { ...filters, ...(profileId ? { profileId } : {}) });
        return { status: 200, body: result };
      },
    }),
  ];
}
