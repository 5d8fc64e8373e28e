import { rejection } from "./support/rejection.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simpleParser, type ParsedMail } from "mailparser";
import { ChannelRejectedError, PluginLifecycleError, createNudge, silentLogger, type LinkService } from "@nudge/core";
import { aProfile, sendContext, startChannelPlugin, type StartedChannelPlugin } from "@nudge/core/testkit";
import { storageMemory } from "@nudge/storage-memory";
import { email, type EmailConfigInput } from "../src/index.js";
import type { EmailContentInput } from "../src/content.js";
import { LINKS } from "./support/email-harness.js";
import { SmtpSink } from "./support/smtp-sink.js";

describe("email over SMTP (real smtp-server)", () => {
  let sink: SmtpSink;
  let started: StartedChannelPlugin<EmailContentInput>;
  const jane = aProfile("acme", { contacts: { email: "jane@example.com" } });

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    started = await startChannelPlugin<EmailContentInput>(
      email({
        provider: { type: "smtp", host: "127.0.0.1", port: sink.port, auth: { user: sink.user, pass: sink.pass } },
        from: "에이크미 뉴스 <news@acme.test>",
        replyTo: { name: "Acme Support", address: "help@acme.test" },
        unsubscribeMailto: "unsubscribe@acme.test",
      }),
      { links: LINKS },
    );
  });
  afterAll(async () => {
    await started.close();
    await sink.stop();
  });

  async function send(content: EmailContentInput, over: Parameters<typeof sendContext>[1] = {}): Promise<{ parsed: ParsedMail; raw: string; providerMessageId: string | undefined }> {
    const r = await started.channel.send({ to: "jane@example.com", content: started.channel.contentSchema.parse(content), context: sendContext(jane, over) });
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
    expect(providerMessageId).toBe(sink.last().sesId);
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

  it("refuses the earlier name openPixel instead of ignoring it", () => {
    const old = started.channel.contentSchema.safeParse({ subject: "s", html: "<p>x</p>", openPixel: false });
    expect(old.error?.issues[0]).toMatchObject({ path: ["openPixel"], message: expect.stringContaining("trackOpens") });
  });

  it("adds only X- headers from content; a content header cannot forge List-Unsubscribe", () => {
    const bad = started.channel.contentSchema.safeParse({ subject: "s", text: "t", headers: { "List-Unsubscribe": "<https://evil.test>" } });
    expect(bad.success).toBe(false);
    const newline = started.channel.contentSchema.safeParse({ subject: "a\r\nBcc: x@evil.test", text: "t" });
    expect(newline.success).toBe(false);
    expect(started.channel.contentSchema.safeParse({ subject: "s" }).error?.issues[0]?.path).toEqual(["html"]);
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
    const started = await startChannelPlugin<EmailContentInput>(
      email({ provider: { type: "smtp", host: "127.0.0.1", port: sink.port, auth: { user: sink.user, pass: sink.pass }, pool: false }, from: "news@acme.test", ...config }),
      { links },
    );
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

  it("refuses the earlier channel option openPixel at boot, naming the new one", async () => {
    await expect(
      createNudge({ workspace: "acme", logger: silentLogger(), plugins: [storageMemory(), email({ provider: { type: "sandbox" }, from: "a@b.test", openPixel: false } as unknown as EmailConfigInput)] }),
    ).rejects.toMatchObject({ code: "NUDGE_PLUGIN_CONFIG", issues: [expect.objectContaining({ path: "openPixel", message: expect.stringContaining("trackOpens") })] });
  });
});

describe("SMTP start-up and failures", () => {
  it("fails at start with a clear error when the SMTP credentials are wrong", async () => {
    const sink = await new SmtpSink().start();
    try {
      const nudge = await createNudge({
        workspace: "acme",
        logger: silentLogger(),
        plugins: [storageMemory(), email({ provider: { type: "smtp", host: "127.0.0.1", port: sink.port, auth: { user: "mailer", pass: "wrong" } }, from: "news@acme.test" })],
      });
      const err = await rejection(nudge.start());
      expect(err).toBeInstanceOf(PluginLifecycleError);
      expect((err as PluginLifecycleError).cause).toBeInstanceOf(ChannelRejectedError);
      expect((err as Error).message).toMatch(/channel-email.*init.*authentication/i);
    } finally {
      await sink.stop();
    }
  });

  it("rejects a bad config naming the field", async () => {
    await expect(
      createNudge({ workspace: "acme", logger: silentLogger(), plugins: [storageMemory(), email({ provider: { type: "smtp", host: "mail.acme.test" }, from: "not an address" })] }),
    ).rejects.toMatchObject({ code: "NUDGE_PLUGIN_CONFIG", issues: [expect.objectContaining({ path: "from" })] });
    await expect(
      createNudge({ workspace: "acme", logger: silentLogger(), plugins: [storageMemory(), email({ provider: { type: "smtp", host: "", port: 70000 }, from: "a@b.test" })] }),
    ).rejects.toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ path: "provider.host" }), expect.objectContaining({ path: "provider.port" })]) });
  });

  it("the sandbox provider records the composed message, unsubscribe headers included", async () => {
    const started = await startChannelPlugin<EmailContentInput>(email({ provider: { type: "sandbox" }, from: "news@acme.test" }), { links: LINKS });
    const jane = aProfile("acme", { contacts: { email: "jane@example.com" } });
    const r = await started.channel.send({ to: "jane@example.com", content: started.channel.contentSchema.parse({ subject: "봄 세일", html: "<p>세일</p>" }), context: sendContext(jane, { marketing: true }) });
    expect(started.channel.provider).toBe("sandbox");
    expect(r.providerMessageId).toMatch(/^sandbox-email-/);
    const [record] = started.outbox.list({ channel: "email" });
    expect(record?.content).toMatchObject({ subject: "봄 세일", text: "세일", headers: { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } });
    await started.close();
  });
});
