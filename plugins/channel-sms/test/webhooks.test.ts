import { describe, expect, it } from "vitest";
import { ValidationError } from "@nudge/core";
import { NHN } from "./nhn-sms.fake.js";
import { jsonRequest, nhnConfig, nhnResultHook, smsChannel } from "./harness.js";

const channel = smsChannel({ provider: nhnConfig("http://127.0.0.1:9") });
const unsubscribe = {
  hooksId: "202007271010101010sadasdavas",
  webhookConfigId: "String",
  productName: "Sms",
  appKey: NHN.appKey,
  event: "UNSUBSCRIBE",
  hooks: [{ hookId: "h", recipientNo: "01012341234", unsubscribeNo: "08012341234", enterpriseName: "NHN Cloud", createdDateTime: "2020-09-09T11:25:10.000+09:00" }],
};

describe("NHN Cloud SMS webhooks", () => {
  it("turns an 080 opt-out (UNSUBSCRIBE) into an unsubscribe of the E.164 number", async () => {
    const r = await channel.parseWebhook(jsonRequest(unsubscribe, { "x-toast-webhook-signature": NHN.signature }));
    expect(r.contacts).toEqual([{ type: "unsubscribe", address: "+821012341234", reason: "080 opt-out", at: Date.parse("2020-09-09T02:25:10Z") }]);
    expect(r.reports).toEqual([]);
  });

  it("maps MESSAGE_RESULT_UPDATE, keeping the carrier's code", async () => {
    const r = await channel.parseWebhook(jsonRequest(nhnResultHook("REQ1:1", "FAILED", "3001"), { "x-toast-webhook-signature": NHN.signature }));
    expect(r.reports).toEqual([{ providerMessageId: "REQ1:1", status: "failed", providerCode: "3001", reason: "FAILED", at: Date.parse("2026-03-02T01:00:04Z"), invalidateContact: true }]);
  });

  it("refuses a missing or wrong signature and a malformed body, naming the field", async () => {
    await expect(channel.parseWebhook(jsonRequest(unsubscribe))).rejects.toBeInstanceOf(ValidationError);
    await expect(channel.parseWebhook(jsonRequest(unsubscribe, { "x-toast-webhook-signature": "hook-signature-2" }))).rejects.toMatchObject({
      issues: [{ path: "headers.x-toast-webhook-signature" }],
    });
    await expect(channel.parseWebhook(jsonRequest({ event: "UNSUBSCRIBE" }, { "x-toast-webhook-signature": NHN.signature }))).rejects.toMatchObject({
      issues: expect.arrayContaining([expect.objectContaining({ path: "hooksId" })]),
    });
  });
});
