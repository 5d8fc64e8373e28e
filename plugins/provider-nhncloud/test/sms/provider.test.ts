import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChannelRejectedError, RateLimitedError, RecipientUnreachableError } from "@nudge/core";
import { sendContext } from "@nudge/core/testkit";
import { nhnSmsFake } from "./nhn-sms.fake.js";
import { nhnChannel, nhnProvider, person, smsCall } from "./harness.js";

const KR = person("010-1234-5678");
const AD = "(광고)아크미\n봄 세일 30% 할인\n무료수신거부 080-123-4567";

describe("NHN Cloud SMS v3.0 contract, through the sms channel", () => {
  const f = nhnSmsFake();
  let started: Awaited<ReturnType<typeof nhnChannel>>;
  beforeAll(async () => {
    started = await nhnChannel(await f.fake.start());
  });
  afterAll(async () => {
    await started.close();
    await f.fake.close();
  });
  const send = (content: { text: string; title?: string; from?: string; images?: { ref: string; name: string; sizeBytes: number }[] }, marketing = false) =>
    started.channel.send({ to: started.channel.address(KR)!, content, context: sendContext(KR, { channel: "sms", marketing }) });

  it("sends an SMS to /sender/sms with national numbers and the secret key", async () => {
    const r = await send({ text: "주문이 접수되었습니다." });
    const req = f.fake.last()!;
    expect(req.path).toBe("/sms/v3.0/appKeys/nhn-app-key-1/sender/sms");
    expect(req.json).toMatchObject({ body: "주문이 접수되었습니다.", sendNo: "15880000", recipientList: [{ recipientNo: "01012345678" }] });
    expect(r).toMatchObject({ provider: "nhncloud", providerMessageId: expect.stringMatching(/:1$/), messageType: "SMS", cost: { amount: 10, currency: "KRW" } });
    expect(f.fake.problems).toEqual([]);
  });

  it("sends an LMS to /sender/mms with a title, and ads to the ad endpoints", async () => {
    await send({ text: "가".repeat(46) });
    expect(f.fake.last()!.path).toBe("/sms/v3.0/appKeys/nhn-app-key-1/sender/mms");
    expect(f.fake.last()!.json).toMatchObject({ title: "가".repeat(20) });
    await send({ text: AD }, true);
    expect(f.fake.last()!.path).toBe("/sms/v3.0/appKeys/nhn-app-key-1/sender/ad-sms");
    expect(f.fake.problems).toEqual([]);
  });

  it("sends an MMS with the uploaded files' ids, checked against NHN's limit of 3 × 300 KB", async () => {
    const image = (ref: string) => ({ ref, name: `${ref}.jpg`, sizeBytes: 250 * 1024 });
    await send({ text: "사진", images: [image("f1"), image("f2"), image("f3")] });
    expect(f.fake.last()!.json).toMatchObject({ attachFileIdList: ["f1", "f2", "f3"], title: "사진" });
    await expect(send({ text: "사진", images: [{ ...image("f4"), sizeBytes: 301 * 1024 }] })).rejects.toMatchObject({ issues: [{ path: "images[0].sizeBytes", message: expect.stringContaining("nhncloud") }] });
    expect(f.fake.problems).toEqual([]);
  });

  it("sends from a registered sender other than the first, in national digits", async () => {
    await send({ text: "안녕하세요", from: "02-1234-5678" });
    expect(f.fake.last()!.json).toMatchObject({ sendNo: "0212345678" });
  });

  it("maps NHN's documented failures", async () => {
    f.failNext("unregistered_sender");
    await expect(send({ text: "a" })).rejects.toMatchObject({ constructor: ChannelRejectedError, providerCode: "-2312" });
    f.failNext("opted_out");
    await expect(send({ text: "a" })).rejects.toBeInstanceOf(RecipientUnreachableError);
    f.failNext("emoji");
    await expect(send({ text: "a" })).rejects.toMatchObject({ constructor: ChannelRejectedError, providerCode: "-2023" });
    f.failNext("rate_limited");
    await expect(send({ text: "a" })).rejects.toMatchObject({ constructor: RateLimitedError, retryAfterMs: 2000 });
  });

  it("polls a result through the channel, naming the provider", async () => {
    const r = await send({ text: "조회" });
    await expect(started.channel.poll!({ provider: "nhncloud", providerMessageId: r.providerMessageId!, messageType: "SMS" })).resolves.toMatchObject({
      status: "delivered",
      providerCode: "1000",
      at: Date.parse("2026-03-02T10:06:42+09:00"),
    });
    expect(f.fake.last()!.path).toBe(`/sms/v3.0/appKeys/nhn-app-key-1/sender/sms/${r.providerMessageId!.split(":")[0]}`);
  });
});

describe("NHN Cloud SMS provider", () => {
  const f = nhnSmsFake();
  let url: string;
  beforeAll(async () => {
    url = await f.fake.start();
  });
  afterAll(() => f.fake.close());

  it("declares the sms kind, NHN's MMS limits and no idempotency key", async () => {
    const p = await nhnProvider(url);
    expect(p).toMatchObject({ id: "nhncloud", channel: "sms", idempotency: "none", images: { max: 3, maxBytes: 300 * 1024 } });
  });

  it("sends LMS titles and groups the recipient by Nudge's message id", async () => {
    const p = await nhnProvider(url);
    await p.send(smsCall({ messageId: "msg-42" }, { type: "LMS", title: "안내", text: "본문" }));
    expect(f.fake.last()!.json).toMatchObject({ title: "안내", recipientList: [{ recipientNo: "01012345678", recipientGroupingKey: "msg-42" }] });
    expect(f.fake.problems).toEqual([]);
  });

  it("refuses an international message instead of sending it to a Korean endpoint", async () => {
    const p = await nhnProvider(url);
    const before = f.fake.requests.length;
    await expect(p.send(smsCall({}, { type: "INTL_SMS", from: undefined }))).rejects.toMatchObject({ constructor: ChannelRejectedError, providerCode: "NUDGE_UNSUPPORTED_TYPE" });
    expect(f.fake.requests.length).toBe(before);
  });
});
