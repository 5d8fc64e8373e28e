import { describe, expect, it } from "vitest";
import { ValidationError } from "@nudge/core";
import { NHN } from "./nhn-sms.fake.js";
import { SOLAPI } from "./solapi.fake.js";
import { jsonRequest, nhnConfig, nhnResultHook, smsChannel, solapiConfig } from "./harness.js";

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

describe("Solapi SMS delivery reports", () => {
  const solapi = smsChannel({ provider: solapiConfig("http://127.0.0.1:9") });
  const report = (statusCode: string, query: Record<string, unknown> = { token: SOLAPI.token }) =>
    solapi.parseWebhook(jsonRequest([{ messageId: "M1", groupId: "G1", statusCode, statusMessage: `s${statusCode}`, to: "01012345678", from: "15880000", type: "SMS", dateReceived: "2026-03-02T01:00:05.000Z" }], {}, query));

  it("reads Solapi's status codes: 4000 delivered, 3000 on the way, 3032 failed with the number dead", async () => {
    expect((await report("4000")).reports).toEqual([{ providerMessageId: "M1", status: "delivered", providerCode: "4000", at: Date.parse("2026-03-02T01:00:05Z") }]);
    expect((await report("3000")).reports[0]).toMatchObject({ status: "sent" });
    expect((await report("3032")).reports[0]).toEqual({ providerMessageId: "M1", status: "failed", providerCode: "3032", reason: "s3032", at: Date.parse("2026-03-02T01:00:05Z"), invalidateContact: true });
    expect((await report("3010")).reports[0]).toMatchObject({ status: "failed", invalidateContact: true });
    const busy = (await report("3041")).reports[0];
    expect(busy).toMatchObject({ status: "failed", providerCode: "3041" });
    expect(busy).not.toHaveProperty("invalidateContact");
  });

  it("refuses a report without the registered token (Solapi documents no signature to check instead)", async () => {
    await expect(report("4000", {})).rejects.toMatchObject({ issues: [{ path: "query.token" }] });
    await expect(report("4000", { token: "hook-token-2" })).rejects.toBeInstanceOf(ValidationError);
  });
});
