import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  createNudge,
  definePlugin,
  NotFoundError,
  RecipientUnreachableError,
  sandboxProvider,
  silentLogger,
  Tokens,
  type LinkService,
  type Provider,
} from "@nudge/core";
import { aProfile, sendContext, startChannelPlugin, type StartedChannelPlugin } from "@nudge/core/testkit";
import { storageMemory } from "@nudge/storage-memory";
import { email, type EmailConfigInput, type EmailContentInput, type EmailPayload } from "../src/index.js";
import { LINKS } from "./support/email-harness.js";
import { rejection } from "./support/rejection.js";

const jane = aProfile("acme", { contacts: { email: "jane@example.com" } });

describe("composing e-mail (the sandbox provider records the payload)", () => {
  let started: StartedChannelPlugin<EmailContentInput>;

  beforeAll(async () => {
    started = await startChannelPlugin<EmailContentInput>(
      email({ from: "에이크미 뉴스 <news@acme.test>", replyTo: { name: "Acme Support", address: "help@acme.test" }, unsubscribeMailto: "unsubscribe@acme.test" }),
      { links: LINKS },
    );
  });
  afterAll(() => started.close());

  async function send(content: EmailContentInput, over: Parameters<typeof sendContext>[1] = {}) {
    const result = await started.channel.send({ to: "jane@example.com", content: started.channel.contentSchema.parse(content), context: sendContext(jane, { channel: "email", ...over }) });
    return { result, payload: started.outbox.list({ channel: "email" }).at(-1)!.content as EmailPayload };
  }

  it("marketing mail carries RFC 8058 one-click unsubscribe headers, the same signed URL in the body, and tracked links", async () => {
    const { payload } = await send(
      {
        subject: "(광고) 봄맞이 할인 안내",
        html: '<html><body><h1>안녕하세요, 민지님!</h1><p>봄맞이 <a href="https://shop.acme.test/sale?utm=mail&amp;x=1">할인</a>을 확인하세요.</p><p><a href="%%unsubscribe_url%%">수신거부</a></p></body></html>',
        trackClicks: true,
      },
      { marketing: true, messageId: "msg-kr-1", idempotencyKey: "enr-1:step-1:1:email" },
    );
    expect(payload).toMatchObject({
      from: "에이크미 뉴스 <news@acme.test>",
      replyTo: { name: "Acme Support", address: "help@acme.test" },
      to: "jane@example.com",
      subject: "(광고) 봄맞이 할인 안내",
    });
    const list = /^<(https:\/\/nudge\.acme\.test\/nudge\/u\/[^>\s]+)>, <mailto:unsubscribe@acme\.test\?subject=unsubscribe>$/.exec(payload.headers["List-Unsubscribe"]!);
    expect(list).not.toBeNull();
    const https = list![1]!;
    expect(payload.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    expect(started.links.verify(https.split("/u/")[1]!)).toEqual({ k: "u", ws: "acme", p: jane.id, c: "email", m: "msg-kr-1" });

    // The in-body unsubscribe link is the same URL (never rewritten); the shop link goes through /l/ and back to its target.
    expect(payload.html).toContain(`href="${https}"`);
    const click = /href="(https:\/\/nudge\.acme\.test\/nudge\/l\/[^"]+)"/.exec(payload.html!)?.[1];
    expect(verifyClick(started.links, click!)).toEqual({ m: "msg-kr-1", p: jane.id, u: "https://shop.acme.test/sale?utm=mail&x=1" });
    expect(payload.text).toContain("안녕하세요, 민지님!");
    expect(payload.text).toContain("/nudge/l/");
  });

  it("leaves mailto:, anchors and data-nudge-notrack links alone", async () => {
    const { payload } = await send({
      subject: "links",
      html: '<a href="mailto:help@acme.test">mail</a><a href="#top">top</a><a data-nudge-notrack href="https://acme.test/raw">raw</a><a href="https://acme.test/t">t</a>',
      trackClicks: true,
    });
    expect(payload.html).toContain('href="mailto:help@acme.test"');
    expect(payload.html).toContain('href="#top"');
    expect(payload.html).toContain('href="https://acme.test/raw"');
    expect(payload.html).not.toContain('href="https://acme.test/t"');
  });

  it("keeps the Message-ID stable across retries of one logical message", async () => {
    const a = await send({ subject: "retry", text: "one" }, { idempotencyKey: "k-stable", attempt: 1 });
    const b = await send({ subject: "retry", text: "one" }, { idempotencyKey: "k-stable", attempt: 2 });
    const c = await send({ subject: "retry", text: "one" }, { idempotencyKey: "k-other" });
    expect(a.payload.messageId).toMatch(/^<[0-9a-f]{32}@acme\.test>$/);
    expect(b.payload.messageId).toBe(a.payload.messageId);
    expect(c.payload.messageId).not.toBe(a.payload.messageId);
    // Kept on the attempt, whichever provider took the message.
    expect(a.result.details).toMatchObject({ messageId: a.payload.messageId });
  });

  it("transactional mail has no List-Unsubscribe; a given text part is kept, otherwise derived from the HTML", async () => {
    const given = await send({ subject: "비밀번호 재설정", html: "<p>링크를 누르세요</p>", text: "직접 쓴 텍스트 본문" });
    expect(given.payload.headers).toEqual({});
    expect(given.payload.text).toBe("직접 쓴 텍스트 본문");
    const derived = await send({ subject: "s", html: '<p>Hi <img src="https://x.test/a.png"> <a href="https://acme.test">https://acme.test</a> <a href="https://acme.test/b">more</a></p>', trackOpens: false });
    expect(derived.payload.text).toBe("Hi https://acme.test more [https://acme.test/b]");
  });

  it("adds the signed open pixel just before </body>, at the end of a fragment, never to the text part", async () => {
    const { payload } = await send({ subject: "pixel", html: "<html><body><p>hi</p></body></html>" }, { messageId: "msg-px" });
    const src = pixelOf(payload.html);
    expect(started.links.verify(src!.split("/o/")[1]!, "o")).toEqual({ k: "o", ws: "acme", m: "msg-px", p: jane.id });
    expect(payload.html).toMatch(/<p>hi<\/p><img src="[^"]+" width="1" height="1" alt="" [^>]*\/><\/body><\/html>$/);
    expect(payload.text).toBe("hi");

    const fragment = await send({ subject: "fragment", html: "<p>hi</p>" }, { messageId: "msg-frag" });
    expect(fragment.payload.html).toMatch(/^<p>hi<\/p><img src="https:\/\/nudge\.acme\.test\/nudge\/o\/[^"]+"[^>]*\/>$/);

    const textOnly = await send({ subject: "text only", text: "no html here" });
    expect(textOnly.payload.html).toBeUndefined();
    expect(JSON.stringify(textOnly.payload)).not.toContain("/nudge/o/");
  });

  it("leaves the pixel out when the content says trackOpens: false", async () => {
    const { payload } = await send({ subject: "no pixel", html: "<html><body><p>hi</p></body></html>", trackOpens: false });
    expect(payload.html).toBe("<html><body><p>hi</p></body></html>");
  });

  it("carries the content's X- headers; refuses any other header, a two-line subject, and content without a body", async () => {
    const { payload } = await send({ subject: "s", text: "t", headers: { "X-Campaign": "spring" } });
    expect(payload.headers).toEqual({ "X-Campaign": "spring" });
    const schema = started.channel.contentSchema;
    expect(schema.safeParse({ subject: "s", text: "t", headers: { "List-Unsubscribe": "<https://evil.test>" } }).success).toBe(false);
    expect(schema.safeParse({ subject: "a\r\nBcc: x@evil.test", text: "t" }).success).toBe(false);
    expect(schema.safeParse({ subject: "s" }).error?.issues[0]?.path).toEqual(["html"]);
    const old = schema.safeParse({ subject: "s", html: "<p>x</p>", openPixel: false });
    expect(old.error?.issues[0]).toMatchObject({ path: ["openPixel"], message: expect.stringContaining("trackOpens") });
  });

  it("sends through the sandbox by default: the result names it, the outbox keeps the composed message", async () => {
    const { result } = await send({ subject: "봄 세일", html: "<p>세일</p>" }, { marketing: true });
    expect(started.channel.providers).toEqual(["sandbox"]);
    expect(result).toMatchObject({ provider: "sandbox", status: "sent", messageType: "email", providerMessageId: expect.stringMatching(/^sandbox-email-/) });
    const record = started.outbox.list({ channel: "email" }).at(-1)!;
    expect(record).toMatchObject({ to: "jane@example.com", messageType: "email" });
    expect(record.content).toMatchObject({ subject: "봄 세일", text: "세일", headers: { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } });
  });
});

