import { z } from "zod";

/** "news@acme.test" or "Acme <news@acme.test>"; the address part must be an e-mail. */
const MailboxText = z.string().trim().min(3).superRefine((value, ctx) => {
  const m = /^(?:(.*?)\s*<([^<>\s]+)>|([^<>\s]+))$/.exec(value);
  const address = m?.[2] ?? m?.[3];
  if (!address || !z.email().safeParse(address).success) {
    ctx.addIssue({ code: "custom", message: 'expected "address@domain" or "Name <address@domain>"' });
  }
});

/** Sender identity, given as a string or as its parts. */
export const Sender = z.union([MailboxText, z.object({ name: z.string().min(1).optional(), address: z.email() })]);
export type Sender = z.infer<typeof Sender>;

export const EmailConfig = z.object({
  /** The channel id journeys name. */
  id: z.string().min(1).default("email"),
  /**
   * The e-mail providers' ids, in failover order: the next is tried only when the one before provably sent
   * nothing (connection refused, throttled). "sandbox" needs no plugin; any other id needs its provider
   * plugin (`smtp(...)`, `ses(...)`) in the host's plugin list.
   */
  providers: z.array(z.string().min(1)).min(1).default(["sandbox"]),
  /** The earlier vendor union, refused rather than ignored so that an old config cannot silently send nothing. */
  provider: z.never({ message: 'replaced by providers (e.g. providers: ["smtp"]) and a provider plugin (smtp({ host, ... }) from @nudge/provider-smtp)' }).optional(),
  /** The earlier SES feedback block, refused rather than ignored so that its signature checks cannot silently go. */
  webhooks: z.never({ message: "moved to the ses({ sns: { topicArns } }) provider plugin of @nudge/provider-ses" }).optional(),
  /** The workspace's sender; each Nudge instance (workspace) has its own plugin config. */
  from: Sender,
  replyTo: Sender.optional(),
  /** An extra mailto: unsubscribe target in List-Unsubscribe (the https one-click link is always there). */
  unsubscribeMailto: z.email().optional(),
  /**
   * Adds a 1x1 open pixel (/o/:token) to HTML mail when the instance has link settings. `false` turns open
   * tracking off for the channel; a message can only opt out (`trackOpens: false` in its content).
   */
  trackOpens: z.boolean().default(true),
  /** The earlier name, refused rather than ignored so that `openPixel: false` cannot silently turn tracking on. */
  openPixel: z.never({ message: "renamed trackOpens (default true: set trackOpens: false to leave the open pixel out)" }).optional(),
  /** The domain of Message-ID headers; defaults to the sender's domain. */
  messageIdDomain: z.string().min(1).optional(),
});
export type EmailConfig = z.infer<typeof EmailConfig>;
export type EmailConfigInput = z.input<typeof EmailConfig>;

/** The address part of a sender. */
export function senderAddress(sender: Sender): string {
  if (typeof sender !== "string") return sender.address;
  const m = /<([^<>\s]+)>/.exec(sender);
  return (m?.[1] ?? sender).trim();
}

/** A mailbox as the payload carries it: the bare address, or a display name and the address. */
export type Mailbox = string | { name: string; address: string };

/** The sender as a payload mailbox. */
export function senderOf(sender: Sender): Mailbox {
  if (typeof sender === "string") return sender;
  return sender.name ? { name: sender.name, address: sender.address } : sender.address;
}
