import "reflect-metadata";
import type { DependencyContainer } from "tsyringe";
import { Lifecycle } from "tsyringe";
import { BootError } from "../errors.js";
import { tokenInfo, type Token } from "../tokens.js";
import type { Clock } from "../ports/clock.js";
import type { Logger } from "../ports/logger.js";
import type { Provider, ProviderSet } from "../ports/provider.js";
import { assertInjectable } from "./check-injection.js";
import { ProviderSets } from "./provider-sets.js";

export type Constructor<T> = new (...args: never[]) => T;

/** What a plugin sees of its Nudge instance: a narrow window onto the instance's own child container. */
export interface PluginContext {
  readonly pluginId: string;
  readonly workspace: string;
  /** The workspace's IANA time zone (`settings.timezone`): local times of people without one. */
  readonly timezone: string;
  readonly logger: Logger;
  readonly clock: Clock;
  registerInstance<T>(token: Token<T>, value: T): void;
  /** A class built once per instance; every constructor parameter needs `@inject(Tokens.X)`. */
  registerSingleton<T>(token: Token<T>, cls: Constructor<T>): void;
  isRegistered(token: Token<unknown>): boolean;
  resolve<T>(token: Token<T>): T;
  resolveAll<T>(token: Token<T>): T[];
  /**
   * The providers a channel uses, by id in failover order, among those registered for `kind` ("sms",
   * "kakao" ...). "sandbox" needs no plugin. The set is filled once every plugin has registered: a missing
   * or duplicated provider fails `createNudge` with both names.
   */
  providers<P extends Provider = Provider>(kind: string, ids: readonly string[]): ProviderSet<P>;
}

/**
 * Owns one child container and remembers which plugin registered each port, so two plugins claiming one
 * port fail at boot with both names.
 */
export class InstanceContainer {
  private readonly owners = new Map<symbol, string[]>();
  readonly providerSets = new ProviderSets();

  constructor(
    readonly container: DependencyContainer,
    readonly workspace: string,
    readonly logger: Logger,
    readonly clock: Clock,
    readonly timezone: string,
  ) {}

  private claim(token: symbol, owner: string): void {
    const info = tokenInfo(token);
    const owners = this.owners.get(token) ?? [];
    if (!info.multi && owners.length > 0) {
      throw new BootError(
        "NUDGE_DUPLICATE_PORT",
        `Plugins "${owners[0]}" and "${owner}" both provide ${info.name}; keep one of them`,
        { port: info.name, plugins: [owners[0], owner] },
      );
    }
    owners.push(owner);
    this.owners.set(token, owners);
  }

  ownersOf(token: symbol): string[] {
    return this.owners.get(token) ?? [];
  }

  registerInstance<T>(owner: string, token: Token<T>, value: T): void {
    this.claim(token, owner);
    this.container.registerInstance(token, value);
  }

  registerSingleton<T>(owner: string, token: Token<T>, cls: Constructor<T>): void {
    assertInjectable(cls);
    this.claim(token, owner);
    this.container.register(token, { useClass: cls as never }, { lifecycle: Lifecycle.ContainerScoped });
  }

  isRegistered(token: symbol): boolean {
    return this.container.isRegistered(token, false);
  }

  resolve<T>(token: Token<T>): T {
    return this.container.resolve<T>(token);
  }

  resolveAll<T>(token: Token<T>): T[] {
    return this.isRegistered(token) ? this.container.resolveAll<T>(token) : [];
  }

  contextFor(pluginId: string): PluginContext {
    const logger = this.logger.child({ plugin: pluginId });
    return {
      pluginId,
      workspace: this.workspace,
      timezone: this.timezone,
      logger,
      clock: this.clock,
      registerInstance: (t, v) => this.registerInstance(pluginId, t, v),
      registerSingleton: (t, c) => this.registerSingleton(pluginId, t, c),
      isRegistered: (t) => this.isRegistered(t),
      resolve: (t) => this.resolve(t),
      resolveAll: (t) => this.resolveAll(t),
      providers: (kind, ids) => this.providerSets.request(pluginId, kind, ids),
    };
  }
}
