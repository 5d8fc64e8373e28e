import type { PushToken } from "@nudge/core";
import type { PushProvider } from "./providers/push-provider.js";

export interface Providers {
  fcm?: PushProvider;
  apns?: PushProvider;
  webpush?: PushProvider;
  sandbox?: PushProvider;
}

/**
 * Which provider takes a device: the sandbox takes all; Android goes to FCM; iOS to APNs (or FCM with
 * `iosVia: "fcm"`, for apps whose iOS tokens come from the Firebase SDK); a web device with subscription
 * keys is a Web Push endpoint, one without keys a Firebase web token.
 */
export class PushRouter {
  constructor(
    private readonly providers: Providers,
    private readonly iosVia: "apns" | "fcm" | undefined,
  ) {}

  route(device: PushToken): PushProvider | null {
    const p = this.providers;
    if (p.sandbox) return p.sandbox;
    switch (device.platform) {
      case "android":
        return p.fcm ?? null;
      case "ios":
        return (this.iosVia === "fcm" ? p.fcm : (p.apns ?? p.fcm)) ?? null;
      case "web":
        return (device.keys ? p.webpush : p.fcm) ?? null;
    }
  }

  all(): PushProvider[] {
    return Object.values(this.providers).filter((p): p is PushProvider => p !== undefined);
  }

  /** "sandbox", or the vendors joined: "fcm+apns+webpush". */
  get name(): string {
    return this.all()
      .map((p) => p.name)
      .join("+");
  }
}
