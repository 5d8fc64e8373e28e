import { z } from "zod";
import { definePlugin } from "../plugin.js";
import { Tokens } from "../tokens.js";
import type { Channel } from "../ports/channel.js";
import type { Profile } from "../domain/profile.js";

const TextContent = z.object({ text: z.string().min(1).max(2000) });
export type TextContent = z.infer<typeof TextContent>;

const Config = z.object({
  /** The channel id journeys name. */
  id: z.string().min(1).default("sandbox"),
  /** The provider kind it uses; `sandboxProvider({ channel: "text", failFor })` injects failures. */
  kind: z.string().min(1).default("text"),
  providers: z.array(z.string().min(1)).min(1).default(["sandbox"]),
  /** Which contact point is the address. */
  addressFrom: z.enum(["userId", "email", "phone"]).default("userId"),
});

function addressOf(profile: Profile, from: "userId" | "email" | "phone"): string | null {
  if (from === "userId") return profile.userId;
  return profile.contacts[from] ?? null;
}

/**
 * A minimal text channel: the quickstart's channel, and the smallest example of a channel that sends
 * through providers it picks by id.
 */
export const sandboxChannel = definePlugin({
  id: "channel-sandbox",
  kind: "channel",
  configSchema: Config,
  register(ctx, config) {
    const providers = ctx.providers(config.kind, config.providers);
    const channel: Channel<TextContent> = {
      id: config.id,
      providers: config.providers,
      contentSchema: TextContent,
      address: (profile) => addressOf(profile, config.addressFrom),
      send: (message) => providers.send({ to: message.to, payload: message.content, context: message.context }),
    };
    ctx.registerInstance(Tokens.Channel, channel as Channel);
  },
});
