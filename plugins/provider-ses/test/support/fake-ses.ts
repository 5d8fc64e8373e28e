import { randomBytes, randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerSession } from "smtp-server";
import type { InjectedFailure } from "@nudge/core/testkit";
import { testCertificate } from "./test-certificate.js";

export interface SesMail {
  raw: Buffer;
  from: string;
  to: string[];
  sesId: string;
  /** The X-SES-CONFIGURATION-SET header, when the message named one. */
  configurationSet: string | undefined;
}

function reply(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

/** The header section of a raw message, unfolded, as lower-case name -> value. */
function headersOf(raw: Buffer): Map<string, string> {
  const head = raw.toString("latin1").split(/\r\n\r\n/)[0] ?? "";
  const map = new Map<string, string>();
  for (const line of head.replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const i = line.indexOf(":");
    if (i > 0) map.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
  }
  return map;
}

/**
 * Plays the Amazon SES SMTP interface (https://docs.aws.amazon.com/ses/latest/dg/send-email-smtp.html) on
 * 127.0.0.1 with a real smtp-server: STARTTLS with a certificate the test trusts (`ca`), AUTH only over TLS
 * with the SMTP credentials, the sender's domain a verified identity, and the documented replies: "250 Ok
 * <message-id>", "554 Message rejected: Email address is not verified ...", "451 Temporary service
 * failure", "454 Throttling failure: Maximum sending rate exceeded."
 * (https://docs.aws.amazon.com/ses/latest/dg/troubleshoot-smtp.html). Requests breaking RFC 5321/5322
 * (no TLS, no From or Date header, lines over 998 octets, 8-bit data without 8BITMIME) are violations.
 */
export class FakeSes {
  readonly received: SesMail[] = [];
  readonly violations: string[] = [];
  readonly user = "AKIAIOSFODNN7EXAMPLE";
  readonly pass = "BExampleSesSmtpPassword0123456789abcdefghij";
  private readonly cert = testCertificate("email-smtp.test", ["127.0.0.1", "localhost"]);
  private next: InjectedFailure | null = null;
  private server: SMTPServer | null = null;
  port = 0;

  constructor(readonly verifiedDomains: string[] = ["acme.test"]) {}

  /** The PEM the provider must trust (its `ca` option) to talk TLS to this fake. */
  get ca(): string {
    return this.cert.pem;
  }

  async start(): Promise<this> {
    this.server = new SMTPServer({
      logger: false,
      key: this.cert.keyPem,
      cert: this.cert.pem,
      allowInsecureAuth: false,
      authMethods: ["PLAIN", "LOGIN"],
      onAuth: (auth, _session, cb) => {
        if (auth.username === this.user && auth.password === this.pass) cb(null, { user: auth.username });
        else cb(reply(535, "Authentication Credentials Invalid"));
      },
      onMailFrom: (address, session, cb) => {
        if (!session.secure) {
          this.violations.push("MAIL FROM without TLS");
          return cb(reply(530, "Must issue a STARTTLS command first"));
        }
        if (!this.verified(address.address)) return cb(reply(554, `Message rejected: Email address is not verified. The following identities failed the check in region AP-NORTHEAST-2: ${address.address}`));
        cb();
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const failure = this.next;
          this.next = null;
          const raw = Buffer.concat(chunks);
          const problems = this.check(raw, session);
          if (problems.length > 0) {
            this.violations.push(...problems);
            return cb(reply(554, `Transaction failed: ${problems[0]}`));
          }
          const from = /<([^<>\s]+)>\s*$/.exec(headersOf(raw).get("from") ?? "")?.[1] ?? headersOf(raw).get("from") ?? "";
          if (!this.verified(from)) return cb(reply(554, `Message rejected: Email address is not verified. The following identities failed the check in region AP-NORTHEAST-2: ${from}`));
          if (failure === "permanent") return cb(reply(554, "Message rejected: Email address is not verified. The following identities failed the check in region AP-NORTHEAST-2: news@acme.test"));
          if (failure === "transient") return cb(reply(451, "Temporary service failure"));
          if (failure === "rate_limited") return cb(reply(454, "Throttling failure: Maximum sending rate exceeded."));
          const sesId = `${randomBytes(8).toString("hex")}-${randomUUID()}-000000`;
          this.received.push({
            raw,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            sesId,
            configurationSet: headersOf(raw).get("x-ses-configuration-set"),
          });
          cb(null, `Ok ${sesId}`);
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  /** SES documents no recipient refusal at send time (bounces come later, through SNS). */
  failNext(kind: InjectedFailure): void {
    if (kind === "unreachable") throw new Error("Amazon SES documents no SMTP reply refusing a recipient");
    this.next = kind;
  }

  last(): SesMail {
    const m = this.received.at(-1);
    if (!m) throw new Error("no mail received");
    return m;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private verified(address: string): boolean {
    const domain = address.split("@")[1]?.toLowerCase() ?? "";
    return this.verifiedDomains.includes(domain) || this.verifiedDomains.includes(address.toLowerCase());
  }

  private check(raw: Buffer, session: SMTPServerSession): string[] {
    const problems: string[] = [];
    const headers = headersOf(raw);
    // RFC 5322 §3.6: the origination date and the originator are the only required fields.
    if (!headers.has("from")) problems.push("no From header");
    if (!headers.has("date")) problems.push("no Date header");
    if (raw.toString("latin1").split("\r\n").some((l) => l.length > 998)) problems.push("a line over 998 octets (RFC 5322 §2.1.1)");
    const body = (session.envelope.mailFrom && (session.envelope.mailFrom.args as Record<string, string> | false | undefined)) || {};
    if (raw.some((b) => b > 0x7f) && body["BODY"] !== "8BITMIME" && body["SMTPUTF8"] === undefined) problems.push("8-bit data without BODY=8BITMIME");
    return problems;
  }
}
