import { z } from "zod";
import { definePlugin } from "../../plugin.js";
import type { Channel } from "../../ports/channel.js";
import type { Policy } from "../../ports/policy.js";
import { Tokens } from "../../tokens.js";

/**
 * The live channels in sandbox mode under the same ids: their content schemas, addresses and `prepare`
 * (message type and price) are the real ones; `send` only records in the throwaway outbox. The live
 * policies are registered as they are: they are rules over the message, and the limits they declare
 * are counted by the throwaway store.
 */
export const simulatedProviders = definePlugin({
  id: "simulation",
  kind: "channel",
  configSchema: z.object({ channels: z.array(z.custom<Channel>()), policies: z.array(z.custom<Policy>()) }),
  register(ctx, config) {
    const outbox = ctx.resolve(Tokens.SandboxOutbox);
    let seq = 0;
    for (const live of config.channels) {
      const channel: Channel = {
        id: live.id,
        providers: ["sandbox"],
        contentSchema: live.contentSchema,
        address: (profile) => live.address(profile),
        ...(live.prepare ? { prepare: (content, context) => live.prepare!(content, context) } : {}),
        async send(message) {
          const providerMessageId = `simulated-${live.id}-${++seq}`;
          const { context } = message;
          outbox.add({ channel: live.id, to: message.to, content: message.content, messageId: context.messageId, idempotencyKey: context.idempotencyKey, attempt: context.attempt, at: context.now, providerMessageId });
          return { providerMessageId, status: "sent" };
        },
      };
      ctx.registerInstance(Tokens.Channel, channel);
    }
    for (const policy of config.policies) ctx.registerInstance(Tokens.Policy, policy);
  },
});
