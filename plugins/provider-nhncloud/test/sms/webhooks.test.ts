import { describe, expect, it } from "vitest";
import { ValidationError, WebhookSignatureError } from "@nudge/core";
import { startProviderPlugin } from "@nudge/core/testkit";
import { nhnCloudSms } from "../../src/index.js";
import { NHN } from "./nhn-sms.fake.js";
import { jsonRequest, nhnProvider, nhnResultHook } from "./harness.js";
import { sameBytes } from "../../src/shared/signature.js";
import { kstToEpoch } from "../../src/shared/kst.js";

const provider = await nhnProvider("http://127.0.0.1:9");
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
    const r = await provider.parseWebhook!(jsonRequest(unsubscribe, { "x-toast-webhook-signature": NHN.signature }));
    expect(r.contacts).toEqual([{ type: "unsubscribe", address: "+821012341234", reason: "080 opt-out", at: Date.parse("2020-09-09T02:25:10Z") }]);
    expect(r.reports).toEqual([]);
  });

  it("maps MESSAGE_RESULT_UPDATE, keeping the carrier's code", async () => {
    const r = await provider.parseWebhook!(jsonRequest(nhnResultHook("REQ1:1", "FAILED", "3001"), { "x-toast-webhook-signature": NHN.signature }));
    expect(r.reports).toEqual([{ providerMessageId: "REQ1:1", status: "failed", providerCode: "3001", reason: "FAILED", at: Date.parse("2026-03-02T01:00:04Z"), invalidateContact: true }]);
  });

  it("refuses a missing or wrong signature (WebhookSignatureError) and a signed but malformed body (ValidationError), naming the field", async () => {
    await expect(provider.parseWebhook!(jsonRequest(unsubscribe))).rejects.toMatchObject({ code: "NUDGE_WEBHOOK_SIGNATURE", field: "headers.x-toast-webhook-signature" });
    await expect(provider.parseWebhook!(jsonRequest(unsubscribe, { "x-toast-webhook-signature": "hook-signature-2" }))).rejects.toBeInstanceOf(WebhookSignatureError);
    const malformed = provider.parseWebhook!(jsonRequest({ event: "UNSUBSCRIBE" }, { "x-toast-webhook-signature": NHN.signature }));
    await expect(malformed).rejects.toBeInstanceOf(ValidationError);
    await expect(malformed).rejects.toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ path: "hooksId" })]) });
  });

  it("refuses every webhook when no signature is configured", async () => {
    const bare = (await startProviderPlugin(nhnCloudSms({ appKey: NHN.appKey, secretKey: NHN.secretKey }))).provider;
    await expect(bare.parseWebhook!(jsonRequest(unsubscribe, { "x-toast-webhook-signature": NHN.signature }))).rejects.toMatchObject({ code: "NUDGE_WEBHOOK_SIGNATURE", field: "webhookSignature" });
  });
});

describe("NHN Cloud signature and times", () => {
  it("X-Toast-Webhook-Signature is the configured value, compared byte for byte", () => {
    expect(sameBytes("hook-signature-1", "hook-signature-1")).toBe(true);
    expect(sameBytes("hook-signature-1", "hook-signature-2")).toBe(false);
    expect(sameBytes("hook-signature-1", "hook-signature-1 ")).toBe(false);
    expect(sameBytes("서명", "서명")).toBe(true);
  });

  it("reads NHN's local times, with or without an offset or fractional seconds", () => {
    expect(kstToEpoch("2018-08-10 10:06:42.0", 0)).toBe(Date.parse("2018-08-10T01:06:42Z"));
    expect(kstToEpoch("2026-03-02T10:00:04", 0)).toBe(Date.parse("2026-03-02T01:00:04Z"));
    expect(kstToEpoch("2020-09-09T11:25:10.000+09:00", 0)).toBe(Date.parse("2020-09-09T02:25:10Z"));
    expect(kstToEpoch("not a date", 7)).toBe(7);
    expect(kstToEpoch(null, 7)).toBe(7);
  });
});
