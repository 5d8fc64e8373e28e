import { z } from "zod";
import { ChannelRejectedError, ChannelUnavailableError, definePlugin, Tokens, type Channel } from "@nudge/core";

const Config = z.object({ url: z.url(), token: z.string().min(1) });
const Content = z.object({ text: z.string().min(1).max(4000) });

/** Posts each message as JSON to a team-chat webhook; the person's `chatHandle` trait is the address. */
export const chatWebhook = definePlugin({
  id: "channel-chat-webhook",
  kind: "channel",
  configSchema: Config,
  register(ctx, config) {
    const channel: Channel<z.infer<typeof Content>> = {
      id: "chat",
      providers: ["chat-webhook"],
      contentSchema: Content,
      address: (profile) => (typeof profile.traits["chatHandle"] === "string" ? profile.traits["chatHandle"] : null),
      async send({ to, content, context }) {
        const res = await fetch(config.url, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${config.token}`, "idempotency-key": context.idempotencyKey },
          body: JSON.stringify({ to, text: content.text }),
        });
        if (res.status >= 500 || res.status === 429) throw new ChannelUnavailableError(`chat webhook answered ${res.status}`);
        if (!res.ok) throw new ChannelRejectedError(`chat webhook refused the message (${res.status})`, { providerCode: String(res.status) });
        const body = z.object({ id: z.string() }).parse(await res.json());
        return { providerMessageId: body.id };
      },
    };
    ctx.registerInstance(Tokens.Channel, channel as Channel);
  },
});
