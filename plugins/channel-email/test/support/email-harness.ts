import { aProfile, startChannelPlugin, type ChannelHarness } from "@nudge/core/testkit";
import { email } from "../../src/index.js";
import type { EmailContentInput } from "../../src/content.js";

/** Fixed link settings, so tests can verify the unsubscribe and click tokens the channel signs. */
export const LINKS = { baseUrl: "https://nudge.acme.test/nudge", secret: "test-secret-0123456789abcdef" };

/**
 * The e-mail channel on the sandbox provider, as the channel kit wants it: what the channel owns
 * (content, address, composing, handing the payload to its provider). Vendor errors, webhooks and
 * idempotency are the providers' and are pinned by their own kit (provider-smtp, provider-ses).
 */
export async function emailHarness(): Promise<ChannelHarness<EmailContentInput>> {
  const started = await startChannelPlugin<EmailContentInput>(email({ from: "Acme <news@acme.test>" }), { links: LINKS });
  return {
    channel: started.channel,
    validContent: { subject: "주문이 접수되었습니다", html: "<p>감사합니다!</p>" },
    invalidContent: { content: { subject: "", html: "<p>x</p>" }, path: "subject" },
    reachable: aProfile("acme", { contacts: { email: "jane@example.com" } }),
    unreachable: aProfile("acme", { contacts: { email: "gone@example.com", invalid: { email: { reason: "hard bounce", at: 1 } } } }),
    fake: {
      accepted: () => started.outbox.list({ to: "jane@example.com" }).length,
      failNext: () => {
        throw new Error("the sandbox fails by address (failFor), not on demand: the providers' kit classifies vendor errors");
      },
    },
    close: () => started.close(),
  };
}
