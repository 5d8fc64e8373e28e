import type { ChannelError } from "@nudge/core";
import { mapSmtpError, type SmtpErrorWording } from "@nudge/provider-smtp";

/**
 * How the SES SMTP interface words its failures, after "SMTP response codes returned by Amazon SES"
 * (https://docs.aws.amazon.com/ses/latest/dg/troubleshoot-smtp.html): 4xx replies are to be retried, 5xx
 * need the request fixed. "454 Throttling failure: Maximum sending rate exceeded" / "Daily message quota
 * exceeded" mean SES dropped the message (https://docs.aws.amazon.com/ses/latest/dg/manage-sending-quotas-errors.html),
 * as "421 Too many concurrent SMTP connections" refuses it: both are rate limits and provably not sent.
 * "530 Authentication required" / "535 Authentication Credentials Invalid" name the SMTP credentials;
 * "554 Message rejected: Email address is not verified" names the sender identity.
 */
const SES_WORDING: SmtpErrorWording = {
  throttled: /throttl|too many/i,
  rateLimited: "SES rate limited",
  temporary: "SES temporary failure",
  auth: "SES refused the SMTP credentials (SES SMTP credentials, not an IAM secret key)",
  recipient: "SES refused the recipient",
  rejected: "SES rejected the message",
  notReached: "SES SMTP endpoint not reached",
  connection: "SES connection failed",
  failed: "SES send failed",
};

/** Maps a failure of the SES SMTP interface onto the core's channel errors (the SMTP rules, SES's words). */
export function mapSesError(e: unknown): ChannelError {
  return mapSmtpError(e, SES_WORDING);
}
