import { aProfile, startChannelPlugin, type ChannelHarness } from "@nudge/core/testkit";
import { email } from "../../src/index.js";
import type { EmailContentInput } from "../../src/content.js";
import { FakeSns } from "./sns-signer.js";
import { SmtpSink } from "./smtp-sink.js";

/** Fixed link settings, so tests can verify the unsubscribe and click tokens the channel signs. */
export const LINKS = { baseUrl: "https://nudge.acme.test/nudge", secret: "test-secret-0123456789abcdef" };

/** The e-mail channel wired to a real SMTP server and a fake SNS, as the conformance kit wants it. */
export async function emailHarness(): Promise<ChannelHarness<EmailContentInput>> {
  const sink = await new SmtpSink().start();
  const sns = await new FakeSns().start();
  const started = await startChannelPlugin<EmailContentInput>(
    email({
      provider: { type: "smtp", host: "127.0.0.1", port: sink.port, auth: { user: sink.user, pass: sink.pass }, pool: { maxConnections: 1, maxMessages: 50 } },
      from: "Acme <news@acme.test>",
      webhooks: { ses: { topicArns: [sns.topicArn], trustedUrlPattern: sns.trustedUrlPattern } },
    }),
    { links: LINKS },
  );
  return {
    channel: started.channel,
    validContent: { subject: "주문이 접수되었습니다", html: "<p>감사합니다!</p>" },
    invalidContent: { content: { subject: "", html: "<p>x</p>" }, path: "subject" },
    reachable: aProfile("acme", { contacts: { email: "jane@example.com" } }),
    unreachable: aProfile("acme", { contacts: { email: "gone@example.com", invalid: { email: { reason: "hard bounce", at: 1 } } } }),
    fake: {
      accepted: () => sink.received.length,
      failNext: (kind) => sink.failNext(kind),
    },
    webhook: {
      delivered: (id) => sns.request(sns.envelope("Notification", FakeSns.ses("Delivery", id))),
      tampered: (id) => {
        const signed = sns.envelope("Notification", FakeSns.ses("Delivery", id));
        return sns.request({ ...signed, Message: JSON.stringify(FakeSns.ses("Bounce", id)) });
      },
    },
    close: async () => {
      await started.close();
      await sink.stop();
      await sns.stop();
    },
  };
}
