import { createHash } from "node:crypto";
import { z } from "zod";
import {
  ChannelRejectedError,
  ChannelUnavailableError,
  RateLimitedError,
  RecipientUnreachableError,
} from "../errors.js";
import type { SendResult } from "../ports/channel.js";
import type { Clock } from "../ports/clock.js";
import type { Provider, ProviderCall } from "../ports/provider.js";
import type { SandboxOutbox } from "./sandbox-outbox.js";

export const SandboxFailure = z.enum(["permanent", "transient", "unreachable", "rate_limited"]);
export type SandboxFailure = z.infer<typeof SandboxFailure>;

/** How a sandbox provider fails, for retry and fallback tests. */
export const SandboxProviderConfig = z.object({
  /** Addresses that fail, and how. */
  failFor: z.record(z.string(), SandboxFailure).default({}),
  /** A share (0–1) of sends that fail, chosen deterministically from the message and attempt. */
  failRate: z.number().min(0).max(1).default(0),
  failKind: SandboxFailure.default("transient"),
});
export type SandboxProviderConfig = z.output<typeof SandboxProviderConfig>;

/**
 * The provider "sandbox" of every channel kind: records each send in the instance's outbox instead of
 * calling a vendor. Failures are injected by address or by rate, deterministically, so retry and
 * fallback tests are repeatable.
 */
export class SandboxProvider implements Provider<unknown> {
  readonly id = "sandbox";
  readonly idempotency = "key" as const;
  private seq = 0;

  constructor(
    readonly channel: string,
    private readonly config: SandboxProviderConfig,
    private readonly outbox: SandboxOutbox,
    private readonly clock: Clock,
  ) {}

  async send(call: ProviderCall<unknown>): Promise<SendResult> {
    const { context, messageType } = call;
    const failure = this.config.failFor[call.to] ?? (this.rolls(context.idempotencyKey, context.attempt) ? this.config.failKind : null);
    if (failure) throw sandboxError(failure, call.to);
    const providerMessageId = `sandbox-${context.channel}-${++this.seq}-${context.messageId}`;
    this.outbox.add({
      channel: context.channel,
      to: call.to,
      content: call.payload,
      messageId: context.messageId,
      idempotencyKey: context.idempotencyKey,
      attempt: context.attempt,
      at: this.clock.now(),
      providerMessageId,
      ...(messageType === undefined ? {} : { messageType }),
    });
    return { providerMessageId, status: "sent", ...(messageType === undefined ? {} : { messageType }) };
  }

  private rolls(key: string, attempt: number): boolean {
    if (this.config.failRate <= 0) return false;
    const h = createHash("sha1").update(`${key}#${attempt}`).digest();
    return h.readUInt32BE(0) / 0x1_0000_0000 < this.config.failRate;
  }
}

function sandboxError(kind: SandboxFailure, to: string): Error {
  const opts = { providerCode: `sandbox_${kind}` };
  switch (kind) {
    case "permanent":
      return new ChannelRejectedError(`sandbox: ${to} rejected`, opts);
    case "unreachable":
      return new RecipientUnreachableError(`sandbox: ${to} cannot be reached`, opts);
    case "rate_limited":
      return new RateLimitedError(`sandbox: rate limited`, { ...opts, retryAfterMs: 1000 });
    case "transient":
      return new ChannelUnavailableError(`sandbox: temporary failure for ${to}`, opts);
  }
}