describe("open tracking switched off for the whole channel", () => {
  const html = "<html><body><p>hi</p></body></html>";

  async function composed(config: Partial<EmailConfigInput>, links: typeof LINKS | null, content: EmailContentInput): Promise<EmailPayload> {
    const started = await startChannelPlugin<EmailContentInput>(email({ from: "news@acme.test", ...config }), { links });
    try {
      await started.channel.send({ to: "jane@example.com", content: started.channel.contentSchema.parse(content), context: sendContext(jane, { channel: "email" }) });
      return started.outbox.list().at(-1)!.content as EmailPayload;
    } finally {
      await started.close();
    }
  }

  it("trackOpens: false on the channel wins over a message's trackOpens: true", async () => {
    expect((await composed({ trackOpens: false }, LINKS, { subject: "s", html, trackOpens: true })).html).toBe(html);
  });

  it("no pixel when the instance has no links settings; with them, the same mail gets one", async () => {
    expect((await composed({}, null, { subject: "s", html })).html).toBe(html);
    expect((await composed({}, LINKS, { subject: "s", html })).html).toContain("https://nudge.acme.test/nudge/o/");
  });

  it("the Message-ID domain follows messageIdDomain, else the sender's", async () => {
    expect((await composed({ messageIdDomain: "mail.acme.test" }, LINKS, { subject: "s", text: "t" })).messageId).toMatch(/@mail\.acme\.test>$/);
  });
});

