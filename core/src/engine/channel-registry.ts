import { BootError, type FieldIssue } from "../errors.js";
import type { Channel } from "../ports/channel.js";

/** The channels of one instance, by id. Built once at boot; two channels with one id fail then. */
export class ChannelRegistry {
  private readonly byId = new Map<string, Channel>();

  constructor(channels: readonly Channel[]) {
    for (const c of channels) {
      if (this.byId.has(c.id)) {
        throw new BootError(
          "NUDGE_DUPLICATE_CHANNEL",
          `Two channels claim the id "${c.id}" (providers ${this.byId.get(c.id)!.providers.join(", ")} and ${c.providers.join(", ")})`,
          { channel: c.id },
        );
      }
      this.byId.set(c.id, c);
    }
  }

  get(id: string): Channel | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  /** What each channel of a chain says against the channels after it (`Channel.fallbackConflict`); `path(i)` names the field. */
  fallbackIssues(chain: readonly string[], path: (i: number) => string): FieldIssue[] {
    return chain.flatMap((id, i) => {
      const next = chain.slice(i + 1);
      const reason = next.length > 0 ? this.byId.get(id)?.fallbackConflict?.(next) : null;
      return reason ? [{ path: path(i), message: reason }] : [];
    });
  }
}
