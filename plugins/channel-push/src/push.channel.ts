import {
  RecipientUnreachableError,
  ValidationError,
  type Channel,
  type Logger,
  type OutboundMessage,
  type Prepared,
  type Profile,
  type PushToken,
  type SendContext,
  type SendResult,
} from "@nudge/core";
import { PushContent, resolveFor } from "./content.js";
import { noDeviceAccepted, type DeviceFailure } from "./device-outcome.js";
import { pushContactKey } from "./errors.js";
import type { PushProvider } from "./push-provider.js";
import type { DeviceResult, PushRouter } from "./push-router.js";

interface Target {
  device: PushToken;
  /** The providers that take it, in failover order (never empty). */
  providers: readonly PushProvider[];
}

/**
 * The push channel: a person's devices are the push tokens on their profile. A send goes to every usable
 * device through its provider and reports each device; it fails only when no device accepted, and tokens
 * a vendor calls dead are returned as invalid contacts (on the result, or on the error when all failed).
 */
export class PushChannel implements Channel<PushContent> {
  readonly contentSchema = PushContent;

  constructor(
    readonly id: string,
    readonly providers: readonly string[],
    private readonly router: PushRouter,
    private readonly maxDevices: number,
    private readonly logger: Logger,
  ) {}

  /** Usable devices that some provider takes, newest first, one per token. */
  targets(profile: Profile): Target[] {
    const seen = new Set<string>();
    const out: Target[] = [];
    const devices = [...(profile.contacts.push ?? [])].sort((a, b) => (b.addedAt ?? 0) - (a.addedAt ?? 0));
    for (const device of devices) {
      if (seen.has(device.token) || profile.contacts.invalid?.[pushContactKey(device.token)]) continue;
      const providers = this.router.candidates(device);
      if (providers.length === 0) continue;
      seen.add(device.token);
      out.push({ device, providers });
    }
    return out.slice(0, this.maxDevices);
  }

  address(profile: Profile): string | null {
    return this.targets(profile)[0]?.device.token ?? null;
  }

  /** Refuses content too big for the vendor one of this person's devices goes to. */
  prepare(content: PushContent, context: SendContext): Prepared {
    for (const { device, providers } of this.targets(context.profile)) {
      const provider = providers[0]!;
      const size = provider.payloadSize?.(this.router.call(device, resolveFor(content, device.platform), context));
      if (size && size.bytes > size.limit) {
        throw new ValidationError("push content", [{ path: device.platform, message: `the ${provider.id} payload is ${size.bytes} bytes; the limit is ${size.limit}` }]);
      }
    }
    return { messageType: "push" };
  }

  async send({ content, context }: OutboundMessage<PushContent>): Promise<SendResult> {
    const targets = this.targets(context.profile);
    if (targets.length === 0) throw new RecipientUnreachableError("the person has no usable push token", { providerCode: "NO_DEVICE" });
    const results = await Promise.all(targets.map(({ device, providers }) => this.router.send(device, providers, resolveFor(content, device.platform), context)));
    const devices = results.map(describe);
    const failures = results.filter((r): r is DeviceResult & { outcome: DeviceFailure } => !r.outcome.ok);
    const invalidContacts = failures.filter((r) => r.outcome.kind === "dead").map((r) => ({ key: pushContactKey(r.device.token), reason: `${r.provider}: ${r.outcome.code}` }));
    for (const f of failures) this.logger.info({ provider: f.provider, platform: f.device.platform, code: f.outcome.code, kind: f.outcome.kind }, "push device failed");

    const accepted = results.find((r) => r.outcome.ok);
    if (accepted?.outcome.ok) {
      return {
        provider: this.usedProviders(results),
        providerMessageId: accepted.outcome.id,
        status: "sent",
        messageType: "push",
        providerCode: `${results.length - failures.length}/${results.length}`,
        details: { devices },
        ...(invalidContacts.length ? { invalidContacts } : {}),
      };
    }
    // Dead tokens travel on the error too: the engine marks them invalid whether the send succeeded or not.
    throw noDeviceAccepted(
      failures.map((f) => f.outcome),
      { devices },
      invalidContacts,
    );
  }

  /** Logs platforms no provider serves, so a missing provider plugin shows at start rather than as skipped devices. */
  checkPlatforms(): void {
    const unserved = this.router.unserved();
    if (unserved.length > 0) this.logger.info({ channel: this.id, providers: this.providers, unserved }, `push: no provider serves ${unserved.join(", ")}; those devices are skipped`);
  }

  /** The providers that answered for some device, in the configured order: "fcm+apns+webpush". */
  private usedProviders(results: DeviceResult[]): string {
    const used = new Set(results.map((r) => r.provider));
    return this.providers.filter((id) => used.has(id)).join("+");
  }
}

/** What the delivery record keeps per device: a token suffix (enough to tell devices apart), never the token. */
function describe(r: DeviceResult): Record<string, unknown> {
  const base = { device: `…${r.device.token.slice(-12)}`, platform: r.device.platform, provider: r.provider, ...(r.tried ? { tried: r.tried } : {}) };
  if (r.outcome.ok) return { ...base, status: "sent", id: r.outcome.id };
  return { ...base, status: r.outcome.kind === "dead" ? "invalid" : "failed", code: r.outcome.code, retryable: r.outcome.kind === "transient" || r.outcome.kind === "rate_limited" };
}
