import type { DeliveryReport, FieldIssue, SendResult, WebhookRequest, WebhookResult } from "@nudge/core";
import type { AlimTalk } from "../content/alimtalk.js";
import type { BrandMessage } from "../content/brand-message.js";
import type { Targeting } from "../content/brand-message-parts.js";
import type { KakaoConfig } from "../config.js";

/** What is sent: a Brand Message with its targeting, or an AlimTalk. */
export type KakaoPayload = { kind: "brand"; message: BrandMessage; targeting: Targeting } | { kind: "alimtalk"; message: AlimTalk };

/** A checked message, ready for a provider. */
export type KakaoSendRequest = {
  /** Korean national digits: "01012345678". */
  to: string;
  messageId: string;
  idempotencyKey: string;
  resend: KakaoConfig["resend"];
} & ({ kind: "brand"; message: BrandMessage; targeting: Targeting } | { kind: "alimtalk"; message: AlimTalk });

export interface KakaoProvider {
  readonly id: string;
  /** Problems only this provider has with the content (e.g. Solapi needs uploaded image ids). */
  issues(payload: KakaoPayload): FieldIssue[];
  send(request: KakaoSendRequest): Promise<SendResult>;
  poll(providerMessageId: string, messageType?: string): Promise<DeliveryReport | null>;
  parseWebhook(request: WebhookRequest): WebhookResult;
}
