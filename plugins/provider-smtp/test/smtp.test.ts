import { rejection } from "./support/rejection.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simpleParser, type ParsedMail } from "mailparser";
import { ChannelRejectedError, createNudge, RateLimitedError, silentLogger, type ChannelUnavailableError, type LinkService } from "@nudge/core";
import { aProfile, sendContext, startChannelPlugin, startProviderPlugin, type StartedChannelPlugin } from "@nudge/core/testkit";
import { email, type EmailConfigInput, type EmailContentInput, type EmailPayload } from "@nudge/channel-email";
import { smtp, type SmtpConfigInput } from "../src/index.js";
import { aPayload, closedPort, LINKS } from "./support/harness.js";
import { SmtpSink } from "./support/smtp-sink.js";

/** The e-mail channel sending through this provider, as a host wires them. */
function emailOverSmtp(sink: SmtpSink, config: Partial<EmailConfigInput>, smtpConfig: Partial<SmtpConfigInput>, links: typeof LINKS | null) {
  return startChannelPlugin<EmailContentInput>(email({ providers: ["smtp"], from: "news@acme.test", ...config }), {
    links,
    providers: [smtp({ host: "127.0.0.1", port: sink.port, auth: { user: sink.user, pass: sink.pass }, ...smtpConfig })],
  });
}

