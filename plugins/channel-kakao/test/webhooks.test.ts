import { describe, expect, it } from "vitest";
import { ValidationError } from "@nudge/core";
import { NHN } from "./nhn-kakao.fake.js";
import { SOLAPI } from "./solapi-kakao.fake.js";
import { jsonRequest, kakaoChannel, nhnProvider, nhnResultHook, solapiProvider } from "./harness.js";

describe("Kakao delivery reports", () => {
  const nhn = kakaoChannel({ provider: nhnProvider("http://127.0.0.1:9") });
  const solapi = kakaoChannel({ provider: solapiProvider("http://127.0.0.1:9") });

  it("maps NHN's MESSAGE_RESULT_UPDATE, keeping Kakao's code (1000 delivered, 3018 failed)", async () => {
    const ok = await nhn.parseWebhook(jsonRequest(nhnResultHook("R1:1", "1000"), { "x-toast-webhook-signature": NHN.signature }));
    expect(ok.reports).toEqual([{ providerMessageId: "R1:1", status: "delivered", providerCode: "1000", at: Date.parse("2026-03-02T10:00:04+09:00") }]);
    const failed = await nhn.parseWebhook(jsonRequest(nhnResultHook("R1:2", "3018"), { "x-toast-webhook-signature": NHN.signature }));
    expect(failed.reports[0]).toMatchObject({ status: "failed", providerCode: "3018" });
  });

  it("maps Solapi report arrays and refuses a missing token", async () => {
    const r = await solapi.parseWebhook(jsonRequest([{ messageId: "M1", statusCode: "3102", statusMessage: "친구 아님", dateReceived: "2026-03-02T01:00:00.000Z" }], {}, { token: SOLAPI.token }));
    expect(r.reports).toEqual([{ providerMessageId: "M1", status: "failed", providerCode: "3102", reason: "친구 아님", at: Date.parse("2026-03-02T01:00:00Z") }]);
    await expect(solapi.parseWebhook(jsonRequest([]))).rejects.toBeInstanceOf(ValidationError);
  });

  it("has no webhooks in sandbox mode", async () => {
    await expect(kakaoChannel({}).parseWebhook(jsonRequest({}))).rejects.toBeInstanceOf(ValidationError);
  });
});
