import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChannelRejectedError, FakeClock } from "@nudge/core";
import { sendContext } from "@nudge/core/testkit";
import { nhnCloudSms } from "@nudge/provider-nhncloud";
import { solapiSms } from "@nudge/provider-solapi";
// The vendor fakes live with their provider packages; they check auth, paths and bodies against the vendor docs.
import { NHN, nhnSmsFake } from "../../provider-nhncloud/test/sms/nhn-sms.fake.js";
import { SOLAPI, solapiFake } from "../../provider-solapi/test/sms/solapi.fake.js";
import { closedUrl, jsonRequest, KOREAN, person, smsChannel } from "./harness.js";

const KR = person(KOREAN);
// One clock for the channel's providers and Solapi's fake, which refuses signatures dated 15 minutes off its own time.
const clock = new FakeClock("2026-03-02T01:00:00Z");
const nhn = (baseUrl: string) => nhnCloudSms({ appKey: NHN.appKey, secretKey: NHN.secretKey, baseUrl, webhookSignature: NHN.signature });
const solapi = (baseUrl: string) => solapiSms({ apiKey: SOLAPI.apiKey, apiSecret: SOLAPI.apiSecret, baseUrl, webhookToken: SOLAPI.token });
const send = (channel: Awaited<ReturnType<typeof smsChannel>>["channel"], text = "주문이 접수되었습니다.") =>
  channel.send({ to: KOREAN, content: { text }, context: sendContext(KR, { channel: "sms" }) });

describe("failover between Korean providers", () => {
  const s = solapiFake(() => clock.now());
  let solapiUrl: string;
  beforeAll(async () => {
    solapiUrl = await s.fake.start();
  });
  afterAll(() => s.fake.close());

  it("goes out through Solapi when NHN Cloud refuses the connection", async () => {
    const { channel, close } = await smsChannel({ providers: ["nhncloud", "solapi"] }, { providers: [nhn(await closedUrl()), solapi(solapiUrl)], clock });
    const before = s.accepted();
    const r = await send(channel);
    expect(r).toMatchObject({ provider: "solapi", providerMessageId: expect.stringMatching(/^M4V/), messageType: "SMS", cost: { amount: 10, currency: "KRW" } });
    expect(s.accepted()).toBe(before + 1);
    expect(s.lastMessage()).toMatchObject({ to: "01012345678", from: "15880000", text: "주문이 접수되었습니다." });
    expect(s.fake.problems).toEqual([]);
    await close();
  });

  it("does not fail over when NHN Cloud refuses the message for good: it may be the message, not the vendor", async () => {
    const n = nhnSmsFake();
    const { channel, close } = await smsChannel({ providers: ["nhncloud", "solapi"] }, { providers: [nhn(await n.fake.start()), solapi(solapiUrl)], clock });
    const before = s.fake.requests.length;
    n.failNext("unregistered_sender");
    await expect(send(channel)).rejects.toMatchObject({ constructor: ChannelRejectedError, providerCode: "-2312" });
    expect(s.fake.requests.length).toBe(before);
    // And when NHN takes it, the result names NHN.
    await expect(send(channel)).resolves.toMatchObject({ provider: "nhncloud" });
    expect(n.fake.problems).toEqual([]);
    await close();
    await n.fake.close();
  });

  it("hands each webhook and poll to the provider named in the URL", async () => {
    const n = nhnSmsFake();
    const { channel, close } = await smsChannel({ providers: ["nhncloud", "solapi"] }, { providers: [nhn(await n.fake.start()), solapi(solapiUrl)], clock });
    const solapiReport = jsonRequest([{ messageId: "M4V1", statusCode: "4000", dateReceived: "2026-03-02T01:00:05.000Z" }], {}, { token: SOLAPI.token });
    await expect(channel.parseWebhook!(solapiReport, "solapi")).resolves.toMatchObject({ reports: [{ providerMessageId: "M4V1", status: "delivered" }] });
    // The same request at NHN's URL lacks NHN's signature.
    await expect(channel.parseWebhook!(solapiReport, "nhncloud")).rejects.toMatchObject({ code: "NUDGE_WEBHOOK_SIGNATURE", field: "headers.x-toast-webhook-signature" });
    await expect(channel.poll!({ provider: "solapi", providerMessageId: "M4V9" })).resolves.toMatchObject({ providerMessageId: "M4V9", status: "delivered" });
    const sent = await send(channel);
    await expect(channel.poll!({ provider: "nhncloud", providerMessageId: sent.providerMessageId!, messageType: "SMS" })).resolves.toMatchObject({ status: "delivered" });
    expect([...n.fake.problems, ...s.fake.problems]).toEqual([]);
    await close();
    await n.fake.close();
  });

  it("checks MMS images against the first provider, whose file ids the content carries", async () => {
    const { channel, close } = await smsChannel({ providers: ["solapi", "nhncloud"] }, { providers: [nhn(await closedUrl()), solapi(solapiUrl)], clock });
    const images = [1, 2].map((i) => ({ ref: `ST0${i}`, name: `${i}.jpg`, sizeBytes: 1000 }));
    expect(() => channel.prepare!({ text: "사진", images }, sendContext(KR))).toThrow(/solapi takes at most 1 image/);
    await close();
  });
});