describe("email over SMTP (real smtp-server)", () => {
  let sink: SmtpSink;
  let started: StartedChannelPlugin<EmailContentInput>;
  const jane = aProfile("acme", { contacts: { email: "jane@example.com" } });

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    started = await emailOverSmtp(
      sink,
      { from: "에이크미 뉴스 <news@acme.test>", replyTo: { name: "Acme Support", address: "help@acme.test" }, unsubscribeMailto: "unsubscribe@acme.test" },
      {},
      LINKS,
    );
  });
  afterAll(async () => {
    await started.close();
    await sink.stop();
  });

  async function send(content: EmailContentInput, over: Parameters<typeof sendContext>[1] = {}): Promise<{ parsed: ParsedMail; raw: string; providerMessageId: string | undefined }> {
    const r = await started.channel.send({ to: "jane@example.com", content: started.channel.contentSchema.parse(content), context: sendContext(jane, { channel: "email", ...over }) });
    expect(sink.violations).toEqual([]);
    const mail = sink.last();
    return { parsed: await simpleParser(mail.raw), raw: mail.raw.toString("latin1"), providerMessageId: r.providerMessageId };
  }

  it("sends marketing mail in Korean with RFC 8058 one-click unsubscribe headers, both parts, tracked links", async () => {
    const { parsed, raw, providerMessageId } = await send(
      {
        subject: "(광고) 봄맞이 할인 안내",
        html: '<html><body><h1>안녕하세요, 민지님!</h1><p>봄맞이 <a href="https://shop.acme.test/sale?utm=mail&amp;x=1">할인</a>을 확인하세요.</p><p><a href="%%unsubscribe_url%%">수신거부</a></p></body></html>',
        trackClicks: true,
      },
      { marketing: true, messageId: "msg-kr-1", idempotencyKey: "enr-1:step-1:1:email" },
    );

    // Subject: encoded on the wire (RFC 2047), Korean once decoded.
    expect(raw).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/im);
    expect(parsed.subject).toBe("(광고) 봄맞이 할인 안내");
    expect(parsed.from?.value[0]).toEqual({ name: "에이크미 뉴스", address: "news@acme.test" });
    expect(parsed.replyTo?.value[0]).toEqual({ name: "Acme Support", address: "help@acme.test" });
    expect(sink.last().to).toEqual(["jane@example.com"]);

    // Both parts, UTF-8, transfer-encoded (never raw 8-bit on the wire).
    expect(raw).toMatch(/Content-Type: multipart\/alternative/i);
    expect(raw).toMatch(/Content-Type: text\/plain; charset=utf-8/i);
    expect(raw).toMatch(/Content-Type: text\/html; charset=utf-8/i);
    expect(raw).not.toMatch(/[\u0080-\uffff]/);
    expect(parsed.html).toContain("안녕하세요, 민지님!");
    expect(parsed.text).toContain("안녕하세요, 민지님!");
    expect(parsed.text).toContain("봄맞이");

    // List-Unsubscribe: the https one-click link (verifies with the same LinkService) and the mailto.
    // mailparser groups List-* headers under "list"; the wire lines are checked too.
    const list = parsed.headers.get("list") as { unsubscribe?: { url?: string; mail?: string }; "unsubscribe-post"?: { name?: string } };
    const https = list.unsubscribe?.url;
    expect(https).toMatch(/^https:\/\/nudge\.acme\.test\/nudge\/u\//);
    expect(list.unsubscribe?.mail).toBe("unsubscribe@acme.test?subject=unsubscribe");
    expect(list["unsubscribe-post"]?.name).toBe("List-Unsubscribe=One-Click");
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
    expect(raw).toMatch(/^List-Unsubscribe:\s+<https:\/\/nudge\.acme\.test\/nudge\/u\/[^>\s]+>,\s+<mailto:unsubscribe@acme\.test\?subject=unsubscribe>/m);
    const token = https!.split("/u/")[1]!;
    expect(started.links.verify(token)).toEqual({ k: "u", ws: "acme", p: jane.id, c: "email", m: "msg-kr-1" });

    // The in-body unsubscribe link is the same URL; the shop link goes through /l/ and back to its target.
    expect(parsed.html).toContain(`href="${https}"`);
    const click = /href="(https:\/\/nudge\.acme\.test\/nudge\/l\/[^"]+)"/.exec(parsed.html as string)?.[1];
    expect(verifyClick(started.links, click!)).toEqual({ m: "msg-kr-1", p: jane.id, u: "https://shop.acme.test/sale?utm=mail&x=1" });
    expect(parsed.text).toContain("/nudge/l/");

    // The provider message id is SES's, taken from the "250 Ok <id>" reply.
    expect(providerMessageId).toBe(sink.last().replyId);
  });

  it("keeps the Message-ID stable across retries of one logical message", async () => {
    const a = await send({ subject: "retry", text: "one" }, { idempotencyKey: "k-stable", attempt: 1 });
    const b = await send({ subject: "retry", text: "one" }, { idempotencyKey: "k-stable", attempt: 2 });
    const c = await send({ subject: "retry", text: "one" }, { idempotencyKey: "k-other" });
    expect(a.parsed.messageId).toMatch(/^<[0-9a-f]{32}@acme\.test>$/);
    expect(b.parsed.messageId).toBe(a.parsed.messageId);
    expect(c.parsed.messageId).not.toBe(a.parsed.messageId);
  });

  it("sends transactional mail without List-Unsubscribe, and keeps a given text part", async () => {
    const { parsed } = await send({ subject: "비밀번호 재설정", html: "<p>링크를 누르세요</p>", text: "직접 쓴 텍스트 본문" });
    expect(parsed.headers.has("list-unsubscribe")).toBe(false);
    expect(parsed.headers.has("list-unsubscribe-post")).toBe(false);
    expect(parsed.text?.trim()).toBe("직접 쓴 텍스트 본문");
  });

  it("adds the signed open pixel just before </body> of the HTML sent over SMTP, never to the text part", async () => {
    const { parsed, raw } = await send({ subject: "pixel", html: "<html><body><p>hi</p></body></html>" }, { messageId: "msg-px" });
    const src = pixelOf(parsed.html);
    expect(started.links.verify(src!.split("/o/")[1]!, "o")).toEqual({ k: "o", ws: "acme", m: "msg-px", p: jane.id });
    expect(parsed.html).toMatch(/<p>hi<\/p><img src="[^"]+" width="1" height="1" alt="" [^>]*\/><\/body><\/html>$/);
    expect(parsed.text).toBe("hi");
    const textPart = raw.split(/Content-Type: text\/plain/i)[1]!.split(/Content-Type: text\/html/i)[0]!;
    expect(textPart).not.toMatch(/\/o\//);

    const fragment = await send({ subject: "fragment", html: "<p>hi</p>" }, { messageId: "msg-frag" });
    expect(fragment.parsed.html).toMatch(/^<p>hi<\/p><img src="https:\/\/nudge\.acme\.test\/nudge\/o\/[^"]+"[^>]*\/>$/);
    expect(started.links.verify(pixelOf(fragment.parsed.html)!.split("/o/")[1]!, "o")).toMatchObject({ m: "msg-frag" });

    const textOnly = await send({ subject: "text only", text: "no html here" });
    expect(textOnly.parsed.html).toBe(false);
    expect(textOnly.raw).not.toContain("/nudge/o/");
  });

  it("leaves the pixel out when the content says trackOpens: false", async () => {
    const { parsed, raw } = await send({ subject: "no pixel", html: "<html><body><p>hi</p></body></html>", trackOpens: false });
    expect(parsed.html).toBe("<html><body><p>hi</p></body></html>");
    expect(raw).not.toContain("/nudge/o/");
  });
});

function pixelOf(html: string | false | undefined): string | undefined {
  return /<img src="(https:\/\/nudge\.acme\.test\/nudge\/o\/[^"]+)" width="1" height="1"/.exec(html || "")?.[1];
}

function verifyClick(links: LinkService, url: string): { m: string; p: string; u: string } | null {
  const v = links.verify(url.split("/l/")[1]!);
  return v && v.k === "l" ? { m: v.m, p: v.p, u: v.u } : null;
}

