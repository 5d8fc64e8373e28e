import { generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";

// Minimal DER writer for self-signed test certificates: node:crypto verifies X.509 but cannot issue
// one, and the packages that can (node-forge ...) are not dependencies of this plugin.
function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let x = n; x > 0; x >>= 8) bytes.unshift(x & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));
function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split(".").map(Number) as [number, number, ...number[]];
  const out = [40 * a + b];
  for (const v of rest) {
    const chunk = [v & 0x7f];
    for (let x = v >> 7; x > 0; x >>= 7) chunk.unshift((x & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}
const utcTime = (d: Date) => tlv(0x17, Buffer.from(d.toISOString().replace(/[-:T]/g, "").slice(2, 14) + "Z"));

/** subjectAltName (RFC 5280 §4.2.1.6): dNSName [2] and iPAddress [7] entries, so TLS host checks pass. */
function subjectAltName(names: string[]): Buffer {
  const entries = names.map((n) => (/^\d+\.\d+\.\d+\.\d+$/.test(n) ? tlv(0x87, Buffer.from(n.split(".").map(Number))) : tlv(0x82, Buffer.from(n))));
  return seq(oid("2.5.29.17"), tlv(0x04, seq(...entries)));
}

/**
 * A self-signed RSA certificate (sha256WithRSAEncryption), valid 2020–2049, and its private key. With
 * `altNames` (e.g. ["127.0.0.1", "localhost"]) it can serve TLS to a client that trusts it as a CA.
 */
export function testCertificate(commonName = "sns.test", altNames: string[] = []): { pem: string; keyPem: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const alg = seq(oid("1.2.840.113549.1.1.11"), Buffer.from([0x05, 0x00]));
  const name = seq(set(seq(oid("2.5.4.3"), tlv(0x0c, Buffer.from(commonName)))));
  const serial = randomBytes(8);
  // DER wants a positive INTEGER in its shortest form: a leading 0x00 byte followed by a byte below 0x80
  // is "illegal padding" to OpenSSL, so the first byte is kept in 0x01..0x7f.
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))),
    tlv(0x02, serial),
    alg,
    name,
    seq(utcTime(new Date("2020-01-01T00:00:00Z")), utcTime(new Date("2049-12-31T00:00:00Z"))),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    ...(altNames.length > 0 ? [tlv(0xa3, seq(subjectAltName(altNames)))] : []),
  );
  const signature = sign("sha256", tbs, privateKey);
  const der = seq(tbs, alg, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const pem = `-----BEGIN CERTIFICATE-----\n${der.toString("base64").match(/.{1,64}/g)!.join("\n")}\n-----END CERTIFICATE-----\n`;
  return { pem, keyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), privateKey };
}
