import { inject, injectable } from "tsyringe";
import { NudgeError } from "../../errors.js";
import type { ChannelContent } from "../../domain/journey.js";
import type { TemplateStore } from "../../ports/stores.js";
import type { TemplateRenderer } from "../../template/renderer.js";
import { Tokens } from "../../tokens.js";
import type { ChannelRegistry } from "../channel-registry.js";
import { ChannelRegistryToken, EngineTokens } from "../engine-tokens.js";
import type { DispatchRequest } from "./dispatch-request.js";

/** Renders a message's content for each channel of its chain: inline content, or a stored template's. */
@injectable()
export class ChainRenderer {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(Tokens.TemplateStore) private readonly templateStore: TemplateStore,
    @inject(EngineTokens.TemplateRenderer) private readonly renderer: TemplateRenderer,
    @inject(ChannelRegistryToken) private readonly channels: ChannelRegistry,
  ) {}

  /**
   * The content of every channel of the chain, rendered for this person. Content given inline (no stored
   * template to read) renders without a promise.
   */
  render(req: DispatchRequest): Record<string, unknown> | Promise<Record<string, unknown>> {
    return this.needsTemplates(req) ? this.renderChain(req) : this.renderInline(req);
  }

  private needsTemplates(req: DispatchRequest): boolean {
    if (req.spec.content === undefined && req.spec.template !== undefined) return true;
    const fallback = req.spec.fallback;
    if (fallback !== undefined) for (const f of fallback) if (f.content === undefined && f.template !== undefined) return true;
    return false;
  }

  /** renderChain's result when every channel of the chain has its content inline. */
  private renderInline(req: DispatchRequest): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    out[req.spec.channel] = this.renderer.renderSync(req.spec.content ?? {}, req.scope, this.htmlFields(req.spec.channel));
    const fallback = req.spec.fallback;
    if (fallback !== undefined) for (const f of fallback) out[f.channel] = this.renderer.renderSync(f.content ?? {}, req.scope, this.htmlFields(f.channel));
    return out;
  }

  private async renderChain(req: DispatchRequest): Promise<Record<string, unknown>> {
    const targets: ChannelContent[] = [
      { channel: req.spec.channel, content: req.spec.content, template: req.spec.template },
      ...(req.spec.fallback ?? []),
    ];
    const out: Record<string, unknown> = {};
    for (const t of targets) {
      let content = t.content;
      if (content === undefined && t.template !== undefined) {
        const tpl = await this.templateStore.get(this.ws, t.template);
        if (!tpl) throw new NudgeError("NUDGE_TEMPLATE", `template "${t.template}" does not exist`);
        content = tpl.content;
      }
      out[t.channel] = await this.renderer.render(content ?? {}, req.scope, this.htmlFields(t.channel));
    }
    return out;
  }

  /**
   * The first channel of the chain whose rendered content it classifies as advertising (`Channel.classify`), with
   * its reason; null when none does. Content its schema refuses is left to the send, which reports it.
   */
  advertising(chain: readonly string[], content: Record<string, unknown>): { channel: string; reason: string } | null {
    for (const id of chain) {
      const channel = this.channels.get(id);
      if (channel?.classify === undefined) continue;
      const parsed = channel.contentSchema.safeParse(content[id]);
      const found = parsed.success ? channel.classify(parsed.data) : undefined;
      if (found?.kind === "advertising") return { channel: id, reason: found.reason };
    }
    return null;
  }

  /** The fields the channel declares HTML: their outputs are escaped. */
  private htmlFields(channel: string): readonly string[] | undefined {
    return this.channels.get(channel)?.htmlFields;
  }
}
