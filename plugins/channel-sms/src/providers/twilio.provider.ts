import { z } from "zod";
import { ChannelRejectedError, ValidationError, vendorRequest, type SendResult, type WebhookRequest, type WebhookResult, type Clock } from "@nudge/core";
import type { TwilioConfig } from "../config.js";
import { twilioError } from "../errors.js";
import { parseTwilioWebhook } from "../webhooks.js";

/**
 * Twilio Programmable Messaging for numbers outside Korea:
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, HTTP Basic auth (Account SID : Auth Token),
 * form fields `To`, `From` | `MessagingServiceSid`, `Body`, `StatusCallback`
 * (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource).
 */
const Created = z.object({ sid: z.string(), status: z.string(), num_segments: z.string().nullish(), price: z.string().nullish() });
const Failure = z.object({ code: z.number().optional(), message: z.string().optional() });

export interface TwilioSend {
  to: string;
  text: string;
}

export class TwilioSmsProvider {
  readonly id = "twilio";

  constructor(
    private readonly config: TwilioConfig,
    private readonly timeoutMs: number,
    private readonly clock: Clock,
  ) {}

  async send(req: TwilioSend): Promise<SendResult & { segments: number }> {
    const form = new URLSearchParams({ To: req.to, Body: req.text });
    if (this.config.messagingServiceSid) form.set("MessagingServiceSid", this.config.messagingServiceSid);
    else form.set("From", this.config.from!);
    if (this.config.statusCallbackUrl) form.set("StatusCallback", this.config.statusCallbackUrl);
    const basic = Buffer.from(`${this.config.accountSid}:${this.config.authToken}`).toString("base64");
    const answer = await vendorRequest(`${this.config.baseUrl.replace(/\/$/, "")}/2010-04-01/Accounts/${this.config.accountSid}/Messages.json`, {
      method: "POST",
      headers: { Authorization: `Basic ${basic}`, "Content-Type": "application/x-www-form-urlencoded" },
      body: form.toString(),
      timeoutMs: this.timeoutMs,
    });
    if (answer.status >= 400) {
      const f = Failure.safeParse(answer.body);
      throw twilioError(answer.status, f.success ? f.data.code : undefined, f.success ? (f.data.message ?? "") : String(answer.body));
    }
    const created = Created.safeParse(answer.body);
    if (!created.success) throw new ChannelRejectedError(`Twilio answered HTTP ${answer.status} with an unexpected body`);
    return { providerMessageId: created.data.sid, status: "sent", messageType: "INTL_SMS", providerCode: created.data.status, segments: Number(created.data.num_segments ?? "1") || 1 };
  }

  parseWebhook(req: WebhookRequest): WebhookResult {
    if (!this.config.statusCallbackUrl) throw new ValidationError("Twilio webhook", [{ path: "twilio.statusCallbackUrl", message: "is not configured: status callbacks cannot be verified" }]);
    return parseTwilioWebhook(req, this.config.authToken, this.config.statusCallbackUrl, this.clock.now());
  }
}
