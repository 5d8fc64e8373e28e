import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";
import { ChannelRejectedError, createNudge, FakeClock, silentLogger, type Provider } from "@nudge/core";
import { aProfile, sendContext, startProviderPlugin, type StartedProviderPlugin } from "@nudge/core/testkit";
import type { EmailPayload } from "@nudge/channel-email";
import { SesConfig, ses, type SesConfigInput } from "../src/index.js";
import { SesProvider } from "../src/ses.provider.js";
import { aPayload, sesConfig } from "./support/harness.js";
import { FakeSes } from "./support/fake-ses.js";
import { FakeSns } from "./support/sns-signer.js";
import { rejection } from "./support/rejection.js";

const jane = aProfile("acme", { contacts: { email: "jane@example.com" } });
const call = (over: Partial<EmailPayload> = {}) => {
  const context = sendContext(jane, { channel: "email" });
  return { to: "jane@example.com", payload: { ...aPayload("jane@example.com", context), ...over }, messageType: "email", context };
};

describe("Amazon SES through its SMTP interface (fake SES over STARTTLS)", () => {
  let fake: FakeSes;
  let started: StartedProviderPlugin<EmailPayload>;

  beforeAll(async () => {
    fake = await new FakeSes().start();
    started = await startProviderPlugin<EmailPayload>(ses(sesConfig(fake, undefined, { configurationSet: "nudge-events" })));
  });
  afterAll(async () => {
    await started.close();
    await fake.stop();
  });

  it("sends over TLS with the SMTP credentials; the provider message id is SES's", async () => {
    const r = await started.provider.send(call());
    expect(fake.violations).toEqual([]);
    expect(r).toMatchObject({ providerMessageId: fake.last().sesId, status: "sent", messageType: "email" });
    expect(fake.last()).toMatchObject({ from: "news@acme.test", to: ["jane@example.com"] });
  });

  it("names the configuration set in X-SES-CONFIGURATION-SET and keeps List-Unsubscribe as composed", async () => {
    await started.provider.send(call());
    expect(fake.last().configurationSet).toBe("nudge-events");
    // The Korean subject is RFC 2047-encoded: only 7-bit data on the wire.
    expect(fake.last().raw.toString("latin1")).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/m);
    expect(fake.last().raw.toString("latin1")).toMatch(/^List-Unsubscribe:\s+<https:\/\/nudge\.acme\.test\/nudge\/u\/token>,\s+<mailto:unsubscribe@acme\.test\?subject=unsubscribe>\r$/m);
    expect(fake.last().raw.toString("latin1")).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
  });

  it("an unverified sender identity is rejected for good", async () => {
    const err = await rejection<ChannelRejectedError>(started.provider.send(call({ from: "news@unverified.test" })));
    expect(err).toBeInstanceOf(ChannelRejectedError);
    expect(err.providerCode).toBe("554");
    expect(err.message).toContain("not verified");
    expect(err.message).not.toContain("news@unverified.test");
  });

  it("declares itself the email channel's provider \"ses\", without an idempotency key, and takes no webhooks without sns", () => {
    expect(started.provider).toMatchObject({ id: "ses", channel: "email", idempotency: "none" });
    expect(started.provider.parseWebhook).toBeUndefined();
    expect(started.provider.poll).toBeUndefined();
  });
});

describe("SES start-up", () => {
  it("connects to the region's SMTP endpoint unless a host is given", () => {
    const config = SesConfig.parse({ region: "eu-west-1", auth: { user: "u", pass: "p" } });
    expect(config.port).toBe(587);
    expect(new SesProvider(config, new FakeClock(), silentLogger()).host).toBe("email-smtp.eu-west-1.amazonaws.com");
    expect(new SesProvider({ ...config, host: "vpce-0123.email-smtp.eu-west-1.vpce.amazonaws.com" }, new FakeClock(), silentLogger()).host).toMatch(/^vpce-/);
  });

  it("rejects a bad config naming the field", async () => {
    const boot = createNudge({ workspace: "acme", logger: silentLogger(), plugins: [ses({ region: "Seoul", auth: { user: "u" }, sns: { topicArns: ["not-an-arn"] } } as unknown as SesConfigInput)] });
    await expect(boot).rejects.toMatchObject({
      code: "NUDGE_PLUGIN_CONFIG",
      issues: expect.arrayContaining([expect.objectContaining({ path: "region" }), expect.objectContaining({ path: "auth.pass" }), expect.objectContaining({ path: "sns.topicArns[0]" })]),
    });
  });

  it("fails at start when SES refuses the SMTP credentials", async () => {
    const fake = await new FakeSes().start();
    try {
      const err = await rejection(startProviderPlugin(ses(sesConfig(fake, undefined, { auth: { user: fake.user, pass: "an-IAM-secret-key" } }))));
      expect(err).toBeInstanceOf(ChannelRejectedError);
      expect((err as Error).message).toMatch(/SMTP credentials/);
    } finally {
      await fake.stop();
    }
  });

  it("refuses to talk to a server that offers no TLS", async () => {
    const seen: string[] = [];
    const plain = new SMTPServer({
      logger: false,
      disabledCommands: ["STARTTLS"],
      allowInsecureAuth: true,
      onAuth: (_auth, _session, cb) => {
        seen.push("AUTH");
        cb(null, { user: "u" });
      },
      onData: (s, _x, cb) => s.resume().on("end", () => cb()),
    });
    await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
    const port = (plain.server.address() as AddressInfo).port;
    try {
      const err = await rejection(startProviderPlugin(ses({ region: "ap-northeast-2", auth: { user: "u", pass: "p" }, host: "127.0.0.1", port })));
      // nodemailer insists on STARTTLS (requireTLS) and stops when the server does not take it: the credentials never go out in clear.
      expect((err as { cause?: { command?: string } }).cause?.command).toBe("STARTTLS");
      expect(seen).toEqual([]);
    } finally {
      await new Promise<void>((resolve) => plain.close(() => resolve()));
    }
  });
});

describe("SNS subscription confirmation", () => {
  it("waits for the console when autoConfirm is off: answered 200, nothing fetched", async () => {
    const fake = await new FakeSes().start();
    const sns = await new FakeSns().start();
    const started = await startProviderPlugin<EmailPayload>(ses(sesConfig(fake, sns, { verifyOnStart: false })));
    try {
      const provider: Provider<EmailPayload> = started.provider;
      const r = await provider.parseWebhook!(sns.request(sns.envelope("SubscriptionConfirmation", "You have chosen to subscribe to the topic")));
      expect(r).toEqual({ reports: [], response: { status: 200 } });
      expect(sns.confirmations).toEqual([]);
    } finally {
      await started.close();
      await fake.stop();
      await sns.stop();
    }
  });
});
