import { BootError, ChannelError, NudgeError } from "../errors.js";
import type { SendResult } from "../ports/channel.js";
import type { Logger } from "../ports/logger.js";
import type { Provider, ProviderCall, ProviderSet } from "../ports/provider.js";

/** A ProviderSet handed out during registration and filled once every plugin has registered. */
class BoundProviderSet<P extends Provider> implements ProviderSet<P> {
  private providers: P[] | null = null;

  constructor(
    readonly kind: string,
    readonly ids: readonly string[],
    readonly requestedBy: string,
  ) {}

  fill(providers: P[]): void {
    this.providers = providers;
  }

  list(): readonly P[] {
    if (!this.providers) {
      throw new NudgeError("NUDGE_PROVIDERS_NOT_BOUND", `the ${this.kind} providers of "${this.requestedBy}" are bound once every plugin has registered`);
    }
    return this.providers;
  }

  get(id: string): P | undefined {
    return this.list().find((p) => p.id === id);
  }

  async send(call: ProviderCall<P extends Provider<infer Q> ? Q : never>): Promise<SendResult & { provider: string }> {
    const providers = this.list();
    for (let i = 0; ; i++) {
      const provider = providers[i]!;
      try {
        const result = await provider.send(call as ProviderCall<unknown>);
        return { ...result, provider: provider.id };
      } catch (e) {
        // Only an error proving the vendor did not act moves on: anything else might have been sent.
        const last = i === providers.length - 1;
        if (last || !(e instanceof ChannelError) || !e.notSent) throw e;
      }
    }
  }
}

/** What a `kind: "provider"` plugin registered, with the plugin that did. */
export interface RegisteredProvider {
  provider: Provider;
  pluginId: string;
}

/**
 * Keeps the provider sets channels asked for during registration, then checks and fills them: two
 * providers with one `channel/id` fail at boot, and so does a channel naming a provider nobody registered.
 * "sandbox" needs no plugin: `makeSandbox(kind)` supplies a default one.
 */
export class ProviderSets {
  private readonly requests: BoundProviderSet<Provider>[] = [];

  request<P extends Provider>(requestedBy: string, kind: string, ids: readonly string[]): ProviderSet<P> {
    if (ids.length === 0) {
      throw new BootError("NUDGE_NO_PROVIDERS", `"${requestedBy}" lists no ${kind} provider: name at least one (or "sandbox")`, { pluginId: requestedBy });
    }
    const dup = ids.find((id, i) => ids.indexOf(id) !== i);
    if (dup !== undefined) {
      throw new BootError("NUDGE_DUPLICATE_PROVIDER", `"${requestedBy}" lists the ${kind} provider "${dup}" twice`, { pluginId: requestedBy, provider: dup });
    }
    const set = new BoundProviderSet<Provider>(kind, [...ids], requestedBy);
    this.requests.push(set);
    return set as unknown as ProviderSet<P>;
  }

  bind(registered: readonly RegisteredProvider[], makeSandbox: (kind: string) => Provider, logger: Logger): void {
    const byKey = new Map<string, RegisteredProvider>();
    for (const r of registered) {
      const key = `${r.provider.channel}/${r.provider.id}`;
      const other = byKey.get(key);
      if (other) {
        throw new BootError(
          "NUDGE_DUPLICATE_PROVIDER",
          `plugins "${other.pluginId}" and "${r.pluginId}" both register the ${r.provider.channel} provider "${r.provider.id}"; keep one of them`,
          { provider: key, plugins: [other.pluginId, r.pluginId] },
        );
      }
      byKey.set(key, r);
    }
    const used = new Set<string>();
    for (const set of this.requests) {
      const providers = set.ids.map((id) => {
        const key = `${set.kind}/${id}`;
        used.add(key);
        const found = byKey.get(key);
        if (found) return found.provider;
        if (id === "sandbox") return makeSandbox(set.kind);
        const known = registered.filter((r) => r.provider.channel === set.kind).map((r) => `"${r.provider.id}"`);
        throw new BootError(
          "NUDGE_MISSING_PROVIDER",
          `"${set.requestedBy}" uses the ${set.kind} provider "${id}", which no plugin registers ` +
            `(registered ${set.kind} providers: ${known.length ? known.join(", ") : "none"}; add its provider plugin to plugins)`,
          { pluginId: set.requestedBy, provider: key },
        );
      });
      set.fill(providers);
      const sandbox = providers.some((p) => p.id === "sandbox");
      logger.info(
        { plugin: set.requestedBy, providers: set.ids },
        `${set.kind} providers of ${set.requestedBy}: ${set.ids.join(" → ")}${sandbox ? " (sandbox: nothing leaves this process)" : ""}`,
      );
    }
    for (const [key, r] of byKey) {
      if (!used.has(key)) logger.warn({ plugin: r.pluginId, provider: key }, `provider ${key} is registered but no channel uses it`);
    }
  }
}
