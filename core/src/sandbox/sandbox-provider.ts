import { createHash } from "node:crypto";
import { z } from "zod";
import {
  ChannelRejectedError,
  ChannelUnavailableError,
  RateLimitedError,
  RecipientUnreachableError,
} from "../errors.js";
import type { OutboundMessage, SendResult } from "../ports/channel.js";
import type { Clock } from "../ports/clock.js";
import type { SandboxOutbox } from "./sandbox-outbox.js";

export const SandboxFailure = z.enum(["permanent", "transient", "unreachable", "rate_limited"]);
export type SandboxFailure = z.infer<typeof SandboxFailure>;

/** The sandbox provider mode every channel offers: `{ provider: "sandbox", ... }` in its config. */
export const SandboxConfig = z.object({
  provider: z.literal("sandbox"),
  /** Addresses that fail, and how. */
  failFor: z.record(z.string(), SandboxFailure).default({}),
  /** A share (0–1) of sends that fail, chosen deterministically from the message and attempt. */
  failRate: z.number().min(0).max(1).default(0),
  failKind: SandboxFailure.default("transient"),
});
export type SandboxConfig = z.infer<typeof SandboxConfig>;

/**
 * Records each send in the instance's outbox instead of calling a vendor. Failures are injected by
 * address or by rate, deterministically, so retry and fallback tests are repeatable.
 */
export class SandboxProvider {
  private seq = 0;

  constructor(
    private readonly channel: string,
    private readonly config: SandboxConfig,
    private readonly outbox: SandboxOutbox,
    private readonly clock: Clock,
  ) {}

  async send<C>(message: OutboundMessage<C>, messageType?: string): Promise<SendResult> {
    const { context } = message;
    const failure = this.config.failFor[message.to] ?? (this.rolls(context.idempotencyKey, context.attempt) ? this.config.failKind : null);
    if (failure) throw sandboxError(failure, message.to);
    const providerMessageId = `sandbox-${this.channel}-${++this.seq}-${context.messageId}`;
    this.outbox.add({
      channel: this.channel,
      to: message.to,
      content: message.content,
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
