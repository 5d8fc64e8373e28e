import { closedPort } from "@nudge/core/testkit";
import { createHash } from "node:crypto";
import type { EmailPayload } from "@nudge/channel-email";
import type { SendContext } from "@nudge/core";
import { aProfile, sendContext, startProviderPlugin, type ProviderHarness, type StartedProviderPlugin } from "@nudge/core/testkit";
import { ses, type SesConfigInput } from "../../src/index.js";
import { FakeSes } from "./fake-ses.js";
import { FakeSns } from "./sns-signer.js";

/** The provider's config pointed at the fake SES (and, when given, the fake SNS). */
export function sesConfig(fake: FakeSes, sns?: FakeSns, over: Partial<SesConfigInput> = {}): SesConfigInput {
  return {
    region: "ap-northeast-2",
    auth: { user: fake.user, pass: fake.pass },
    host: "127.0.0.1",
    port: fake.port,
    ca: fake.ca,
    ...(sns ? { sns: { topicArns: [sns.topicArn], trustedUrlPattern: sns.trustedUrlPattern } } : {}),
    ...over,
  };
}

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

/** The SES provider against a fake SES SMTP interface (STARTTLS, SES replies) and a fake SNS for its feedback. */
export async function sesHarness(): Promise<ProviderHarness<EmailPayload>> {
  const fake = await new FakeSes().start();
  const sns = await new FakeSns().start();
  const started = await startProviderPlugin<EmailPayload>(ses(sesConfig(fake, sns, { pool: { maxConnections: 1, maxMessages: 50 } })));
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
      accepted: () => fake.received.length,
      contractViolations: () => fake.violations,
      failNext: (kind) => fake.failNext(kind),
    },
    refused: async () => {
      refused = await startProviderPlugin<EmailPayload>(ses(sesConfig(fake, sns, { port: await closedPort(), pool: false, verifyOnStart: false })));
      return refused.provider;
    },
    webhook: {
      delivered: (id) => sns.request(sns.envelope("Notification", FakeSns.ses("Delivery", id))),
      tampered: (id) => {
        const signed = sns.envelope("Notification", FakeSns.ses("Delivery", id));
        return sns.request({ ...signed, Message: JSON.stringify(FakeSns.ses("Bounce", id)) });
      },
    },
    // SES refuses no recipient at send time: unknown mailboxes come back later as bounces through SNS.
    failures: ["permanent", "transient", "rate_limited"],
    close: async () => {
      await started.close();
      await refused?.close();
      await fake.stop();
      await sns.stop();
    },
  };
}

export { closedPort };
