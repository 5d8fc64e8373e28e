import { closedPort } from "@nudge/core/testkit";
import { createHash } from "node:crypto";
import type { EmailPayload } from "@nudge/channel-email";
import type { SendContext } from "@nudge/core";
import { aProfile, sendContext, startProviderPlugin, type ProviderHarness, type StartedProviderPlugin } from "@nudge/core/testkit";
import { smtp } from "../../src/index.js";
import { SmtpSink } from "./smtp-sink.js";

/** Fixed link settings, so tests can verify the unsubscribe and click tokens the channel signs. */
export const LINKS = { baseUrl: "https://nudge.acme.test/nudge", secret: "test-secret-0123456789abcdef" };

/** A message as the e-mail channel composes it: Korean subject, both parts, RFC 8058 headers. */
export function aPayload(to: string, context: Pick<SendContext, "idempotencyKey" | "now">): EmailPayload {
  return {
    from: { name: "에이크미", address: "news@acme.test" },
    to,
    subject: "주문이 접수되었습니다",
    html: "<p>감사합니다!</p>",
    text: "감사합니다!",
    messageId: `<${createHash("sha256").update(context.idempotencyKey).digest("hex").slice(0, 32)}@acme.test>`,
    date: new Date(context.now),
    headers: {
      "List-Unsubscribe": "<https://nudge.acme.test/nudge/u/token>, <mailto:unsubscribe@acme.test?subject=unsubscribe>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  };
}

/** The SMTP provider against a real SMTP server that answers like a Postfix relay. */
export async function smtpHarness(): Promise<ProviderHarness<EmailPayload>> {
  const sink = await new SmtpSink({ reply: "postfix" }).start();
  const started = await startProviderPlugin<EmailPayload>(
    smtp({ host: "127.0.0.1", port: sink.port, auth: { user: sink.user, pass: sink.pass }, pool: { maxConnections: 1, maxMessages: 50 } }),
  );
  const jane = aProfile("acme", { contacts: { email: "jane@example.com" } });
  let refused: StartedProviderPlugin<EmailPayload> | null = null;
  return {
    provider: started.provider,
    channel: "email",
    call: (ids) => {
      const context = sendContext(jane, { ...ids, channel: "email" });
      return { to: "jane@example.com", payload: aPayload("jane@example.com", context), messageType: "email", context };
    },
    fake: {
      accepted: () => sink.received.length,
      contractViolations: () => sink.violations,
      failNext: (kind) => sink.failNext(kind),
    },
    refused: async () => {
      refused = await startProviderPlugin<EmailPayload>(smtp({ host: "127.0.0.1", port: await closedPort(), pool: false, verifyOnStart: false }));
      return refused.provider;
    },
    // RFC 5321 has replies for a refused message, an unknown mailbox and a transient failure, but none for a rate limit.
    failures: ["permanent", "unreachable", "transient"],
    close: async () => {
      await started.close();
      await refused?.close();
      await sink.stop();
    },
  };
}

export { closedPort };