describe("providers and configuration", () => {
  it("passes a provider's error through unchanged", async () => {
    const started = await startChannelPlugin<EmailContentInput>(email({ from: "news@acme.test" }), {
      providers: [sandboxProvider({ channel: "email", failFor: { "gone@example.com": "unreachable" } })],
    });
    try {
      const err = await rejection(started.channel.send({ to: "gone@example.com", content: started.channel.contentSchema.parse({ subject: "s", text: "t" }), context: sendContext(jane, { channel: "email" }) }));
      expect(err).toBeInstanceOf(RecipientUnreachableError);
    } finally {
      await started.close();
    }
  });

  it("hands webhooks and polls to the provider they name; refuses a provider that takes none", async () => {
    const calls: string[] = [];
    const fakeVendor = definePlugin({
      id: "acme-mail",
      kind: "provider",
      channel: "email",
      configSchema: z.object({}),
      register(ctx) {
        const provider: Provider<EmailPayload> = {
          id: "acme-mail",
          channel: "email",
          idempotency: "none",
          send: async () => ({ providerMessageId: "am-1", status: "sent" }),
          parseWebhook: async () => {
            calls.push("webhook");
            return { reports: [{ providerMessageId: "am-1", status: "delivered", at: 1 }] };
          },
          poll: async (id, type) => {
            calls.push(`poll:${id}:${type}`);
            return { providerMessageId: id, status: "delivered", at: 2 };
          },
        };
        ctx.registerInstance(Tokens.Provider, provider as Provider);
      },
    });
    const started = await startChannelPlugin<EmailContentInput>(email({ from: "news@acme.test", providers: ["acme-mail", "sandbox"] }), { providers: [fakeVendor()] });
    try {
      const request = { headers: {}, rawBody: Buffer.from("{}"), query: {} };
      expect((await started.channel.parseWebhook!(request, "acme-mail")).reports).toEqual([expect.objectContaining({ status: "delivered" })]);
      await expect(started.channel.parseWebhook!(request, "sandbox")).rejects.toBeInstanceOf(NotFoundError);
      await expect(started.channel.parseWebhook!(request, "smtp")).rejects.toBeInstanceOf(NotFoundError);
      expect(await started.channel.poll!({ provider: "acme-mail", providerMessageId: "am-1", messageType: "email" })).toMatchObject({ status: "delivered" });
      expect(await started.channel.poll!({ provider: "sandbox", providerMessageId: "x" })).toBeNull();
      expect(calls).toEqual(["webhook", "poll:am-1:email"]);
    } finally {
      await started.close();
    }
  });

  it("is not polled when none of its providers can be", async () => {
    const started = await startChannelPlugin<EmailContentInput>(email({ from: "news@acme.test" }));
    expect(started.channel.poll).toBeUndefined();
    await started.close();
  });

  it("rejects a bad config naming the field", async () => {
    const boot = (config: unknown) => createNudge({ workspace: "acme", logger: silentLogger(), plugins: [storageMemory(), email(config as EmailConfigInput)] });
    await expect(boot({ from: "not an address" })).rejects.toMatchObject({ code: "NUDGE_PLUGIN_CONFIG", issues: [expect.objectContaining({ path: "from" })] });
    await expect(boot({ from: "a@b.test", providers: [] })).rejects.toMatchObject({ issues: [expect.objectContaining({ path: "providers" })] });
    await expect(boot({ from: "a@b.test", providers: ["smtp"] })).rejects.toMatchObject({ code: "NUDGE_MISSING_PROVIDER", message: expect.stringContaining('"smtp"') });
  });

  it("refuses the earlier options instead of ignoring them: provider, webhooks, openPixel", async () => {
    const boot = (config: unknown) => createNudge({ workspace: "acme", logger: silentLogger(), plugins: [storageMemory(), email(config as EmailConfigInput)] });
    await expect(boot({ provider: { type: "smtp", host: "mail.acme.test" }, from: "a@b.test" })).rejects.toMatchObject({
      code: "NUDGE_PLUGIN_CONFIG",
      issues: [expect.objectContaining({ path: "provider", message: expect.stringContaining("providers") })],
    });
    await expect(boot({ from: "a@b.test", webhooks: { ses: { topicArns: ["arn:aws:sns:x"] } } })).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: "webhooks", message: expect.stringContaining("ses(") })],
    });
    await expect(boot({ from: "a@b.test", openPixel: false })).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: "openPixel", message: expect.stringContaining("trackOpens") })],
    });
  });
});

function pixelOf(html: string | undefined): string | undefined {
  return /<img src="(https:\/\/nudge\.acme\.test\/nudge\/o\/[^"]+)" width="1" height="1"/.exec(html ?? "")?.[1];
}

function verifyClick(links: LinkService, url: string): { m: string; p: string; u: string } | null {
  const v = links.verify(url.split("/l/")[1]!);
  return v && v.k === "l" ? { m: v.m, p: v.p, u: v.u } : null;
}
