import { PluginLifecycleError } from "../errors.js";
import type { PluginContext } from "../container/plugin-context.js";
import type { NudgePlugin } from "../plugin.js";
import type { Logger } from "../ports/logger.js";

interface Loaded {
  plugin: NudgePlugin;
  config: unknown;
  ctx: PluginContext;
}

/** Runs plugin lifecycles: `init` in registration order, `close` in reverse, each at most once. */
export class PluginRuntime {
  private readonly loaded: Loaded[] = [];
  private inited: Loaded[] = [];
  private closing: Promise<void> | null = null;

  constructor(private readonly logger: Logger) {}

  add(plugin: NudgePlugin, config: unknown, ctx: PluginContext): void {
    this.loaded.push({ plugin, config, ctx });
  }

  ids(): string[] {
    return this.loaded.map((l) => l.plugin.id);
  }

  async initAll(): Promise<void> {
    for (const l of this.loaded) {
      if (l.plugin.init) {
        try {
          await l.plugin.init(l.ctx, l.config);
        } catch (e) {
          throw new PluginLifecycleError(l.plugin.id, "init", e);
        }
      }
      this.inited.push(l);
    }
  }

  /** Closes what was initialised, newest first. A failing close is logged; the others still close. */
  closeAll(): Promise<void> {
    this.closing ??= (async () => {
      for (const l of [...this.inited].reverse()) {
        if (!l.plugin.close) continue;
        try {
          await l.plugin.close(l.ctx, l.config);
        } catch (e) {
          this.logger.error({ err: new PluginLifecycleError(l.plugin.id, "close", e) }, "plugin failed to close");
        }
      }
      this.inited = [];
    })();
    return this.closing;
  }
}
