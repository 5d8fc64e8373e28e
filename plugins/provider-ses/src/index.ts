import { defineProvider } from "@nudge/core";
import { SesConfig } from "./config.js";
import { SesProvider } from "./ses.provider.js";

/**
 * The Amazon SES provider of the e-mail channel: `ses({ region, auth, sns? })`, named "ses" in
 * `email({ providers: ["ses"] })`. Sends through SES's SMTP interface (connected and checked in `init`,
 * closed in `close`) and, with `sns`, reads bounce, complaint and delivery notifications from
 * `/v1/webhooks/<channel>/ses`.
 */
export const ses = defineProvider({
  id: "ses",
  channel: "email",
  configSchema: SesConfig,
  create: (ctx, config) => new SesProvider(config, ctx.clock, ctx.logger),
});

export { SesConfig, SnsConfig, type SesConfigInput } from "./config.js";
