import { importPKCS8, SignJWT } from "jose";
import type { Clock } from "@nudge/core";

const MIN_AGE_MS = 20 * 60_000;

/**
 * The APNs provider token: an ES256 JWT with header {alg, kid} and claims {iss: team id, iat}
 * (https://developer.apple.com/documentation/usernotifications/establishing-a-token-based-connection-to-apns).
 * Apple asks for one token reused across requests, replaced no more often than every 20 minutes and
 * before it is an hour old (older ones get 403 ExpiredProviderToken; churn gets 429
 * TooManyProviderTokenUpdates), so it is replaced at `refreshMinutes` of age by the injected clock.
 */
export class ApnsProviderToken {
  private key: Awaited<ReturnType<typeof importPKCS8>> | null = null;
  private jwt: { value: string; issuedAt: number } | null = null;
  private inflight: Promise<string> | null = null;

  constructor(
    private readonly settings: { teamId: string; keyId: string; privateKey: string; refreshMinutes: number },
    private readonly clock: Clock,
  ) {}

  /** Imports the .p8 key: a malformed key fails at boot. */
  async init(): Promise<void> {
    this.key = await importPKCS8(this.settings.privateKey, "ES256");
  }

  async current(): Promise<string> {
    if (this.jwt && this.clock.now() - this.jwt.issuedAt < this.settings.refreshMinutes * 60_000) return this.jwt.value;
    this.inflight ??= this.sign().finally(() => (this.inflight = null));
    return this.inflight;
  }

  /** After 403 ExpiredProviderToken: replace the token, unless it is younger than 20 minutes. */
  expire(): boolean {
    if (!this.jwt || this.clock.now() - this.jwt.issuedAt < MIN_AGE_MS) return false;
    this.jwt = null;
    return true;
  }

  private async sign(): Promise<string> {
    this.key ??= await importPKCS8(this.settings.privateKey, "ES256");
    const now = this.clock.now();
    const value = await new SignJWT({})
      .setProtectedHeader({ alg: "ES256", kid: this.settings.keyId })
      .setIssuer(this.settings.teamId)
      .setIssuedAt(Math.floor(now / 1000))
      .sign(this.key);
    this.jwt = { value, issuedAt: now };
    return value;
  }
}
