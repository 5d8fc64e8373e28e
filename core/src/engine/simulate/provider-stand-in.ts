import type { Clock } from "../../ports/clock.js";
import type { Provider } from "../../ports/provider.js";
import type { SandboxOutbox } from "../../sandbox/sandbox-outbox.js";
import { SandboxProvider, SandboxProviderConfig } from "../../sandbox/sandbox-provider.js";

/**
 * What a provider does that reaches its vendor (or paces calls to it in real time): a stand-in has none of
 * it. `send` is answered by a sandbox; the rest is absent, as on a provider that cannot poll or take webhooks.
 */
const VENDOR_MEMBERS = new Set<PropertyKey>(["lookup", "poll", "parseWebhook", "init", "close", "rateLimit"]);

/**
 * The provider a simulation uses in place of `live`. The core's sandbox provider is kept as it is (its
 * `failFor`, `failRate` and `failKind` are the host's test settings). A vendor's provider keeps its id and
 * what it declares to its channel (message limits, `issues`, idempotency), so the channel checks and plans
 * the message as in production, but `send` only records in the throwaway instance's outbox: a simulation
 * never calls a vendor.
 */
export function providerStandIn(live: Provider, outbox: SandboxOutbox, clock: Clock): Provider {
  if (live instanceof SandboxProvider) return live;
  const sandbox = new SandboxProvider(live.channel, SandboxProviderConfig.parse({}), outbox, clock);
  const send: Provider["send"] = (call) => sandbox.send(call);
  // A Proxy rather than a copy: a channel kind's provider contract adds members the core does not know
  // (sms `images`, kakao `issues` ...), and they must read as on the live provider.
  return new Proxy(live, {
    get(target, prop) {
      if (prop === "send") return send;
      if (VENDOR_MEMBERS.has(prop)) return undefined;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    has(target, prop) {
      return prop === "send" || (!VENDOR_MEMBERS.has(prop) && Reflect.has(target, prop));
    },
  });
}
