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
import { noDeviceAccepted, type DeviceFailure, type DeviceOutcome } from "./errors.js";
import { apnsRequest } from "./providers/apns-request.js";
import { fcmMessage } from "./providers/fcm-message.js";
import type { PushProvider } from "./providers/push-provider.js";
import { payloadOf } from "./providers/webpush.provider.js";
import type { PushRouter } from "./push-router.js";

interface DeviceResult {
  device: PushToken;
  provider: string;
  outcome: DeviceOutcome;
}

// APNs and FCM take 4096-byte payloads; Web Push 4096 bytes of record, i.e. 3993 bytes of plaintext once
// the aes128gcm header (86), tag (16) and padding delimiter (1) are taken off (RFC 8291 §4, RFC 8188 §2).
const LIMITS = { apns: 4096, fcm: 4096, webpush: 3993 } as const;

/**
 * The push channel: a person's devices are the push tokens on their profile. A send goes to every usable
 * device through its provider and reports each device; it fails only when no device accepted, and tokens
 * a vendor calls dead are returned as invalid contacts (or removed here when the send fails outright).
 */
export class PushChannel implements Channel<PushContent> {
  readonly contentSchema = PushContent;
  readonly provider: string;

  constructor(
    readonly id: string,
    private readonly router: PushRouter,
    private readonly maxDevices: number,
    private readonly logger: Logger,
  ) {
    this.provider = router.name;
  }

  /** Usable devices with a provider, newest first, one per token. */
  targets(profile: Profile): { device: PushToken; provider: PushProvider }[] {
    const seen = new Set<string>();
    const out: { device: PushToken; provider: PushProvider }[] = [];
    const devices = [...(profile.contacts.push ?? [])].sort((a, b) => (b.addedAt ?? 0) - (a.addedAt ?? 0));
    for (const device of devices) {
      if (seen.has(device.token) || profile.contacts.invalid?.[`push:${device.token}`]) continue;
      const provider = this.router.route(device);
      if (!provider) continue;
      seen.add(device.token);
      out.push({ device, provider });
    }
    return out.slice(0, this.maxDevices);
  }

  address(profile: Profile): string | null {
    return this.targets(profile)[0]?.device.token ?? null;
  }

  /** Refuses content too big for a vendor one of this person's devices uses. */
  prepare(content: PushContent, context: SendContext): Prepared {
    for (const { device, provider } of this.targets(context.profile)) {
      const c = resolveFor(content, device.platform);
      const vendor = provider.name as keyof typeof LIMITS;
      if (!(vendor in LIMITS)) continue;
      const body =
        vendor === "apns" ? apnsRequest(c, "topic", "k", device.token, context.now).payload : vendor === "fcm" ? JSON.stringify(fcmMessage(device, c, context.now)) : JSON.stringify(payloadOf(c));
      const bytes = Buffer.byteLength(body) - (vendor === "fcm" ? Buffer.byteLength(device.token) : 0);
      if (bytes > LIMITS[vendor]) {
        throw new ValidationError("push content", [{ path: device.platform, message: `the ${vendor} payload is ${bytes} bytes; the limit is ${LIMITS[vendor]}` }]);
      }
    }
    return { messageType: "push" };
  }

  async send({ content, context }: OutboundMessage<PushContent>): Promise<SendResult> {
    const targets = this.targets(context.profile);
    if (targets.length === 0) throw new RecipientUnreachableError("the person has no usable push token", { providerCode: "NO_DEVICE" });
    const results: DeviceResult[] = await Promise.all(
      targets.map(async ({ device, provider }) => ({ device, provider: provider.name, outcome: await provider.send({ device, content: resolveFor(content, device.platform), context }) })),
    );
    const devices = results.map(describe);
    const failures = results.filter((r): r is DeviceResult & { outcome: DeviceFailure } => !r.outcome.ok);
    const dead = failures.filter((r) => r.outcome.kind === "dead");
    const invalidContacts = dead.map((r) => ({ key: `push:${r.device.token}`, reason: `${r.provider}: ${r.outcome.code}` }));
    for (const f of failures) this.logger.info({ provider: f.provider, platform: f.device.platform, code: f.outcome.code, kind: f.outcome.kind }, "push device failed");

    const accepted = results.find((r) => r.outcome.ok);
    if (accepted?.outcome.ok) {
      return {
        providerMessageId: accepted.outcome.id,
        status: "sent",
        messageType: "push",
        providerCode: `${results.length - failures.length}/${results.length}`,
        details: { devices },
        ...(invalidContacts.length ? { invalidContacts } : {}),
      };
    }
    // Dead tokens travel on the error too: the engine marks them invalid whether the send succeeded or not.
    throw noDeviceAccepted(failures.map((f) => f.outcome), { devices }, invalidContacts);
  }

  async init(): Promise<void> {
    for (const p of this.router.all()) await p.init();
  }

  async close(): Promise<void> {
    for (const p of this.router.all()) await p.close();
  }

}

/** What the delivery record keeps per device: a token suffix (enough to tell devices apart), never the token. */
function describe(r: DeviceResult): Record<string, unknown> {
  const base = { device: `…${r.device.token.slice(-12)}`, platform: r.device.platform, provider: r.provider };
  if (r.outcome.ok) return { ...base, status: "sent", id: r.outcome.id };
  return { ...base, status: r.outcome.kind === "dead" ? "invalid" : "failed", code: r.outcome.code, retryable: r.outcome.kind === "transient" || r.outcome.kind === "rate_limited" };
}
