import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";

export const LinkSettings = z.object({
  /** Where the HTTP adapter is mounted, as recipients reach it: https://example.com/nudge */
  baseUrl: z.url(),
  /** Signs click, open and unsubscribe tokens; keep it stable across restarts and processes. */
  secret: z.string().min(16),
});
export type LinkSettings = z.infer<typeof LinkSettings>;

export const LinkPayload = z.discriminatedUnion("k", [
  /** A tracked click: message, person, target. */
  z.object({ k: z.literal("l"), ws: z.string(), m: z.string(), p: z.string(), u: z.url() }),
  /** An unsubscribe: person, channel, optional topic, optional message. */
  z.object({ k: z.literal("u"), ws: z.string(), p: z.string(), c: z.string(), t: z.string().optional(), m: z.string().optional() }),
  /** An open pixel: message, person. */
  z.object({ k: z.literal("o"), ws: z.string(), m: z.string(), p: z.string() }),
]);
export type LinkPayload = z.infer<typeof LinkPayload>;
/** `l` click, `u` unsubscribe, `o` open. */
export type LinkKind = LinkPayload["k"];

/**
 * Signed tokens for click tracking (/l/:token), open pixels (/o/:token) and unsubscribe (/u/:token). A
 * token is the payload in base64url plus an HMAC-SHA256 over it; node:crypto does all of it, so no JWT
 * library is needed for a format only Nudge reads. A tampered or foreign token verifies as null: never
 * an open redirect. The kind is inside the signed payload, so a token of one kind never passes for another.
 */
export class LinkService {
  readonly baseUrl: string;
  /**
   * Whether the host gave link settings. Without them the base URL is a local placeholder and tokens die
   * with the process, so nothing that waits in a mailbox for days (an open pixel) should be built on them.
   */
  readonly configured: boolean;
  private readonly secret: Buffer;

  constructor(
    private readonly workspace: string,
    settings: LinkSettings | null,
  ) {
    this.baseUrl = (settings?.baseUrl ?? "http://localhost:3000/nudge").replace(/\/+$/, "");
    this.secret = settings ? Buffer.from(settings.secret) : randomBytes(32);
    this.configured = settings !== null;
  }

  sign(payload: LinkPayload): string {
    const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
    return `${body}.${this.mac(body)}`;
  }

  /** The payload of a token this instance signed, or null; with `kind`, null for a token of any other kind. */
  verify<K extends LinkKind>(token: string, kind: K): Extract<LinkPayload, { k: K }> | null;
  verify(token: string): LinkPayload | null;
  verify(token: string, kind?: LinkKind): LinkPayload | null {
    const dot = token.indexOf(".");
    if (dot <= 0) return null;
    const body = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1));
    const expected = Buffer.from(this.mac(body));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const parsed = LinkPayload.safeParse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
      if (!parsed.success || parsed.data.ws !== this.workspace) return null;
      return kind === undefined || parsed.data.k === kind ? parsed.data : null;
    } catch {
      return null;
    }
  }

  clickUrl(input: { messageId: string; profileId: string; url: string }): string {
    return `${this.baseUrl}/l/${this.sign({ k: "l", ws: this.workspace, m: input.messageId, p: input.profileId, u: input.url })}`;
  }

  /** The source of a 1x1 image that records `message_opened` when a mail client loads it. */
  openPixelUrl(input: { messageId: string; profileId: string }): string {
    return `${this.baseUrl}/o/${this.sign({ k: "o", ws: this.workspace, m: input.messageId, p: input.profileId })}`;
  }

  unsubscribeUrl(input: { profileId: string; channel: string; topic?: string | undefined; messageId?: string | undefined }): string {
    const payload: LinkPayload = {
      k: "u",
      ws: this.workspace,
      p: input.profileId,
      c: input.channel,
      ...(input.topic ? { t: input.topic } : {}),
      ...(input.messageId ? { m: input.messageId } : {}),
    };
    return `${this.baseUrl}/u/${this.sign(payload)}`;
  }

  private mac(body: string): string {
    return createHmac("sha256", this.secret).update(body).digest("base64url");
  }
}
