import { describe, expect, it } from "vitest";
import { ValidationError, WebhookSignatureError } from "@nudge/core";
import { SOLAPI } from "./solapi-kakao.fake.js";
import { jsonRequest, kakaoThroughSolapi, solapiProvider } from "./harness.js";

const report = (messageId: string, statusCode: string) => [{ messageId, statusCode, statusMessage: `s${statusCode}`, dateReceived: "2026-03-02T01:00:00.000Z" }];

describe("Solapi Kakao delivery reports", () => {
  it("maps report arrays and refuses a missing or wrong token", async () => {
    const provider = await solapiProvider("http://127.0.0.1:9");
    const r = await provider.parseWebhook!(jsonRequest([{ messageId: "M1", statusCode: "3102", statusMessage: "친구 아님", dateReceived: "2026-03-02T01:00:00.000Z" }], {}, { token: SOLAPI.token }));
    expect(r.reports).toEqual([{ providerMessageId: "M1", status: "failed", providerCode: "3102", reason: "친구 아님", at: Date.parse("2026-03-02T01:00:00Z") }]);
    await expect(provider.parseWebhook!(jsonRequest([]))).rejects.toBeInstanceOf(WebhookSignatureError);
    await expect(provider.parseWebhook!(jsonRequest([], {}, { token: "kakao-hook-tokeN" }))).rejects.toMatchObject({ code: "NUDGE_WEBHOOK_SIGNATURE", field: "query.token" });
    await expect(provider.parseWebhook!(jsonRequest({ not: "an array" }, {}, { token: SOLAPI.token }))).rejects.toBeInstanceOf(ValidationError);
    const untokened = await solapiProvider("http://127.0.0.1:9", { webhookToken: undefined });
    await expect(untokened.parseWebhook!(jsonRequest([], {}, { token: SOLAPI.token }))).rejects.toMatchObject({ code: "NUDGE_WEBHOOK_SIGNATURE", field: "webhookToken" });
  });

  it("reads Solapi's codes: 4000 delivered, 2000/3000 on the way, Kakao refusals failed with the code kept", async () => {
    const provider = await solapiProvider("http://127.0.0.1:9");
    const one = async (statusCode: string) => (await provider.parseWebhook!(jsonRequest(report("M2", statusCode), {}, { token: SOLAPI.token }))).reports[0];
    await expect(one("4000")).resolves.toMatchObject({ status: "delivered", providerCode: "4000" });
    await expect(one("2000")).resolves.toMatchObject({ status: "sent" });
    await expect(one("3000")).resolves.toMatchObject({ status: "sent" });
    for (const code of ["3104", "3107", "3108", "3043"]) await expect(one(code)).resolves.toMatchObject({ status: "failed", providerCode: code, reason: `s${code}` });
    // A Kakao refusal says nothing about the phone number: the contact stays usable for SMS.
    await expect(one("3104")).resolves.not.toHaveProperty("invalidateContact");
  });

  it("reaches the provider through the channel's webhook route (/v1/webhooks/kakao/solapi)", async () => {
    const channel = await kakaoThroughSolapi("http://127.0.0.1:9");
    const r = await channel.parseWebhook(jsonRequest(report("M3", "4000"), {}, { token: SOLAPI.token }), "solapi");
    expect(r.reports).toMatchObject([{ providerMessageId: "M3", status: "delivered" }]);
  });
});
