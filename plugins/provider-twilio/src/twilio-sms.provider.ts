import { z } from "zod";
import { ChannelRejectedError, ValidationError, vendorRequest, type Clock, type ProviderCall, type SendResult, type WebhookRequest, type WebhookResult } from "@nudge/core";
import type { SmsPayload, SmsProvider, SmsSendDetails } from "@nudge/channel-sms";
import type { TwilioSmsConfig } from "./config.js";
import { twilioError } from "./errors.js";
import { parseTwilioWebhook } from "./webhooks.js";

/**
 * Twilio Programmable Messaging: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, HTTP Basic auth
 * (Account SID : Auth Token), form fields `To`, `From` | `MessagingServiceSid`, `Body`, `StatusCallback`
 * (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource).
 */
const Created = z.object({ sid: z.string(), status: z.string(), num_segments: z.string().nullish(), price: z.string().nullish() });
const Failure = z.object({ code: z.number().optional(), message: z.string().optional() });

/** The sms provider "twilio", for numbers outside Korea (the channel's `international`). */
export class TwilioSmsProvider implements SmsProvider {
  readonly id = "twilio";
  readonly channel = "sms";
  // The Messages API documents no idempotency key for creating a message, and no lookup by our ids is implemented.
  readonly idempotency = "none" as const;
  // Twilio's ceiling for one message body.
  readonly maxTextChars = 1600;

  constructor(
    private readonly config: TwilioSmsConfig,
    private readonly clock: Clock,
  ) {}

  async send({ to, payload }: ProviderCall<SmsPayload>): Promise<SendResult> {
    if (payload.images?.length) throw new ChannelRejectedError("Twilio is set up here for text messages only: MMS images go to Korean numbers", { providerCode: "NUDGE_UNSUPPORTED_TYPE" });
    const form = new URLSearchParams({ To: to, Body: payload.text });
    if (this.config.messagingServiceSid) form.set("MessagingServiceSid", this.config.messagingServiceSid);
    else form.set("From", this.config.from!);
    if (this.config.statusCallbackUrl) form.set("StatusCallback", this.config.statusCallbackUrl);
    const basic = Buffer.from(`${this.config.accountSid}:${this.config.authToken}`).toString("base64");
    const answer = await vendorRequest(`${this.config.baseUrl.replace(/\/$/, "")}/2010-04-01/Accounts/${this.config.accountSid}/Messages.json`, {
      method: "POST",
      headers: { Authorization: `Basic ${basic}`, "Content-Type": "application/x-www-form-urlencoded" },
      body: form.toString(),
      timeoutMs: this.config.timeoutMs,
    });
    if (answer.status >= 400) {
      const f = Failure.safeParse(answer.body);
      throw twilioError(answer.status, f.success ? f.data.code : undefined, f.success ? (f.data.message ?? "") : String(answer.body));
    }
    const created = Created.safeParse(answer.body);
    if (!created.success) throw new ChannelRejectedError(`Twilio answered HTTP ${answer.status} with an unexpected body`, { providerCode: `HTTP_${answer.status}` });
    // The channel prices international messages per segment: Twilio's own count.
    const details = { segments: Number(created.data.num_segments ?? "1") || 1 } satisfies SmsSendDetails;
    return { providerMessageId: created.data.sid, status: "sent", messageType: payload.type, providerCode: created.data.status, details };
  }

  async parseWebhook(request: WebhookRequest): Promise<WebhookResult> {
    if (!this.config.statusCallbackUrl) {
      throw new ValidationError("Twilio webhook", [{ path: "statusCallbackUrl", message: "is not configured in twilioSms(): status callbacks cannot be verified" }]);
    }
    return parseTwilioWebhook(request, this.config.authToken, this.config.statusCallbackUrl, this.clock.now());
  }
}
