import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createNudge, FakeClock, silentLogger, Tokens, ValidationError, type JourneyDefinitionInput, type Nudge } from "@nudge/core";
import { storageMemory } from "@nudge/storage-memory";
import { kakao } from "@nudge/channel-kakao";
import { sms } from "@nudge/channel-sms";
import { nhnCloudKakao, type NhnCloudKakaoConfigInput } from "../../src/index.js";
import { jsonRequest, nhnConfig, nhnResultHook, TEXT } from "./harness.js";
import { NHN, nhnKakaoFake } from "./nhn-kakao.fake.js";

const WS = "acme";
const f = nhnKakaoFake();
let url = "";
let nudge: Nudge | null = null;
beforeAll(async () => {
  url = await f.fake.start();
});
afterAll(() => f.fake.close());
afterEach(async () => {
  await nudge?.stop();
  nudge = null;
});

const LMS_RESEND = { enabled: true, type: "LMS" as const, sendNo: "1588-0000" };

/** Kakao through NHN (with or without NHN's own resend) and Nudge's SMS channel, one subscribed channel friend. */
async function setup(nhn: Partial<NhnCloudKakaoConfigInput>) {
  nudge = await createNudge({
    workspace: WS,
    plugins: [storageMemory(), kakao({ providers: ["nhncloud"] }), nhnCloudKakao(nhnConfig(url, nhn)), sms({ senders: ["+8215880000"] })],
    logger: silentLogger(),
    clock: new FakeClock("2026-03-02T03:00:00Z"), // 12:00 KST
  });
  await nudge.start();
  await nudge.identify({ userId: "u1", traits: { phone: "010-1234-5678" } });
  await nudge.drain();
  const store = nudge.resolve(Tokens.ProfileStore);
  const p = (await store.getByUserId(WS, "u1"))!;
  await store.save({ ...p, contacts: { ...p.contacts, kakao: { channelFriend: true } } });
  for (const channel of ["kakao", "sms"]) await nudge.profiles.setSubscription(p.id, { channel, state: "subscribed", source: "test" });
  return nudge;
}

const withSmsFallback = { channel: "kakao", content: TEXT, fallback: [{ channel: "sms", content: { text: "(광고) 봄 신상품" } }], marketing: true };
const journey = (fallback: { channel: string; content: Record<string, unknown> }[]): JourneyDefinitionInput => ({
  id: "spring",
  trigger: { type: "event", event: "signed_up" },
  steps: [{ id: "promo", type: "send", channel: "kakao", content: TEXT, fallback, marketing: true }],
});

async function theMessage(n: Nudge) {
  const [m] = (await n.resolve(Tokens.MessageStore).list(WS, { limit: 10 })).items;
  return m!;
}

/** NHN's MESSAGE_RESULT_UPDATE for a Kakao failure (3018) carrying NHN's resend state. */
async function report(n: Nudge, providerMessageId: string, resendStatus: string) {
  const body = nhnResultHook(providerMessageId, "3018");
  body.hooks = body.hooks.map((h) => ({ ...h, resendStatus }));
  return n.webhooks.handle("kakao", "nhncloud", jsonRequest(body, { "x-toast-webhook-signature": NHN.signature }));
}

describe("NHN's own resend and Nudge's fallback chain", () => {
  it("a send with an SMS fallback on a Kakao provider that resends is refused, naming the fix", async () => {
    const n = await setup({ resend: LMS_RESEND });
    const refused = n.send({ userId: "u1", idempotencyKey: "r1", ...withSmsFallback });
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({ issues: [{ path: "channel", message: expect.stringContaining("turn off the provider's resend or remove the sms fallback") }] });
    expect(f.fake.requests).toHaveLength(0);
  });

  it("a journey whose Kakao send step falls back to SMS is refused at definition, naming the step", async () => {
    const n = await setup({ resend: LMS_RESEND });
    await expect(n.journeys.put(journey([{ channel: "sms", content: { text: "(광고) 봄" } }]))).rejects.toMatchObject({
      issues: [{ path: "steps[0](promo).channel", message: expect.stringMatching(/nhncloud resends.*remove the sms fallback/) }],
    });
    await expect(n.journeys.put(journey([]))).resolves.toMatchObject({ version: 1 });
  });

  it("Nudge's fallback alone (NHN resend off) is allowed", async () => {
    const n = await setup({});
    await expect(n.journeys.put(journey([{ channel: "sms", content: { text: "(광고) 봄" } }]))).resolves.toMatchObject({ version: 1 });
    await n.send({ userId: "u1", idempotencyKey: "r2", ...withSmsFallback });
    await n.drain();
    expect(await theMessage(n)).toMatchObject({ status: "sent", channel: "kakao" });
  });

  it("NHN's resend alone: a report with resendStatus RSC04 puts the LMS, its outcome and its cost on the attempt", async () => {
    const n = await setup({ resend: LMS_RESEND });
    await n.send({ userId: "u1", idempotencyKey: "r3", channel: "kakao", content: TEXT, marketing: true });
    await n.drain();
    const sent = await theMessage(n);
    await report(n, sent.attempts[0]!.providerMessageId!, "RSC04");
    const m = await theMessage(n);
    expect(m.attempts).toEqual([
      expect.objectContaining({ channel: "kakao", status: "failed", providerCode: "3018", details: { resend: { channel: "lms", status: "sent", providerCode: "RSC04", cost: { amount: 30, currency: "KRW" } } } }),
    ]);
  });

  it("a resend that failed (RSC05) is recorded as failed, without a cost", async () => {
    const n = await setup({ resend: LMS_RESEND });
    await n.send({ userId: "u1", idempotencyKey: "r4", channel: "kakao", content: TEXT, marketing: true });
    await n.drain();
    await report(n, (await theMessage(n)).attempts[0]!.providerMessageId!, "RSC05");
    expect((await theMessage(n)).attempts[0]!.details).toEqual({ resend: { channel: "lms", status: "failed", providerCode: "RSC05" } });
  });
});
