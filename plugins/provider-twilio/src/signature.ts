import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Twilio's `X-Twilio-Signature`: base64 HMAC-SHA1 over the full callback URL followed by each POST
 * parameter name and value, sorted by name (https://www.twilio.com/docs/usage/webhooks/webhooks-security).
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, k) => acc + k + params[k], url);
  return createHmac("sha1", authToken).update(Buffer.from(data, "utf8")).digest("base64");
}

/** Constant-time comparison of two strings, byte for byte. */
export function sameBytes(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}
