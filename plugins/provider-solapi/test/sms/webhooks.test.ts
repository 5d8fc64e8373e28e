import { describe, expect, it } from "vitest";
import { ValidationError, WebhookSignatureError } from "@nudge/core";
import { startProviderPlugin } from "@nudge/core/testkit";
import { solapiSms } from "../../src/index.js";
import { SOLAPI } from "./solapi.fake.js";
import { solapiProvider, solapiReport } from "./harness.js";

const provider = await solapiProvider("http://127.0.0.1:9");
const report = (statusCode: string, query?: Record<string, unknown>) => provider.parseWebhook!(solapiReport("M1", statusCode, query));

describe("Solapi SMS delivery reports", () => {
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
    await expect(report("4000", {})).rejects.toMatchObject({ code: "NUDGE_WEBHOOK_SIGNATURE", field: "query.token" });
    await expect(report("4000", { token: "hook-token-2" })).rejects.toBeInstanceOf(WebhookSignatureError);
  });

  it("refuses every report when no token is configured, and a body that is not a report list", async () => {
    const bare = (await startProviderPlugin(solapiSms({ apiKey: SOLAPI.apiKey, apiSecret: SOLAPI.apiSecret }))).provider;
    await expect(bare.parseWebhook!(solapiReport("M1"))).rejects.toMatchObject({ code: "NUDGE_WEBHOOK_SIGNATURE", field: "webhookToken" });
    const bad = { headers: {}, rawBody: Buffer.from(JSON.stringify({ messageId: "M1" })), query: { token: SOLAPI.token } };
    await expect(provider.parseWebhook!(bad)).rejects.toBeInstanceOf(ValidationError);
  });
});
