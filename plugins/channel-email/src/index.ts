import { definePlugin, Tokens, type Channel, type PluginContext } from "@nudge/core";
import { EmailConfig } from "./config.js";
import { EmailChannel } from "./email.channel.js";
import { EmailComposer } from "./email-composer.js";
import { SandboxTransport } from "./transports/sandbox.transport.js";
import { SmtpTransport } from "./transports/smtp.transport.js";
import { SesWebhook } from "./webhooks.js";

const channels = new WeakMap<PluginContext, EmailChannel>();

/**
 * The e-mail channel plugin: `email({ provider: { type: "smtp", ... } | { type: "sandbox" }, from, ... })`.
 * Registers channel "email" (or `id`); connects in `init`, closes the SMTP pool in `close`.
 */
export const email = definePlugin({
  id: "channel-email",
  kind: "channel",
  configSchema: EmailConfig,
  register(ctx, config) {
    const transport =
      config.provider.type === "smtp"
        ? new SmtpTransport(config.provider, ctx.logger)
        : new SandboxTransport(config.id, { ...config.provider, provider: "sandbox" }, ctx.resolve(Tokens.SandboxOutbox), ctx.clock);
    const ses = config.webhooks.ses ? new SesWebhook(config.webhooks.ses, ctx.clock, ctx.logger) : null;
    const links = ctx.resolve(Tokens.Links);
    if (config.trackOpens && !links.configured) ctx.logger.info({ channel: config.id }, "e-mail opens are not tracked: the instance has no links settings");
    const channel = new EmailChannel(config.id, transport, new EmailComposer(config, links), ses);
    channels.set(ctx, channel);
    ctx.registerInstance(Tokens.Channel, channel as Channel);
  },
  async init(ctx) {
    await channels.get(ctx)?.init();
  },
  async close(ctx) {
    await channels.get(ctx)?.close();
  },
});

export { EmailConfig, Sender, SesWebhookConfig, SmtpProviderConfig, type EmailConfigInput } from "./config.js";
export { EmailContent, UNSUBSCRIBE_PLACEHOLDER, type EmailContentInput } from "./content.js";
export { EmailChannel } from "./email.channel.js";
export { EmailComposer, toText, type ComposedEmail } from "./email-composer.js";
export { mapSmtpError } from "./errors.js";
export { SesWebhook } from "./webhooks.js";
export { SnsSignatureVerifier, snsStringToSign } from "./sns-signature.js";
export { SmtpTransport, providerMessageId } from "./transports/smtp.transport.js";
export { SandboxTransport } from "./transports/sandbox.transport.js";
export type { EmailTransport } from "./transports/email-transport.js";
