import { verify, X509Certificate } from "node:crypto";
import type { Clock } from "@nudge/core";

/** The SNS envelope fields that take part in the signature. */
export interface SnsSigned {
  Type: string;
  MessageId: string;
  TopicArn: string;
  Message: string;
  Timestamp: string;
  Subject?: string | undefined;
  SubscribeURL?: string | undefined;
  Token?: string | undefined;
  SignatureVersion: string;
  Signature: string;
  SigningCertURL: string;
}

/**
 * The string SNS signs: "Name\nValue\n" for a fixed list of fields in a fixed order, which differs for
 * notifications and (un)subscribe confirmations; Subject only when present
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message-verify-message-signature.html).
 */
export function snsStringToSign(m: SnsSigned): string {
  const names =
    m.Type === "Notification"
      ? ["Message", "MessageId", ...(m.Subject !== undefined ? ["Subject"] : []), "Timestamp", "TopicArn", "Type"]
      : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];
  return names.map((n) => `${n}\n${String((m as unknown as Record<string, unknown>)[n] ?? "")}\n`).join("");
}

const MAX_CACHED = 20;

/**
 * Verifies SNS message signatures (SignatureVersion 1: RSA-SHA1, 2: RSA-SHA256) with the certificate at
 * SigningCertURL. Only URLs matching the trusted pattern are fetched (by default SNS's own https hosts),
 * which is how a forged message naming its own certificate is refused. Certificates are cached by URL.
 */
export class SnsSignatureVerifier {
  private readonly certs = new Map<string, X509Certificate>();
  private readonly trusted: RegExp;

  constructor(
    trustedUrlPattern: string,
    private readonly clock: Clock,
    private readonly timeoutMs = 5_000,
  ) {
    this.trusted = new RegExp(trustedUrlPattern);
  }

  isTrustedUrl(url: string): boolean {
    return this.trusted.test(url);
  }

  /** Resolves to a problem description, or null when the signature is good. */
  async check(m: SnsSigned): Promise<string | null> {
    const algorithm = m.SignatureVersion === "1" ? "sha1" : m.SignatureVersion === "2" ? "sha256" : null;
    if (!algorithm) return `unsupported SignatureVersion "${m.SignatureVersion}"`;
    if (!this.isTrustedUrl(m.SigningCertURL)) return "SigningCertURL is not a trusted SNS certificate URL";
    let cert: X509Certificate;
    try {
      cert = await this.certificate(m.SigningCertURL);
    } catch (e) {
      return `the signing certificate could not be loaded: ${e instanceof Error ? e.message : String(e)}`;
    }
    const now = this.clock.now();
    if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) return "the signing certificate is not valid now";
    const ok = verify(algorithm, Buffer.from(snsStringToSign(m), "utf8"), cert.publicKey, Buffer.from(m.Signature, "base64"));
    return ok ? null : "the signature does not match the message";
  }

  private async certificate(url: string): Promise<X509Certificate> {
    const cached = this.certs.get(url);
    if (cached) return cached;
    const res = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs), redirect: "error" });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const cert = new X509Certificate(await res.text());
    if (this.certs.size >= MAX_CACHED) this.certs.delete(this.certs.keys().next().value!);
    this.certs.set(url, cert);
    return cert;
  }
}
