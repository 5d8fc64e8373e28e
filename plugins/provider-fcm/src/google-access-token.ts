import { z } from "zod";
import { importPKCS8, SignJWT } from "jose";
import { ChannelRejectedError, ChannelUnavailableError, type Clock } from "@nudge/core";

const SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
const GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/** Refresh this long before Google's expiry, so a token never expires in flight. */
const MARGIN_MS = 5 * 60_000;

const TokenResponse = z.object({ access_token: z.string().min(1), expires_in: z.number().positive(), token_type: z.string().optional() });

export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string | undefined;
}

/**
 * An OAuth2 access token for a service account, by the JWT bearer grant
 * (https://developers.google.com/identity/protocols/oauth2/service-account#httprest): an RS256 assertion
 * {iss, scope, aud, iat, exp} signed with the key file's private key, exchanged at the token URL.
 * Cached until five minutes before it expires, by the injected clock; concurrent callers share one fetch.
 * Every failure here is `notSent`: no message has been posted yet.
 * Hand-written over google-auth-library because that pulls in a large tree and reads the system clock.
 */
export class GoogleAccessToken {
  private key: Awaited<ReturnType<typeof importPKCS8>> | null = null;
  private token: { value: string; expiresAt: number } | null = null;
  private inflight: Promise<string> | null = null;

  constructor(
    private readonly account: ServiceAccountKey,
    private readonly tokenUrl: string,
    private readonly clock: Clock,
    private readonly timeoutMs: number,
  ) {}

  /** Imports the key: a malformed private_key fails at boot, not at the first message. */
  async init(): Promise<void> {
    this.key = await importPKCS8(this.account.private_key, "RS256");
  }

  async get(): Promise<string> {
    if (this.token && this.clock.now() < this.token.expiresAt - MARGIN_MS) return this.token.value;
    this.inflight ??= this.fetch().finally(() => (this.inflight = null));
    return this.inflight;
  }

  /** Drops the cached token (after a 401), so the next `get` fetches a new one. */
  invalidate(): void {
    this.token = null;
  }

  private async fetch(): Promise<string> {
    this.key ??= await importPKCS8(this.account.private_key, "RS256");
    const iat = Math.floor(this.clock.now() / 1000);
    const assertion = await new SignJWT({ scope: SCOPE })
      .setProtectedHeader({ alg: "RS256", typ: "JWT", ...(this.account.private_key_id ? { kid: this.account.private_key_id } : {}) })
      .setIssuer(this.account.client_email)
      .setAudience(this.tokenUrl)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 3600)
      .sign(this.key);
    let res: Response;
    try {
      res = await fetch(this.tokenUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: GRANT_TYPE, assertion }).toString(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw new ChannelUnavailableError("the FCM access token could not be fetched", { providerCode: "OAUTH_NETWORK", cause: e, notSent: true });
    }
    const text = await res.text();
    if (!res.ok) {
      const error = /"error"\s*:\s*"([^"]+)"/.exec(text)?.[1] ?? `HTTP_${res.status}`;
      const Err = res.status >= 500 || res.status === 429 ? ChannelUnavailableError : ChannelRejectedError;
      throw new Err(`the service account was refused an access token (${error}); check the fcm plugin's serviceAccount`, { providerCode: `OAUTH_${error}`, notSent: true });
    }
    const parsed = TokenResponse.safeParse(safeJson(text));
    if (!parsed.success) throw new ChannelUnavailableError("the token endpoint answered an unexpected body", { providerCode: "OAUTH_BAD_RESPONSE", notSent: true });
    this.token = { value: parsed.data.access_token, expiresAt: this.clock.now() + parsed.data.expires_in * 1000 };
    return this.token.value;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
