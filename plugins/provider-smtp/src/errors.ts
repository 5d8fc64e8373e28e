import {
  ChannelRejectedError,
  ChannelUnavailableError,
  RateLimitedError,
  RecipientUnreachableError,
  type ChannelError,
} from "@nudge/core";

/** What nodemailer puts on an SMTP failure (nodemailer/lib/smtp-connection): the socket error's fields are kept. */
interface SmtpFailure {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
  syscall?: string;
}

const NETWORK = new Set(["ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS", "ETLS", "EPROTOCOL", "ECONNRESET", "ECONNREFUSED", "ESTREAMING"]);

/** Errors only a connection attempt raises; nodemailer renames the code (ESOCKET, EDNS) but keeps the message. */
const NEVER_CONNECTED = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN)\b/;

/** How one SMTP service words its failures: the prefix of each error message, and its throttling replies. */
export interface SmtpErrorWording {
  /** A 4yz reply matching this is a rate limit (provably not sent). */
  throttled: RegExp;
  rateLimited: string;
  temporary: string;
  auth: string;
  recipient: string;
  rejected: string;
  notReached: string;
  connection: string;
  failed: string;
}

/**
 * A generic relay. Amazon SES answers "454 Throttling failure: ..." when its sending rate or daily quota
 * is exceeded (https://docs.aws.amazon.com/ses/latest/dg/manage-sending-quotas-errors.html); other servers
 * say "too many" or "rate" in a 4yz.
 */
export const SMTP_WORDING: SmtpErrorWording = {
  throttled: /throttl|rate|too many|quota/i,
  rateLimited: "SMTP rate limited",
  temporary: "SMTP temporary failure",
  auth: "SMTP authentication failed; check the provider credentials",
  recipient: "SMTP recipient refused",
  rejected: "SMTP refused the message",
  notReached: "SMTP server not reached",
  connection: "SMTP connection failed",
  failed: "SMTP send failed",
};

/** Server replies quote senders and recipients; the error lands on records and logs, so addresses are masked. */
function masked(text: string): string {
  return text.replace(/<?[^\s<>@,]+@[^\s<>,]+>?/g, "<address>").slice(0, 300);
}

/** No connection was ever made (refused, unknown host, no route): not a byte of the message left. */
export function neverConnected(e: unknown): boolean {
  const f = (typeof e === "object" && e !== null ? e : {}) as SmtpFailure;
  // A failed connect() or DNS look-up (refused, no route, unknown host) happens before any SMTP command.
  return f.syscall === "connect" || f.syscall === "getaddrinfo" || NEVER_CONNECTED.test(f.message ?? "");
}

/**
 * Maps an SMTP failure onto the core's channel errors. Reply codes follow RFC 5321 §4.2: 4yz is
 * transient, 5yz permanent; a 5yz to RCPT TO means the mailbox is unusable. Two failures prove nothing
 * was sent, so the channel may try its next provider (`notSent`): a connection that was never made, and
 * a throttling reply (a 4yz means "the requested action did not occur", RFC 5321 §4.2.1), the
 * equivalent of an HTTP 429. `wording` names the service in the messages (SES words its own).
 */
export function mapSmtpError(e: unknown, wording: SmtpErrorWording = SMTP_WORDING): ChannelError {
  const f = (typeof e === "object" && e !== null ? e : {}) as SmtpFailure;
  const rc = typeof f.responseCode === "number" ? f.responseCode : undefined;
  const text = masked(f.response ?? f.message ?? String(e));
  const opts = { providerCode: rc !== undefined ? String(rc) : (f.code ?? "SMTP"), cause: e };

  if (rc !== undefined && rc >= 400 && rc < 500) {
    if (wording.throttled.test(text)) return new RateLimitedError(`${wording.rateLimited}: ${text}`, { ...opts, notSent: true });
    return new ChannelUnavailableError(`${wording.temporary}: ${text}`, opts);
  }
  if (f.code === "EAUTH" || rc === 530 || rc === 535) return new ChannelRejectedError(`${wording.auth}: ${text}`, opts);
  if (rc !== undefined && rc >= 500) {
    const atRecipient = f.code === "EENVELOPE" || /^RCPT/i.test(f.command ?? "");
    if (atRecipient && [550, 551, 553].includes(rc)) return new RecipientUnreachableError(`${wording.recipient}: ${text}`, opts);
    return new ChannelRejectedError(`${wording.rejected}: ${text}`, opts);
  }
  if (neverConnected(e)) return new ChannelUnavailableError(`${wording.notReached}: ${text}`, { ...opts, notSent: true });
  if (f.code !== undefined && NETWORK.has(f.code)) return new ChannelUnavailableError(`${wording.connection}: ${text}`, opts);
  return new ChannelUnavailableError(`${wording.failed}: ${text}`, opts);
}
