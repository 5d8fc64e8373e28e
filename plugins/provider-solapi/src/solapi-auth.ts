import { createHmac, randomBytes } from "node:crypto";

/**
 * Solapi's request signature (https://developers.solapi.com/references/authentication/api-key; the official
 * SDK builds it the same way in solapi/solapi-nodejs src/lib/authenticator.ts):
 * `Authorization: HMAC-SHA256 apiKey=<key>, date=<ISO 8601>, salt=<random>, signature=<hex HMAC-SHA256(secret, date + salt)>`.
 * The date must be within 15 minutes of Solapi's clock and a signature is accepted once, so each request
 * gets a fresh salt. node:crypto does the HMAC; the header is a one-line format, not worth a dependency.
 */
export function solapiSignature(apiSecret: string, date: string, salt: string): string {
  return createHmac("sha256", apiSecret).update(date + salt).digest("hex");
}

export function solapiAuthorization(apiKey: string, apiSecret: string, now: number, salt: string = randomSalt()): string {
  const date = new Date(now).toISOString();
  return `HMAC-SHA256 apiKey=${apiKey}, date=${date}, salt=${salt}, signature=${solapiSignature(apiSecret, date, salt)}`;
}

/** 32 alphanumeric characters (the docs ask for 12–64 bytes of randomness). */
export function randomSalt(): string {
  const alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  return Array.from(randomBytes(32), (b) => alphabet[b % alphabet.length]).join("");
}

/** Parses an Authorization header back into its fields (fake servers and tests verify with it). */
export function parseSolapiAuthorization(header: string): { apiKey: string; date: string; salt: string; signature: string } | null {
  const m = /^HMAC-SHA256 apiKey=([^,]+), date=([^,]+), salt=([^,]+), signature=([0-9a-f]{64})$/.exec(header);
  return m ? { apiKey: m[1]!, date: m[2]!, salt: m[3]!, signature: m[4]! } : null;
}
