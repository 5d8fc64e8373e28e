import { z } from "zod";

/** Twilio Programmable Messaging: Account SID and Auth Token, sending from a number or a Messaging Service. */
export const TwilioSmsConfig = z
  .object({
    accountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, { message: "must be a Twilio Account SID (AC + 32 hex digits)" }),
    authToken: z.string().min(1),
    /** A Twilio number in E.164, or use messagingServiceSid. */
    from: z.string().regex(/^\+[1-9]\d{6,14}$/, { message: "must be an E.164 number" }).optional(),
    messagingServiceSid: z.string().regex(/^MG[0-9a-fA-F]{32}$/, { message: "must be a Messaging Service SID (MG + 32 hex digits)" }).optional(),
    baseUrl: z.url().default("https://api.twilio.com"),
    /**
     * Where Twilio posts status callbacks (`<mount>/v1/webhooks/<channelId>/twilio`): also the URL the
     * X-Twilio-Signature is computed over, so it must be the exact public URL.
     */
    statusCallbackUrl: z.url().optional(),
    /** Per-request timeout. */
    timeoutMs: z.number().int().positive().default(15_000),
  })
  .refine((t) => t.from !== undefined || t.messagingServiceSid !== undefined, {
    message: "twilioSms needs `from` or `messagingServiceSid`",
    path: ["from"],
  });
export type TwilioSmsConfig = z.output<typeof TwilioSmsConfig>;
export type TwilioSmsConfigInput = z.input<typeof TwilioSmsConfig>;
