import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChannelRejectedError, ChannelUnavailableError, RecipientUnreachableError } from "@nudge/core";
import { sendContext } from "@nudge/core/testkit";
import { solapiFake } from "./solapi.fake.js";
import { clock, person, smsCall, solapiChannel, solapiProvider } from "./harness.js";

const KR = person("010-1234-5678");

describe("Solapi contract, through the sms channel", () => {
  const f = solapiFake(() => clock.now());
  let started: Awaited<ReturnType<typeof solapiChannel>>;
  beforeAll(async () => {
    started = await solapiChannel(await f.fake.start());
  });
  afterAll(async () => {
    await started.close();
    await f.fake.close();
  });
  const send = (content: { text: string; title?: string; images?: { ref: string; name: string; sizeBytes: number }[] }, idempotencyKey?: string) =>
    started.channel.send({ to: started.channel.address(KR)!, content, context: sendContext(KR, { channel: "sms", ...(idempotencyKey ? { idempotencyKey } : {}) }) });
  const poll = (providerMessageId: string) => started.channel.poll!({ provider: "solapi", providerMessageId });

  it("signs each request, sends national numbers and refuses duplicates", async () => {
    const r = await send({ text: "가".repeat(46), title: "안내" }, "k-1");
    expect(f.lastMessage()).toMatchObject({ to: "01012345678", from: "15880000", type: "LMS", subject: "안내", customFields: { nudgeIdempotencyKey: "k-1" } });
    expect(r).toMatchObject({ provider: "solapi", providerMessageId: expect.stringMatching(/^M4V/), messageType: "LMS", cost: { amount: 30, currency: "KRW" } });
    expect(f.fake.problems).toEqual([]);
  });

  it("sends one MMS image of at most 200 KB, Solapi's limit", async () => {
    await send({ text: "사진", images: [{ ref: "ST01FZ", name: "a.jpg", sizeBytes: 150 * 1024 }] });
    expect(f.lastMessage()).toMatchObject({ type: "MMS", imageId: "ST01FZ" });
    const two = [1, 2].map((i) => ({ ref: `ST0${i}`, name: `${i}.jpg`, sizeBytes: 1000 }));
    await expect(send({ text: "사진", images: two })).rejects.toMatchObject({ issues: [{ path: "images", message: expect.stringContaining("solapi takes at most 1") }] });
    await expect(send({ text: "사진", images: [{ ref: "ST03", name: "c.jpg", sizeBytes: 201 * 1024 }] })).rejects.toMatchObject({ issues: [{ path: "images[0].sizeBytes" }] });
  });

  it("maps an unregistered sender (1062) to a permanent error and a bad signature to a rejection", async () => {
    f.failNext("unregistered_sender");
    await expect(send({ text: "a" })).rejects.toMatchObject({ providerCode: "1062", retryable: false });
    f.failNext("bad_signature");
    await expect(send({ text: "a" })).rejects.toMatchObject({ providerCode: "SignatureDoesNotMatch" });
  });

  it("polls the message list", async () => {
    await expect(poll("M4V1")).resolves.toMatchObject({ providerMessageId: "M4V1", status: "delivered", providerCode: "4000" });
  });

  it.each([
    ["1060", RecipientUnreachableError], // blocked recipient number
    ["1061", RecipientUnreachableError], // opted out through 080
    ["2061", RecipientUnreachableError], // opted out through 080
    ["1030", ChannelRejectedError], // balance too low
    ["1029", ChannelRejectedError], // characters outside EUC-KR
    ["2062", ChannelRejectedError], // sender number not registered
    ["1024", ChannelUnavailableError], // Solapi server error
    ["2024", ChannelUnavailableError], // Solapi server error
  ])("maps Solapi's %s to %o (developers.solapi.com/references/message-status-codes)", async (code, type) => {
    f.failWith(code);
    const e = await send({ text: "a" }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(type);
    expect(e).toMatchObject({ providerCode: code });
    expect(f.fake.problems).toEqual([]);
  });

  it("a poll that finds a dead number (3032 not a subscriber) invalidates it; a switched-off handset (3043) does not", async () => {
    f.reportWith("3032");
    await expect(poll("M4V2")).resolves.toMatchObject({ status: "failed", providerCode: "3032", reason: "status 3032", invalidateContact: true });
    f.reportWith("3043");
    const off = await poll("M4V3");
    expect(off).toMatchObject({ status: "failed", providerCode: "3043" });
    expect(off).not.toHaveProperty("invalidateContact");
    f.reportWith("3000");
    await expect(poll("M4V4")).resolves.toMatchObject({ status: "sent" });
  });
});

describe("Solapi SMS provider", () => {
  const f = solapiFake(() => clock.now());
  let url: string;
  beforeAll(async () => {
    url = await f.fake.start();
  });
  afterAll(() => f.fake.close());

  it("declares the sms kind, Solapi's MMS limit and no idempotency key", async () => {
    expect(await solapiProvider(url)).toMatchObject({ id: "solapi", channel: "sms", idempotency: "none", images: { max: 1, maxBytes: 200 * 1024 } });
  });

  it("carries no subject on an SMS, and refuses an international message without calling Solapi", async () => {
    const p = await solapiProvider(url);
    await p.send(smsCall({}, { type: "SMS", title: "무시됨" }));
    expect(f.lastMessage()).not.toHaveProperty("subject");
    const before = f.fake.requests.length;
    await expect(p.send(smsCall({}, { type: "INTL_SMS", from: undefined }))).rejects.toMatchObject({ providerCode: "NUDGE_UNSUPPORTED_TYPE" });
    expect(f.fake.requests.length).toBe(before);
    expect(f.fake.problems).toEqual([]);
  });
});
