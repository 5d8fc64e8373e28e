import type { DeliveryReport, SendResult, WebhookRequest, WebhookResult } from "@nudge/core";
import type { MmsImage } from "../content.js";
import type { PhoneNumber } from "../phone.js";

/** One message, planned and checked, as a provider receives it. */
export interface SmsRequest {
  to: PhoneNumber;
  from: PhoneNumber;
  type: "SMS" | "LMS" | "MMS";
  text: string;
  title?: string | undefined;
  images?: { ref: string; name: string; sizeBytes: number }[] | undefined;
  /** Advertising: NHN routes it to its ad endpoints, which check the (광고) label and opt-out line. */
  ad: boolean;
  messageId: string;
  idempotencyKey: string;
}

/** A Korean SMS vendor behind the sms channel. */
export interface SmsProvider {
  readonly id: string;
  /** Per-provider MMS image limits. */
  readonly images: { max: number; maxBytes: number };
  send(request: SmsRequest): Promise<SendResult>;
  /** Asks the vendor for the result of one message (for hosts that poll instead of taking webhooks). */
  poll?(providerMessageId: string, messageType?: string): Promise<DeliveryReport | null>;
  parseWebhook?(request: WebhookRequest): WebhookResult;
}

export type { MmsImage };
