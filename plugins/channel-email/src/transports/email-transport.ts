import type { SendContext, SendResult } from "@nudge/core";
import type { ComposedEmail } from "../email-composer.js";

/** One way of putting a composed message on the wire: SMTP, or the sandbox outbox. */
export interface EmailTransport {
  /** The provider name kept on delivery records. */
  readonly name: string;
  /** Connects or checks credentials; called from the plugin's `init`. */
  init(): Promise<void>;
  /** Sends, or throws a core channel error. */
  send(mail: ComposedEmail, context: SendContext): Promise<SendResult>;
  /** Closes pooled connections; safe to call twice. */
  close(): Promise<void>;
}
