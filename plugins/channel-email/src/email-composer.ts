import { createHash } from "node:crypto";
import { convert } from "html-to-text";
import type { LinkService, SendContext } from "@nudge/core";
import { senderAddress, senderOf, type EmailConfig } from "./config.js";
import type { EmailPayload } from "./email-provider.js";
import { UNSUBSCRIBE_PLACEHOLDER, type EmailContent } from "./content.js";
import { insertOpenPixel, rewriteLinks } from "./link-rewriter.js";

/**
 * Turns rendered content into a message: unsubscribe headers for marketing mail (RFC 8058), tracked
 * links, the optional open pixel, a text part derived from the HTML, and a Message-ID that is the same
 * for every retry of one logical message (so a receiver can drop a duplicate).
 */
export class EmailComposer {
  /** Without link settings a pixel would point at a placeholder host, with a token that dies with the process. */
  private readonly trackOpens: boolean;

  constructor(
    private readonly config: EmailConfig,
    private readonly links: LinkService,
  ) {
    this.trackOpens = config.trackOpens && links.configured;
  }

  compose(content: EmailContent, to: string, context: SendContext): EmailPayload {
    const unsubscribeUrl = this.links.unsubscribeUrl({ profileId: context.profile.id, channel: this.config.id, messageId: context.messageId });
    const fill = (s: string) => s.split(UNSUBSCRIBE_PLACEHOLDER).join(unsubscribeUrl);

    let html = content.html === undefined ? undefined : fill(content.html);
    if (html !== undefined && content.trackClicks) {
      html = rewriteLinks(
        html,
        (url) => this.links.clickUrl({ messageId: context.messageId, profileId: context.profile.id, url }),
        `${this.links.baseUrl}/`,
      );
    }
    const text = content.text !== undefined ? fill(content.text) : toText(html ?? "");
    if (html !== undefined && this.trackOpens && content.trackOpens) {
      html = insertOpenPixel(html, this.links.openPixelUrl({ messageId: context.messageId, profileId: context.profile.id }));
    }

    const headers: Record<string, string> = { ...(content.headers ?? {}) };
    if (context.marketing) {
      // RFC 8058 §3.1: one https URI that takes a POST, plus the List-Unsubscribe-Post marker
      // (https://www.rfc-editor.org/rfc/rfc8058#section-3.1); a mailto: is allowed alongside it.
      const targets = [`<${unsubscribeUrl}>`];
      if (this.config.unsubscribeMailto) targets.push(`<mailto:${this.config.unsubscribeMailto}?subject=unsubscribe>`);
      headers["List-Unsubscribe"] = targets.join(", ");
      headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
    }

    const replyTo = content.replyTo ?? (this.config.replyTo === undefined ? undefined : senderOf(this.config.replyTo));
    return {
      from: senderOf(this.config.from),
      ...(replyTo === undefined ? {} : { replyTo }),
      to,
      subject: content.subject,
      ...(html === undefined ? {} : { html }),
      text,
      messageId: this.messageId(context.idempotencyKey),
      date: new Date(context.now),
      headers,
    };
  }

  /** `<hash@domain>`: stable per logical message and channel, so retries carry the same id. */
  messageId(idempotencyKey: string): string {
    const domain = this.config.messageIdDomain ?? senderAddress(this.config.from).split("@")[1] ?? "localhost";
    return `<${createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 32)}@${domain}>`;
  }
}

/** The text part, from the HTML: images dropped, a link's URL shown only when it differs from its text. */
export function toText(html: string): string {
  return convert(html, {
    wordwrap: 78,
    selectors: [
      { selector: "img", format: "skip" },
      { selector: "a", options: { hideLinkHrefIfSameAsText: true } },
    ],
  }).trim();
}
