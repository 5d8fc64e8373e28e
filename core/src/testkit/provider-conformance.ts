import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ChannelError,
  ChannelRejectedError,
  ChannelUnavailableError,
  NudgeError,
  RateLimitedError,
  RecipientUnreachableError,
  WebhookSignatureError,
} from "../errors.js";
import type { SendContext, WebhookRequest } from "../ports/channel.js";
import type { Provider, ProviderCall } from "../ports/provider.js";
import type { InjectedFailure } from "./channel-conformance.js";

/**
 * What a provider package hands the kit: its provider wired to a fake vendor server that checks the
 * vendor's documented request contract (auth, paths, bodies) and answers with documented responses.
 */
export interface ProviderHarness<P = unknown> {
  /** The provider under test, built through its plugin factory (`startProviderPlugin`). */
  provider: Provider<P>;
  /** The channel kind it must declare: "sms", "kakao", "email", "push". */
  channel: string;
  /** A valid call; the kit varies `context.messageId` and `context.idempotencyKey`. */
  call(context: Pick<SendContext, "messageId" | "idempotencyKey">): ProviderCall<P>;
  fake: {
    /** Requests the fake accepted as valid sends so far. A request breaking the contract is not counted. */
    accepted(): number;
    /** Requests the fake refused because they broke the vendor's contract: must stay 0. */
    contractViolations(): string[];
    /** Makes the fake answer the next send with the vendor's documented error of this kind. */
    failNext(kind: InjectedFailure): void;
    /**
     * The idempotency key the vendor saw on the last send, in the vendor's own format. Required when the
     * provider declares `idempotency: "key"`: the kit checks it is derived from Nudge's key, one to one.
     */
    lastIdempotencyKey?(): string | undefined;
  };
  /** The same provider pointed at an address where nothing listens. */
  refused?(): Promise<Provider<P>> | Provider<P>;
  /** A vendor webhook reporting delivery of a sent message, signed as the vendor signs it, and a tampered copy. */
  webhook?: {
    delivered(providerMessageId: string): WebhookRequest;
    tampered?(providerMessageId: string): WebhookRequest;
  };
  /** Failures the vendor documents; the kit injects each. All four by default. */
  failures?: InjectedFailure[];
  close(): Promise<void>;
}

let seq = 0;
function ids(tag: string): Pick<SendContext, "messageId" | "idempotencyKey"> {
  seq++;
  return { messageId: `msg-kit-${tag}-${seq}`, idempotencyKey: `enr-kit-${tag}-${seq}:step-1:sms` };
}

/**
 * The suite every provider passes against its fake vendor: its declaration, the request contract,
 * idempotency (keys derived from Nudge's, or lookup by Nudge's id), error classification (permanent,
 * unreachable, transient, rate limited, never reached), webhooks and polling.
 */
