import type { PushToken, SendContext } from "@nudge/core";
import type { ResolvedPush } from "../content.js";
import type { DeviceOutcome } from "../errors.js";

/** One device's send: the stored token, the content with its platform's overrides applied. */
export interface DeviceSend {
  device: PushToken;
  content: ResolvedPush;
  context: SendContext;
}

/** A push vendor. `send` never throws: every answer, network failure included, becomes an outcome. */
export interface PushProvider {
  readonly name: string;
  /** Checks keys and credentials without network I/O where possible; called from the plugin's `init`. */
  init(): Promise<void>;
  send(request: DeviceSend): Promise<DeviceOutcome>;
  /** Closes connections; safe to call twice. */
  close(): Promise<void>;
}
