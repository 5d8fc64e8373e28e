import { z } from "zod";
import { definePlugin } from "../plugin.js";
import { Tokens } from "../tokens.js";
import type { Channel } from "../ports/channel.js";
import type { Profile } from "../domain/profile.js";
import { SandboxConfig, SandboxProvider } from "./sandbox-provider.js";

const TextContent = z.object({ text: z.string().min(1).max(2000) });
export type TextContent = z.infer<typeof TextContent>;

const Config = SandboxConfig.extend({
  /** The channel id journeys name. */
  id: z.string().min(1).default("sandbox"),
  /** Which contact point is the address. */
  addressFrom: z.enum(["userId", "email", "phone"]).default("userId"),
}).partial({ provider: true });

function addressOf(profile: Profile, from: "userId" | "email" | "phone"): string | null {
  if (from === "userId") return profile.userId;
  return profile.contacts[from] ?? null;
}

/**
 * A minimal text channel that only ever uses the sandbox provider: the quickstart's channel and the
 * reference for the sandbox mode every real channel offers.
 */
export const sandboxChannel = definePlugin({
  id: "channel-sandbox",
  kind: "channel",
  configSchema: Config,
  register(ctx, config) {
    const provider = new SandboxProvider(config.id, { ...config, provider: "sandbox" }, ctx.resolve(Tokens.SandboxOutbox), ctx.clock);
    const channel: Channel<TextContent> = {
      id: config.id,
      provider: "sandbox",
      contentSchema: TextContent,
      address: (profile) => addressOf(profile, config.addressFrom),
      send: (message) => provider.send(message),
    };
    ctx.registerInstance(Tokens.Channel, channel as Channel);
  },
});
