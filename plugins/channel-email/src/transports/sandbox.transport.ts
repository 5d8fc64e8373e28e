import { SandboxProvider, type Clock, type SandboxOutbox, type SendContext, type SendResult } from "@nudge/core";
import type { ComposedEmail } from "../email-composer.js";
import type { EmailTransport } from "./email-transport.js";

/** The sandbox mode: the composed message (headers, both parts) lands in the instance's outbox. */
export class SandboxTransport implements EmailTransport {
  readonly name = "sandbox";
  private readonly provider: SandboxProvider;

  constructor(channelId: string, config: ConstructorParameters<typeof SandboxProvider>[1], outbox: SandboxOutbox, clock: Clock) {
    this.provider = new SandboxProvider(channelId, config, outbox, clock);
  }

  async init(): Promise<void> {}

  async send(mail: ComposedEmail, context: SendContext): Promise<SendResult> {
    const headers = Object.fromEntries(Object.entries(mail.headers).map(([k, v]) => [k, typeof v === "string" ? v : v.value]));
    const content = { ...mail, headers };
    const result = await this.provider.send({ to: mail.to, content, context }, "email");
    return { ...result, details: { messageId: mail.messageId } };
  }

  async close(): Promise<void> {}
}
