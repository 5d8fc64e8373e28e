import { definePlugin, Tokens, type Channel, type PluginContext } from "@nudge/core";
import { EmailConfig } from "./config.js";
import { EmailChannel } from "./email.channel.js";
import { EmailComposer } from "./email-composer.js";
import type { EmailProvider } from "./email-provider.js";

const channels = new WeakMap<PluginContext, EmailChannel>();

/**
 * The e-mail channel plugin: `email({ from, providers: ["smtp"] })` with the provider plugins it names
 * (`smtp(...)`, `ses(...)`); "sandbox", the default, needs none. Registers channel "email" (or `id`).
 */
export const email = definePlugin({
  id: "channel-email",
  kind: "channel",
  configSchema: EmailConfig,
  register(ctx, config) {
    const providers = ctx.providers<EmailProvider>("email", config.providers);
    const links = ctx.resolve(Tokens.Links);
    if (config.trackOpens && !links.configured) ctx.logger.info({ channel: config.id }, "e-mail opens are not tracked: the instance has no links settings");
    const channel = new EmailChannel(config.id, providers, new EmailComposer(config, links));
    channels.set(ctx, channel);
    ctx.registerInstance(Tokens.Channel, channel as Channel);
  },
  async init(ctx) {
    channels.get(ctx)?.init();
  },
});

export { EmailConfig, Sender, senderAddress, type EmailConfigInput, type Mailbox } from "./config.js";
export { EmailContent, UNSUBSCRIBE_PLACEHOLDER, type EmailContentInput } from "./content.js";
export type { EmailPayload, EmailProvider } from "./email-provider.js";