describe("open tracking switched off for the whole channel", () => {
  const jane = aProfile("acme", { contacts: { email: "jane@example.com" } });
  const html = "<html><body><p>hi</p></body></html>";

  async function sendWith(config: Partial<EmailConfigInput>, links: typeof LINKS | null, content: EmailContentInput): Promise<ParsedMail> {
    const sink = await new SmtpSink().start();
    const started = await emailOverSmtp(sink, config, { pool: false }, links);
    try {
      await started.channel.send({ to: "jane@example.com", content: started.channel.contentSchema.parse(content), context: sendContext(jane) });
      return await simpleParser(sink.last().raw);
    } finally {
      await started.close();
      await sink.stop();
    }
  }

  it("trackOpens: false on the channel wins over a message's trackOpens: true", async () => {
    const parsed = await sendWith({ trackOpens: false }, LINKS, { subject: "s", html, trackOpens: true });
    expect(parsed.html).toBe(html);
  });

  it("no pixel when the instance has no links settings; with them, the same mail gets one", async () => {
    expect((await sendWith({}, null, { subject: "s", html })).html).toBe(html);
    expect((await sendWith({}, LINKS, { subject: "s", html })).html).toContain("https://nudge.acme.test/nudge/o/");
  });
});

describe("SMTP start-up and failures", () => {
  it("fails at start with a clear error when the SMTP credentials are wrong", async () => {
    const sink = await new SmtpSink().start();
    try {
      const err = await rejection(startProviderPlugin(smtp({ host: "127.0.0.1", port: sink.port, auth: { user: "mailer", pass: "wrong" } })));
      expect(err).toBeInstanceOf(ChannelRejectedError);
      expect((err as Error).message).toMatch(/authentication failed/i);
    } finally {
      await sink.stop();
    }
  });

  it("rejects a bad config naming the field", async () => {
    const boot = (config: SmtpConfigInput) => createNudge({ workspace: "acme", logger: silentLogger(), plugins: [smtp(config)] });
    await expect(boot({ host: "", port: 70000 })).rejects.toMatchObject({
      code: "NUDGE_PLUGIN_CONFIG",
      issues: expect.arrayContaining([expect.objectContaining({ path: "host" }), expect.objectContaining({ path: "port" })]),
    });
    await expect(boot({ host: "mail.acme.test", pool: { maxConnections: 0 } })).rejects.toMatchObject({ issues: [expect.objectContaining({ path: "pool.maxConnections" })] });
  });

  it("declares itself the email channel's provider \"smtp\", without an idempotency key", async () => {
    const started = await startProviderPlugin<EmailPayload>(smtp({ host: "127.0.0.1", port: await closedPort(), verifyOnStart: false }));
    expect(started.provider).toMatchObject({ id: "smtp", channel: "email", idempotency: "none" });
    expect(started.provider.parseWebhook).toBeUndefined();
    expect(started.provider.poll).toBeUndefined();
    await started.close();
  });

  it("maps a throttling reply to a rate limit that allows the next provider", async () => {
    const sink = await new SmtpSink().start();
    const started = await startProviderPlugin<EmailPayload>(smtp({ host: "127.0.0.1", port: sink.port, auth: { user: sink.user, pass: sink.pass }, pool: false }));
    try {
      const jane = aProfile("acme", { contacts: { email: "jane@example.com" } });
      const context = sendContext(jane, { channel: "email" });
      sink.failNext("rate_limited");
      const err = await rejection<RateLimitedError>(started.provider.send({ to: "jane@example.com", payload: aPayload("jane@example.com", context), context }));
      expect(err).toBeInstanceOf(RateLimitedError);
      expect(err).toMatchObject({ providerCode: "454", notSent: true });
      sink.failNext("transient");
      const transient = await rejection<ChannelUnavailableError>(started.provider.send({ to: "jane@example.com", payload: aPayload("jane@example.com", context), context }));
      expect(transient).toMatchObject({ providerCode: "451", notSent: false });
    } finally {
      await started.close();
      await sink.stop();
    }
  });

  it("refuses to send before init, as not sent", async () => {
    const started = await startProviderPlugin<EmailPayload>(smtp({ host: "127.0.0.1", port: await closedPort(), verifyOnStart: false }));
    await started.close();
    const context = sendContext(aProfile("acme"), { channel: "email" });
    const err = await rejection<ChannelUnavailableError>(started.provider.send({ to: "jane@example.com", payload: aPayload("jane@example.com", context), context }));
    expect(err).toMatchObject({ notSent: true, message: expect.stringContaining("not started") });
  });

  it("a refused connection lets the channel's next provider take the message", async () => {
    const started = await startChannelPlugin<EmailContentInput>(email({ providers: ["smtp", "sandbox"], from: "news@acme.test" }), {
      links: LINKS,
      providers: [smtp({ host: "127.0.0.1", port: await closedPort(), verifyOnStart: false, pool: false })],
    });
    try {
      const jane = aProfile("acme", { contacts: { email: "jane@example.com" } });
      const r = await started.channel.send({ to: "jane@example.com", content: started.channel.contentSchema.parse({ subject: "s", text: "t" }), context: sendContext(jane, { channel: "email" }) });
      expect(r.provider).toBe("sandbox");
      expect(started.outbox.list({ channel: "email" })).toHaveLength(1);
    } finally {
      await started.close();
    }
  });
});
