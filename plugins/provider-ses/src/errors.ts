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

/** SES quotes identities and recipients in its replies; the error lands on records and logs, so addresses are masked. */
function masked(text: string): string {
  return text.replace(/<?[^\s<>@,]+@[^\s<>,]+>?/g, "<address>").slice(0, 300);
}

function neverConnected(f: SmtpFailure): boolean {
  // A failed connect() or DNS look-up (refused, no route, unknown host) happens before any SMTP command.
  return f.syscall === "connect" || f.syscall === "getaddrinfo" || NEVER_CONNECTED.test(f.message ?? "");
}

/**
 * Maps a failure of the SES SMTP interface onto the core's channel errors, after "SMTP response codes
 * returned by Amazon SES" (https://docs.aws.amazon.com/ses/latest/dg/troubleshoot-smtp.html): 4xx
 * replies are to be retried, 5xx need the request fixed. "454 Throttling failure: Maximum sending rate
 * exceeded" / "Daily message quota exceeded" mean SES dropped the message
 * (https://docs.aws.amazon.com/ses/latest/dg/manage-sending-quotas-errors.html), as "421 Too many
 * concurrent SMTP connections" refuses it: both are rate limits and provably not sent (`notSent`), as
 * is a connection that was never made, so the channel may try its next provider. "530 Authentication
 * required" / "535 Authentication Credentials Invalid" name the SMTP credentials; "554 Message rejected:
 * Email address is not verified" names the sender identity.
 */
export function mapSesError(e: unknown): ChannelError {
  const f = (typeof e === "object" && e !== null ? e : {}) as SmtpFailure;
  const rc = typeof f.responseCode === "number" ? f.responseCode : undefined;
  const text = masked(f.response ?? f.message ?? String(e));
  const opts = { providerCode: rc !== undefined ? String(rc) : (f.code ?? "SMTP"), cause: e };

  if (rc !== undefined && rc >= 400 && rc < 500) {
    if (/throttl|too many/i.test(text)) return new RateLimitedError(`SES rate limited: ${text}`, { ...opts, notSent: true });
    return new ChannelUnavailableError(`SES temporary failure: ${text}`, opts);
  }
  if (f.code === "EAUTH" || rc === 530 || rc === 535) {
    return new ChannelRejectedError(`SES refused the SMTP credentials (SES SMTP credentials, not an IAM secret key): ${text}`, opts);
  }
  if (rc !== undefined && rc >= 500) {
    const atRecipient = f.code === "EENVELOPE" || /^RCPT/i.test(f.command ?? "");
    if (atRecipient && [550, 551, 553].includes(rc)) return new RecipientUnreachableError(`SES refused the recipient: ${text}`, opts);
    return new ChannelRejectedError(`SES rejected the message: ${text}`, opts);
  }
  if (neverConnected(f)) return new ChannelUnavailableError(`SES SMTP endpoint not reached: ${text}`, { ...opts, notSent: true });
  if (f.code !== undefined && NETWORK.has(f.code)) return new ChannelUnavailableError(`SES connection failed: ${text}`, opts);
  return new ChannelUnavailableError(`SES send failed: ${text}`, opts);
}