export function describeProviderConformance<P>(name: string, make: () => Promise<ProviderHarness<P>>): void {
  describe(`provider conformance: ${name}`, () => {
    let h: ProviderHarness<P>;
    beforeAll(async () => {
      h = await make();
    });
    afterAll(async () => {
      await h?.close();
    });
    const send = (context = ids("send")) => h.provider.send(h.call(context));

    it("declares its id, channel kind and idempotency support", () => {
      expect(h.provider.id).toMatch(/^[a-z0-9][a-z0-9._-]*$/);
      expect(h.provider.channel).toBe(h.channel);
      expect(["key", "lookup", "none"]).toContain(h.provider.idempotency);
      if (h.provider.idempotency === "key") expect(h.fake.lastIdempotencyKey, "idempotency \"key\" needs fake.lastIdempotencyKey").toBeTypeOf("function");
      if (h.provider.idempotency === "lookup") expect(h.provider.lookup, "idempotency \"lookup\" needs provider.lookup").toBeTypeOf("function");
    });

    it("sends a valid call that the fake vendor accepts under its documented contract", async () => {
      const before = h.fake.accepted();
      const result = await send();
      expect(result.providerMessageId).toBeTruthy();
      expect(h.fake.accepted()).toBe(before + 1);
      expect(h.fake.contractViolations()).toEqual([]);
    });

    it("derives the vendor's idempotency key from Nudge's, one to one", async (ctx) => {
      if (h.provider.idempotency !== "key") return ctx.skip(`idempotency is "${h.provider.idempotency}"`);
      const a = ids("idem");
      await send(a);
      const first = h.fake.lastIdempotencyKey!();
      expect(first).toBeTruthy();
      // A retry of the same message carries the same key, whatever its message id.
      await send({ ...a, messageId: `${a.messageId}-retry` });
      expect(h.fake.lastIdempotencyKey!()).toBe(first);
      await send(ids("idem"));
      expect(h.fake.lastIdempotencyKey!()).not.toBe(first);
    });

    it("finds a sent message by Nudge's ids, and nothing for one never sent", async (ctx) => {
      if (h.provider.idempotency !== "lookup") return ctx.skip(`idempotency is "${h.provider.idempotency}"`);
      const c = ids("lookup");
      const sent = await send(c);
      const call = h.call(c);
      const found = await h.provider.lookup!(call.context);
      expect(found?.providerMessageId).toBe(sent.providerMessageId);
      expect(await h.provider.lookup!(h.call(ids("never")).context)).toBeNull();
    });

    const failures = (): InjectedFailure[] => h.failures ?? ["permanent", "unreachable", "transient", "rate_limited"];
    for (const kind of ["permanent", "unreachable", "transient", "rate_limited"] as const) {
      it(`classifies the vendor's ${kind} error`, async (ctx) => {
        if (!failures().includes(kind)) return ctx.skip(`the vendor documents no ${kind} error`);
        h.fake.failNext(kind);
        const err = await send().then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(NudgeError);
        const e = err as NudgeError;
        if (kind === "permanent") expect(e instanceof ChannelRejectedError || e instanceof RecipientUnreachableError).toBe(true);
        if (kind === "unreachable") expect(e).toBeInstanceOf(RecipientUnreachableError);
        if (kind === "transient") expect(e).toBeInstanceOf(ChannelUnavailableError);
        if (kind === "rate_limited") expect(e).toBeInstanceOf(RateLimitedError);
        expect(e.retryable).toBe(kind === "transient" || kind === "rate_limited");
      });
    }

    it("reports a vendor it never reached as not sent, so the next provider may be tried", async (ctx) => {
      if (!h.refused) return ctx.skip("the harness has no refused variant");
      const provider = await h.refused();
      const err = await provider.send(h.call(ids("refused"))).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ChannelUnavailableError);
      expect((err as ChannelError).notSent).toBe(true);
    });

    it("parses a signed delivery report and refuses a tampered one", async (ctx) => {
      if (!h.webhook || !h.provider.parseWebhook) return ctx.skip("the provider takes no webhooks");
      const sent = await send();
      const result = await h.provider.parseWebhook(h.webhook.delivered(sent.providerMessageId!));
      expect(result.reports).toEqual(expect.arrayContaining([expect.objectContaining({ providerMessageId: sent.providerMessageId, status: "delivered" })]));
      // A bad signature is WebhookSignatureError (HTTP 401), never a ValidationError (400): the sender is not the vendor.
      if (h.webhook.tampered) await expect(h.provider.parseWebhook(h.webhook.tampered(sent.providerMessageId!))).rejects.toBeInstanceOf(WebhookSignatureError);
    });

    it("polls a sent message without failing", async (ctx) => {
      if (!h.provider.poll) return ctx.skip("the provider cannot be polled");
      const sent = await send();
      const report = await h.provider.poll(sent.providerMessageId!, sent.messageType);
      if (report !== null) {
        expect(report.providerMessageId).toBe(sent.providerMessageId);
        expect(["sent", "delivered", "failed"]).toContain(report.status);
      }
    });
  });
}
