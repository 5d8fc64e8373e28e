import { randomBytes, randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerSession } from "smtp-server";
import type { InjectedFailure } from "@nudge/core/testkit";

export interface ReceivedMail {
  raw: Buffer;
  from: string;
  to: string[];
  /** The id the sink answered with: SES's format with `reply: "ses"`, a queue id otherwise. */
  replyId: string;
}

export interface SmtpSinkOptions {
  user?: string;
  pass?: string;
  /** "ses" answers "250 Ok <ses-message-id>" like Amazon SES; "postfix" answers "250 2.0.0 Ok: queued as <id>". */
  reply?: "ses" | "postfix";
}

function smtpError(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

/**
 * A real SMTP server (smtp-server) on 127.0.0.1 that requires AUTH and keeps every message it accepts.
 * `failNext` makes it answer the next message with an RFC 5321 reply: 550 5.1.1 to RCPT TO (unknown
 * user), 554 5.6.0 to DATA (rejected), 451 4.3.0 to DATA (try again), or SES's "454 Throttling failure".
 * Messages breaking RFC 5322 (no From or Date header, lines over 998 octets, 8-bit data without
 * 8BITMIME) are refused and recorded as violations.
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  readonly violations: string[] = [];
  readonly user: string;
  readonly pass: string;
  private readonly reply: "ses" | "postfix";
  private next: InjectedFailure | null = null;
  private server: SMTPServer | null = null;
  port = 0;

  constructor(options: SmtpSinkOptions = {}) {
    this.user = options.user ?? "mailer";
    this.pass = options.pass ?? "s3cret-pass";
    this.reply = options.reply ?? "ses";
  }

  async start(): Promise<this> {
    this.server = new SMTPServer({
      logger: false,
      disabledCommands: ["STARTTLS"],
      allowInsecureAuth: true,
      authMethods: ["PLAIN", "LOGIN"],
      onAuth: (auth, _session, cb) => {
        if (auth.username === this.user && auth.password === this.pass) cb(null, { user: auth.username });
        else cb(smtpError(535, "5.7.8 Authentication credentials invalid"));
      },
      onRcptTo: (address, _session, cb) => {
        if (this.next === "unreachable") {
          this.next = null;
          return cb(smtpError(550, `5.1.1 <${address.address}>: Recipient address rejected: User unknown`));
        }
        cb();
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const failure = this.next;
          this.next = null;
          const raw = Buffer.concat(chunks);
          const problems = check(raw, session);
          if (problems.length > 0) {
            this.violations.push(...problems);
            return cb(smtpError(554, `5.6.0 ${problems[0]}`));
          }
          if (failure === "permanent") return cb(smtpError(554, "5.6.0 Message rejected: content not accepted"));
          if (failure === "transient") return cb(smtpError(451, "4.3.0 Temporary local problem, try again"));
          if (failure === "rate_limited") return cb(smtpError(454, "Throttling failure: Maximum sending rate exceeded."));
          const replyId = this.reply === "ses" ? `${randomBytes(8).toString("hex")}-${randomUUID()}-000000` : randomBytes(6).toString("hex").toUpperCase();
          this.received.push({
            raw,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            replyId,
          });
          cb(null, this.reply === "ses" ? `Ok ${replyId}` : `2.0.0 Ok: queued as ${replyId}`);
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  failNext(kind: InjectedFailure): void {
    this.next = kind;
  }

  last(): ReceivedMail {
    const m = this.received.at(-1);
    if (!m) throw new Error("no mail received");
    return m;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** RFC 5322 checks on a received message: required fields, line length, and 7-bit data unless 8BITMIME was declared. */
function check(raw: Buffer, session: SMTPServerSession): string[] {
  const problems: string[] = [];
  const text = raw.toString("latin1");
  const head = (text.split(/\r\n\r\n/)[0] ?? "").replace(/\r\n[ \t]+/g, " ");
  // RFC 5322 §3.6: the origination date and the originator are the only required fields.
  if (!/^From:/im.test(head)) problems.push("no From header");
  if (!/^Date:/im.test(head)) problems.push("no Date header");
  if (text.split("\r\n").some((l) => l.length > 998)) problems.push("a line over 998 octets (RFC 5322 §2.1.1)");
  const args = (session.envelope.mailFrom && (session.envelope.mailFrom.args as Record<string, string> | false | undefined)) || {};
  if (raw.some((b) => b > 0x7f) && args["BODY"] !== "8BITMIME" && args["SMTPUTF8"] === undefined) problems.push("8-bit data without BODY=8BITMIME");
  return problems;
}
