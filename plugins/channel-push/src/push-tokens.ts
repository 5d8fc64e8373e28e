import type { z } from "zod";
import { ConflictError, PushToken, Tokens, ValidationError, type Clock, type Nudge, type Profile, type ProfileStore } from "@nudge/core";

const MAX_TOKENS = 20;
const MAX_CONFLICT_RETRIES = 5;

/** What an app sends to register a device: the token (or Web Push endpoint) and its platform. */
export const DeviceRegistration = PushToken.omit({ addedAt: true }).superRefine((t, ctx) => {
  if (t.platform === "web" && t.keys === undefined && /^https?:\/\//.test(t.token)) {
    ctx.addIssue({ code: "custom", path: ["keys"], message: "a Web Push subscription needs its keys (p256dh, auth)" });
  }
});
export type DeviceRegistration = z.input<typeof DeviceRegistration>;

/**
 * A person's devices, kept on their profile as push contact points. Hosts register tokens from their
 * own endpoint (`pushTokens(nudge).register(...)`); the push channel removes tokens vendors call dead.
 * Writes are read-modify-write with the store's optimistic concurrency, retried on conflict.
 */
export class PushTokens {
  constructor(
    private readonly workspace: string,
    private readonly profiles: ProfileStore,
    private readonly clock: Clock,
    private readonly resolveProfile?: (ref: { userId?: string; anonymousId?: string }) => Promise<Profile>,
  ) {}

  /** Registers a device for a person known by userId or anonymousId, creating the profile when new. */
  async registerFor(ref: { userId?: string; anonymousId?: string }, registration: DeviceRegistration): Promise<Profile | null> {
    if (!this.resolveProfile) throw new Error("registerFor needs a PushTokens made by pushTokens(nudge)");
    if (ref.userId === undefined && ref.anonymousId === undefined) {
      throw new ValidationError("push token", [{ path: "userId", message: "userId or anonymousId is required" }]);
    }
    return this.register((await this.resolveProfile(ref)).id, registration);
  }

  /** Adds (or refreshes) a device; a token once reported dead is usable again when registered anew. */
  async register(profileId: string, registration: DeviceRegistration): Promise<Profile | null> {
    const parsed = DeviceRegistration.safeParse(registration);
    if (!parsed.success) throw ValidationError.fromZod("push token", parsed.error);
    const device = { ...parsed.data, addedAt: this.clock.now() };
    return this.update(profileId, (p) => {
      const others = (p.contacts.push ?? []).filter((t) => t.token !== device.token);
      p.contacts.push = [...others, device].slice(-MAX_TOKENS);
      if (p.contacts.invalid?.[`push:${device.token}`]) {
        const { [`push:${device.token}`]: _gone, ...rest } = p.contacts.invalid;
        p.contacts.invalid = rest;
      }
      return p;
    });
  }

  /** Removes devices (a logout, or vendors reporting them dead) and remembers why. */
  async remove(profileId: string, dead: { token: string; reason: string }[]): Promise<Profile | null> {
    if (dead.length === 0) return null;
    const at = this.clock.now();
    return this.update(profileId, (p) => {
      const gone = new Set(dead.map((d) => d.token));
      p.contacts.push = (p.contacts.push ?? []).filter((t) => !gone.has(t.token));
      p.contacts.invalid = { ...(p.contacts.invalid ?? {}), ...Object.fromEntries(dead.map((d) => [`push:${d.token}`, { reason: d.reason, at }])) };
      return p;
    });
  }

  private async update(profileId: string, change: (p: Profile) => Profile): Promise<Profile | null> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.profiles.get(this.workspace, profileId);
      if (!current) return null;
      try {
        return await this.profiles.save({ ...change(structuredClone(current)), updatedAt: this.clock.now() });
      } catch (e) {
        if (!(e instanceof ConflictError) || attempt >= MAX_CONFLICT_RETRIES) throw e;
      }
    }
  }
}

/** The device registry of a running Nudge instance, for the host's "register this device" endpoint. */
export function pushTokens(nudge: Nudge): PushTokens {
  return new PushTokens(nudge.workspace, nudge.resolve(Tokens.ProfileStore), nudge.clock, (ref) => nudge.profiles.resolve(ref));
}
