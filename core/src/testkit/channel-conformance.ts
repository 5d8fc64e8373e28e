import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ChannelRejectedError,
  ChannelUnavailableError,
  NudgeError,
  RateLimitedError,
  RecipientUnreachableError,
  ValidationError,
  WebhookSignatureError,
} from "../errors.js";
import type { Channel, SendContext, WebhookRequest } from "../ports/channel.js";
import type { Profile } from "../domain/profile.js";

export type InjectedFailure = "permanent" | "transient" | "rate_limited" | "unreachable";

/** What a channel plugin hands the kit: the channel wired to its fake vendor server, and fixtures. */
export interface ChannelHarness<C = unknown> {
  channel: Channel<C>;
  /** Content that must validate and send. */
  validContent: C;
  /** Content that must fail validation, and the field path the error must name. */
  invalidContent: { content: unknown; path: string };
  /** A profile the channel can reach, and one it cannot (no address). */
  reachable: Profile;
  unreachable: Profile;
  fake: {
    /** Requests the fake vendor accepted since the harness was made. */
    accepted(): number;
    /** Makes the fake answer the next send with the vendor's documented error of this kind. */
    failNext(kind: InjectedFailure): void;
    /** The idempotency key the fake saw on the last request, when the vendor supports one. */
    lastIdempotencyKey?(): string | undefined;
  };
  /** A delivery report for a sent message, signed as the vendor signs it, and a tampered copy. */
  webhook?: {
    /** The provider id the webhook is posted for; the channel's first provider by default. */
    provider?: string;
    delivered(providerMessageId: string): WebhookRequest;
    tampered?(providerMessageId: string): WebhookRequest;
  };
  close(): Promise<void>;
}

export function sendContext(profile: Profile, over: Partial<SendContext> = {}): SendContext {
  return {
    workspace: profile.workspaceId,
    channel: "test",
    messageId: `msg-${Math.random().toString(36).slice(2)}`,
    idempotencyKey: `idem-${Math.random().toString(36).slice(2)}`,
    attempt: 1,
    marketing: false,
    profile,
    now: Date.now(),
    ...over,
  };
}

/**
 * The suite every channel plugin passes against its fake vendor server: content validation, addresses,
 * sending, idempotency keys, error classification (permanent vs transient) and delivery reports.
 */
export function describeChannelConformance<C>(name: string, make: () => Promise<ChannelHarness<C>>, failures: InjectedFailure[] = ["permanent", "transient", "rate_limited"]): void {
  describe(`channel conformance: ${name}`, () => {
    let h: ChannelHarness<C>;
    beforeAll(async () => {
      h = await make();
    });
    afterAll(async () => {
      await h?.close();
    });

    const send = (content: C = h.validContent, over: Partial<SendContext> = {}) =>
      h.channel.send({ to: h.channel.address(h.reachable)!, content, context: sendContext(h.reachable, over) });

    it("validates content and names the bad field", () => {
      expect(h.channel.contentSchema.safeParse(h.validContent).success).toBe(true);
      const bad = h.channel.contentSchema.safeParse(h.invalidContent.content);
      let path: string | undefined;
      if (!bad.success) path = ValidationError.fromZod("content", bad.error).issues.map((i) => i.path).join(",");
      else {
        try {
          h.channel.prepare?.(bad.data, sendContext(h.reachable));
        } catch (e) {
          if (e instanceof ValidationError) path = e.issues.map((i) => i.path).join(",");
        }
      }
      expect(path).toContain(h.invalidContent.path);
    });

    it("finds the address on a reachable profile, and none on an unreachable one", () => {
      expect(h.channel.address(h.reachable)).toBeTruthy();
      expect(h.channel.address(h.unreachable)).toBeNull();
    });

    it("sends, returning the provider's message id", async () => {
      const before = h.fake.accepted();
      const result = await send();
      expect(result.providerMessageId).toBeTruthy();
      expect(h.fake.accepted()).toBe(before + 1);
    });

    it("passes the idempotency key to a vendor that accepts one", async (ctx) => {
      if (!h.fake.lastIdempotencyKey) return ctx.skip("the vendor takes no idempotency key");
      await send(h.validContent, { idempotencyKey: "idem-conformance-1" });
      expect(h.fake.lastIdempotencyKey()).toContain("idem-conformance-1");
    });

    for (const kind of failures) {
      it(`classifies a ${kind} vendor error`, async () => {
        h.fake.failNext(kind);
        const err = await send().then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(NudgeError);
        const e = err as NudgeError;
        switch (kind) {
          case "permanent":
            expect(e instanceof ChannelRejectedError || e instanceof RecipientUnreachableError).toBe(true);
            expect(e.retryable).toBe(false);
            break;
          case "unreachable":
            expect(e).toBeInstanceOf(RecipientUnreachableError);
            expect(e.retryable).toBe(false);
            break;
          case "transient":
            expect(e).toBeInstanceOf(ChannelUnavailableError);
            expect(e.retryable).toBe(true);
            break;
          case "rate_limited":
            expect(e).toBeInstanceOf(RateLimitedError);
            expect(e.retryable).toBe(true);
            break;
        }
      });
    }

    it("parses a delivery report and refuses a tampered one", async (ctx) => {
      if (!h.webhook || !h.channel.parseWebhook) return ctx.skip("the channel has no delivery reports");
      const sent = await send();
      const provider = h.webhook.provider ?? sent.provider ?? h.channel.providers[0]!;
      const result = await h.channel.parseWebhook(h.webhook.delivered(sent.providerMessageId!), provider);
      expect(result.reports).toEqual(expect.arrayContaining([expect.objectContaining({ providerMessageId: sent.providerMessageId, status: "delivered" })]));
      if (h.webhook.tampered) {
        await expect(h.channel.parseWebhook(h.webhook.tampered(sent.providerMessageId!), provider)).rejects.toBeInstanceOf(WebhookSignatureError);
      }
    });
  });
}
