import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNudge, FakeClock, silentLogger, type JourneyDefinitionInput, type Nudge } from "@nudge/core";
import { sms } from "@nudge/channel-sms";
import { storageMemory } from "@nudge/storage-memory";
import { aligoSms } from "../src/index.js";
import { ALIGO, aligoFake } from "./aligo.fake.js";

/** The welcome journey of docs/journeys.md, sending its one message by SMS. */
const welcome: JourneyDefinitionInput = {
  id: "welcome",
  trigger: { type: "event", event: "signed_up" },
  steps: [{ id: "hello", type: "send", channel: "sms", content: { text: "{{ profile.traits.name | default: '고객' }}님, 가입을 환영합니다! 플랜: {{ event.properties.plan }}" } }],
};

describe("a host adds the Aligo provider with one line in its plugin list", () => {
  const f = aligoFake();
  const clock = new FakeClock("2026-03-02T03:00:00Z"); // noon in Seoul
  let nudge: Nudge;

  beforeAll(async () => {
    const url = await f.fake.start();
    nudge = await createNudge({
      workspace: "acme",
      plugins: [storageMemory(), sms({ senders: ["021234567"], providers: ["aligo"] }), aligoSms({ apiKey: ALIGO.apiKey, userId: ALIGO.userId, baseUrl: url })],
      logger: silentLogger(),
      clock,
    });
    await nudge.start();
  });
  afterAll(async () => {
    await nudge?.stop();
    await f.fake.close();
  });

  it("sends the welcome SMS through Aligo and logs it as sent by provider aligo", async () => {
    await nudge.journeys.put(welcome);
    await nudge.journeys.publish("welcome");
    await nudge.identify({ userId: "u1", traits: { name: "김민지", phone: "010-1234-5678" } });
    await nudge.track({ userId: "u1", event: "signed_up", properties: { plan: "pro" } });
    await nudge.drain();

    // Exactly one call reached Aligo, and it kept the documented contract.
    expect(f.calls("/send/")).toBe(1);
    expect(f.fake.problems).toEqual([]);
    expect(f.sent).toEqual([
      expect.objectContaining({ sender: "021234567", receiver: "01012345678", msgType: "SMS", msg: "김민지님, 가입을 환영합니다! 플랜: pro", testMode: false }),
    ]);

    const { items } = await nudge.messages.list({ limit: 10 });
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      channel: "sms",
      status: "sent",
      recipient: "+821012345678",
      attempts: [expect.objectContaining({ channel: "sms", provider: "aligo", status: "sent", providerMessageId: f.sent[0]!.mid, messageType: "SMS" })],
    });
  });

  it("learns the delivery by polling /sms_list/ once the first poll mark (5 minutes) passes", async () => {
    for (let i = 0; i < 6; i++) {
      clock.advance(60_000);
      await nudge.drain();
    }
    expect(f.calls("/sms_list/")).toBe(1);
    expect(f.calls("/send/")).toBe(1);
    expect(f.fake.problems).toEqual([]);
    const { items } = await nudge.messages.list({ limit: 10 });
    expect(items[0]).toMatchObject({ status: "delivered", attempts: [expect.objectContaining({ provider: "aligo", status: "delivered", providerCode: "발송완료" })] });
  });
});
