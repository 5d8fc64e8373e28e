import { randomBytes, randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import type { InjectedFailure } from "@nudge/core/testkit";

export interface ReceivedMail {
  raw: Buffer;
  from: string;
  to: string[];
  sesId: string;
}

function smtpError(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

/**
 * A real SMTP server (smtp-server) on 127.0.0.1 that requires AUTH, keeps every message it accepts and
 * answers like Amazon SES: "250 Ok <ses-message-id>". `failNext` makes it answer the next message with
 * the documented reply: 550 at RCPT (unknown user), 451 at DATA, or SES's 454 throttling reply.
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  private next: InjectedFailure | null = null;
  private server: SMTPServer | null = null;
  port = 0;

  constructor(readonly user = "mailer", readonly pass = "s3cret-pass") {}

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
      onRcptTo: (_address, _session, cb) => {
        if (this.next === "permanent") {
          this.next = null;
          return cb(smtpError(550, "5.1.1 <jane@example.com>: Recipient address rejected: User unknown"));
        }
        cb();
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const failure = this.next;
          this.next = null;
          if (failure === "transient") return cb(smtpError(451, "4.3.0 Temporary local problem, try again"));
          if (failure === "rate_limited") return cb(smtpError(454, "Throttling failure: Maximum sending rate exceeded."));
          const sesId = `${randomBytes(8).toString("hex")}-${randomUUID()}-000000`;
          this.received.push({
            raw: Buffer.concat(chunks),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            sesId,
          });
          cb(null, `Ok ${sesId}`);
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
