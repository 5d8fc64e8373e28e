import { SandboxProvider, type Clock, type SandboxOutbox } from "@nudge/core";
import { failureFromError, type DeviceOutcome } from "../errors.js";
import type { DeviceSend, PushProvider } from "./push-provider.js";

/** The sandbox mode: each device's resolved content lands in the outbox, addressed to its token. */
export class SandboxPushProvider implements PushProvider {
  readonly name = "sandbox";
  private readonly sandbox: SandboxProvider;

  constructor(channelId: string, config: ConstructorParameters<typeof SandboxProvider>[1], outbox: SandboxOutbox, clock: Clock) {
    this.sandbox = new SandboxProvider(channelId, config, outbox, clock);
  }

  async init(): Promise<void> {}

  async send({ device, content, context }: DeviceSend): Promise<DeviceOutcome> {
    try {
      const r = await this.sandbox.send({ to: device.token, content: { platform: device.platform, ...content }, context }, `push:${device.platform}`);
      return { ok: true, id: r.providerMessageId! };
    } catch (e) {
      return failureFromError(e);
    }
  }

  async close(): Promise<void> {}
}
