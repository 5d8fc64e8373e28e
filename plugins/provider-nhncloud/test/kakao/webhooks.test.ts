import { describe, expect, it } from "vitest";
import { ValidationError, WebhookSignatureError } from "@nudge/core";
import { NHN } from "./nhn-kakao.fake.js";
import { jsonRequest, kakaoThroughNhn, nhnProvider, nhnResultHook } from "./harness.js";

describe("NHN Cloud Kakao delivery reports", () => {
  it("maps MESSAGE_RESULT_UPDATE, keeping Kakao's code (1000 delivered, 3018 failed)", async () => {
    const provider = await nhnProvider("http://127.0.0.1:9");
    const ok = await provider.parseWebhook!(jsonRequest(nhnResultHook("R1:1", "1000"), { "x-toast-webhook-signature": NHN.signature }));
    expect(ok.reports).toEqual([{ providerMessageId: "R1:1", status: "delivered", providerCode: "1000", at: Date.parse("2026-03-02T10:00:04+09:00") }]);
    const failed = await provider.parseWebhook!(jsonRequest(nhnResultHook("R1:2", "3018"), { "x-toast-webhook-signature": NHN.signature }));
    expect(failed.reports[0]).toMatchObject({ status: "failed", providerCode: "3018" });
  });

  it("refuses a wrong or missing signature, a body that is not NHN's, and any report when no signature is configured", async () => {
    const provider = await nhnProvider("http://127.0.0.1:9");
    await expect(provider.parseWebhook!(jsonRequest(nhnResultHook("R1:1"), { "x-toast-webhook-signature": "kakao-hook-signaturf" }))).rejects.toMatchObject({ code: "NUDGE_WEBHOOK_SIGNATURE", field: "headers.x-toast-webhook-signature" });
    await expect(provider.parseWebhook!(jsonRequest(nhnResultHook("R1:1")))).rejects.toBeInstanceOf(WebhookSignatureError);
    await expect(provider.parseWebhook!(jsonRequest({ hooks: "nope" }, { "x-toast-webhook-signature": NHN.signature }))).rejects.toBeInstanceOf(ValidationError);
    const unsigned = await nhnProvider("http://127.0.0.1:9", { webhookSignature: undefined });
    await expect(unsigned.parseWebhook!(jsonRequest(nhnResultHook("R1:1"), { "x-toast-webhook-signature": NHN.signature }))).rejects.toMatchObject({ code: "NUDGE_WEBHOOK_SIGNATURE", field: "webhookSignature" });
  });

  it("reaches the provider through the channel's webhook route (/v1/webhooks/kakao/nhncloud)", async () => {
    const channel = await kakaoThroughNhn("http://127.0.0.1:9");
    const r = await channel.parseWebhook(jsonRequest(nhnResultHook("R9:1"), { "x-toast-webhook-signature": NHN.signature }), "nhncloud");
    expect(r.reports).toMatchObject([{ providerMessageId: "R9:1", status: "delivered" }]);
  });
});
