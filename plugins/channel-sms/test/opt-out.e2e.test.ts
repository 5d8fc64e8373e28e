import { afterEach, describe, expect, it } from "vitest";
import { createNudge, FakeClock, silentLogger, subscriptionState, Tokens, type Nudge } from "@nudge/core";
import { storageMemory } from "@nudge/storage-memory";
import { nhnCloudSms } from "@nudge/provider-nhncloud";
import { sms } from "../src/index.js";
import { NHN } from "../../provider-nhncloud/test/sms/nhn-sms.fake.js";
import { jsonRequest } from "./harness.js";

let nudge: Nudge | null = null;
afterEach(async () => {
  await nudge?.stop();
  nudge = null;
});

describe("080 opt-out, end to end", () => {
  it("NHN's UNSUBSCRIBE webhook unsubscribes the person from SMS marketing", async () => {
    nudge = await createNudge({
      workspace: "acme",
      plugins: [
        storageMemory(),
        sms({ senders: ["+8215880000"], providers: ["nhncloud"] }),
        nhnCloudSms({ appKey: NHN.appKey, secretKey: NHN.secretKey, baseUrl: "http://127.0.0.1:9", webhookSignature: NHN.signature }),
      ],
      logger: silentLogger(),
      clock: new FakeClock("2026-03-02T03:00:00Z"),
    });
    await nudge.start();
    await nudge.identify({ userId: "u1", traits: { phone: "010-1234-1234" } });
    await nudge.drain();
    const store = nudge.resolve(Tokens.ProfileStore);
    const p = (await store.getByUserId("acme", "u1"))!;
    await nudge.profiles.setSubscription(p.id, { channel: "sms", state: "subscribed", source: "signup form" });

    const hook = { hooksId: "h", productName: "Sms", appKey: NHN.appKey, event: "UNSUBSCRIBE", hooks: [{ hookId: "1", recipientNo: "01012341234", unsubscribeNo: "08012341234", createdDateTime: "2026-03-02T12:10:00.000+09:00" }] };
    const result = await nudge.webhooks.handle("sms", "nhncloud", jsonRequest(hook, { "x-toast-webhook-signature": NHN.signature }));
    expect(result.applied).toBe(1);
    const after = (await store.get("acme", p.id))!;
    expect(subscriptionState(after, "sms")).toBe("unsubscribed");
    expect(after.subscriptions.at(-1)).toMatchObject({ channel: "sms", state: "unsubscribed", source: "provider:nhncloud" });

    // A forged call (wrong signature) changes nothing, and a provider the channel does not use has no webhook.
    await expect(nudge.webhooks.handle("sms", "nhncloud", jsonRequest(hook, { "x-toast-webhook-signature": "forged" }))).rejects.toMatchObject({ code: "NUDGE_WEBHOOK_SIGNATURE" });
    await expect(nudge.webhooks.handle("sms", "solapi", jsonRequest(hook))).rejects.toMatchObject({ code: "NUDGE_NOT_FOUND" });

    const marketing = await nudge.send({ userId: "u1", idempotencyKey: "promo-1", channel: "sms", content: { text: "(광고)아크미\n세일\n무료수신거부 080-1234-1234" }, marketing: true });
    expect(marketing.status).toBe("suppressed");
  });
});
