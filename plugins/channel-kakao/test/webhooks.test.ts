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

  it("reads Solapi's codes: 4000 delivered, 2000/3000 on the way, Kakao refusals failed with the code kept", async () => {
    const report = async (statusCode: string) => (await solapi.parseWebhook(jsonRequest([{ messageId: "M2", statusCode, statusMessage: `s${statusCode}`, dateReceived: "2026-03-02T01:00:00.000Z" }], {}, { token: SOLAPI.token }))).reports[0];
    await expect(report("4000")).resolves.toMatchObject({ status: "delivered", providerCode: "4000" });
    await expect(report("2000")).resolves.toMatchObject({ status: "sent" });
    await expect(report("3000")).resolves.toMatchObject({ status: "sent" });
    for (const code of ["3104", "3107", "3108", "3043"]) await expect(report(code)).resolves.toMatchObject({ status: "failed", providerCode: code, reason: `s${code}` });
    // A Kakao refusal says nothing about the phone number: the contact stays usable for SMS.
    await expect(report("3104")).resolves.not.toHaveProperty("invalidateContact");
  });

  it("has no webhooks in sandbox mode", async () => {
    await expect(kakaoChannel({}).parseWebhook(jsonRequest({}))).rejects.toBeInstanceOf(ValidationError);
  });
});
