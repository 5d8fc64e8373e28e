import { createServer } from "node:net";
import type { ProviderCall, SendContext } from "@nudge/core";
import { aProfile, sendContext, startProviderPlugin } from "@nudge/core/testkit";
import type { SmsPayload, SmsProvider } from "@nudge/channel-sms";
import { aligoSms, type AligoSmsConfigInput } from "../src/index.js";
import { ALIGO } from "./aligo.fake.js";

export const SENDER = "+82212345678";
export const KOREAN = "+821012345678";

/** The provider alone, built through its plugin factory as a host's plugin list would build it. */
export async function aligoProvider(baseUrl: string, extra: Partial<AligoSmsConfigInput> = {}): Promise<SmsProvider> {
  return (await startProviderPlugin<SmsPayload>(aligoSms({ apiKey: ALIGO.apiKey, userId: ALIGO.userId, baseUrl, ...extra }))).provider as SmsProvider;
}

/** A planned SMS as the sms channel hands it to a provider. */
export function smsCall(ids: Partial<Pick<SendContext, "messageId" | "idempotencyKey">> = {}, payload: Partial<SmsPayload> = {}): ProviderCall<SmsPayload> {
  const profile = aProfile("acme", { userId: "u1", contacts: { phone: KOREAN } });
  return {
    to: KOREAN,
    payload: { type: "SMS", from: SENDER, text: "주문하신 상품이 출발했습니다.", ad: false, ...payload },
    messageType: payload.type ?? "SMS",
    context: sendContext(profile, { channel: "sms", ...ids }),
  };
}

/** A URL where nothing listens: the port was free a moment ago. */
export async function closedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
