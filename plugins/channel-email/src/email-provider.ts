import type { Provider } from "@nudge/core";
import type { Mailbox } from "./config.js";

/**
 * The composed message the e-mail channel hands its providers: everything a vendor needs to put one
 * message on the wire, and nothing vendor-specific. Header values are plain one-line strings; how a
 * header is encoded or folded on the wire is the provider's business.
 */
export interface EmailPayload {
  from: Mailbox;
  replyTo?: Mailbox;
  /** The recipient's address (the same as the call's `to`). */
  to: string;
  subject: string;
  /** The HTML part, with tracked links, the unsubscribe URL and the open pixel already in place. */
  html?: string;
  /** The plain-text part: given by the content or derived from the HTML. */
  text: string;
  /** The Message-ID header, `<hash@domain>`: the same for every retry of one logical message. */
  messageId: string;
  /** The Date header, from the engine's clock. */
  date: Date;
  /**
   * Extra headers: the content's `X-` headers and, for marketing mail, `List-Unsubscribe` and
   * `List-Unsubscribe-Post` (RFC 8058). A provider must not drop or re-encode `List-Unsubscribe`.
   */
  headers: Record<string, string>;
}

/**
 * A provider of the `email` channel kind (SMTP, Amazon SES ...). Providers that hold connections open
 * them (and check credentials) in their plugin's `init`, and close them in its `close`.
 */
export interface EmailProvider extends Provider<EmailPayload> {
  readonly channel: "email";
}
