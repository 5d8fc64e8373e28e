import { afterEach, describe, expect, it } from "vitest";
import { createNudge, FakeClock, silentLogger, subscriptionState, Tokens, type Nudge } from "@nudge/core";
import { storageMemory } from "@nudge/storage-memory";
import { solapiSms } from "@nudge/provider-solapi";
import { sms } from "../src/index.js";
import { jsonRequest } from "./harness.js";

const TOKEN = "hook-token-1";
let nudge: Nudge | null = null;
afterEach(async () => {
  await nudge?.stop();
  nudge = null;
});

/** Solapi's report webhook: a JSON array of message reports (statusCode from its table). */
const report = (statusCode: string, to = "01012341234") => [
  { messageId: "M4V1", groupId: "G1", statusCode, statusMessage: `s${statusCode}`, to, from: "15880000", type: "SMS", dateReceived: "2026-03-02T03:10:00.000Z" },
];

describe("080 opt-out through Solapi's report webhook, end to end", () => {
  it.each(["1061", "2061"])("status %s unsubscribes the person from SMS marketing, like NHN's UNSUBSCRIBE", async (code) => {
    nudge = await createNudge({
      workspace: "acme",
      plugins: [
        storageMemory(),
        sms({ senders: ["+8215880000"], providers: ["solapi"] }),
        solapiSms({ apiKey: "NCSAYU7YDBXYORXC", apiSecret: "solapi-secret-1", baseUrl: "http://127.0.0.1:9", webhookToken: TOKEN }),
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

    // A forged report (wrong token) changes nothing.
    await expect(nudge.webhooks.handle("sms", "solapi", jsonRequest(report(code), {}, { token: "forged" }))).rejects.toMatchObject({ code: "NUDGE_WEBHOOK_SIGNATURE" });
    expect(subscriptionState((await store.get("acme", p.id))!, "sms")).toBe("subscribed");

    const result = await nudge.webhooks.handle("sms", "solapi", jsonRequest(report(code), {}, { token: TOKEN }));
    expect(result.contacts).toEqual([{ type: "unsubscribe", address: "+821012341234", reason: `080 opt-out (Solapi ${code})`, at: Date.parse("2026-03-02T03:10:00Z") }]);
    expect(result.applied).toBe(1);
    const after = (await store.get("acme", p.id))!;
    expect(subscriptionState(after, "sms")).toBe("unsubscribed");
    expect(after.subscriptions.at(-1)).toMatchObject({ channel: "sms", state: "unsubscribed", source: "provider:solapi" });

    const marketing = await nudge.send({ userId: "u1", idempotencyKey: "promo-1", channel: "sms", content: { text: "(광고)아크미\n세일\n무료수신거부 080-1234-1234" }, marketing: true });
    expect(marketing.status).toBe("suppressed");
  });

  it("an ordinary failure (3041 handset busy) unsubscribes nobody", async () => {
    nudge = await createNudge({
      workspace: "acme",
      plugins: [storageMemory(), sms({ senders: ["+8215880000"], providers: ["solapi"] }), solapiSms({ apiKey: "k", apiSecret: "s", baseUrl: "http://127.0.0.1:9", webhookToken: TOKEN })],
      logger: silentLogger(),
      clock: new FakeClock("2026-03-02T03:00:00Z"),
    });
    await nudge.start();
    const result = await nudge.webhooks.handle("sms", "solapi", jsonRequest(report("3041"), {}, { token: TOKEN }));
    expect(result.contacts).toEqual([]);
  });
});
