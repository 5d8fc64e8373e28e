import { inject, injectable } from "tsyringe";
import { NotFoundError, ValidationError, issuesFromZod, type FieldIssue } from "../../errors.js";
import type { z } from "zod";
import { TemplateDefinition } from "../../domain/template.js";
import type { Clock } from "../../ports/clock.js";
import type { TemplateStore } from "../../ports/stores.js";
import { TemplateAbort, type TemplateRenderer } from "../../template/renderer.js";
import { Tokens } from "../../tokens.js";
import type { ChannelRegistry } from "../channel-registry.js";
import { ChannelRegistryToken, EngineTokens } from "../engine-tokens.js";
import { profileScope } from "../journeys/scope.js";
import { ProfileService } from "../profiles/profile-service.js";
import { sameDefinition } from "../same-definition.js";

/** Who a preview renders for: a real person by userId, made-up fields, or both (the fields win). */
export interface TemplatePreviewInput {
  userId?: string | undefined;
  profile?: Record<string, unknown> | undefined;
  event?: Record<string, unknown> | undefined;
  vars?: Record<string, unknown> | undefined;
}

export interface TemplatePreview {
  channel: string;
  /** Rendered content; null when the template aborted. */
  content: Record<string, unknown> | null;
  aborted: string | null;
  /** Problems the channel would raise with this content. */
  errors: FieldIssue[];
}

/** `nudge.templates`: stored templates, checked against the channels and the renderer, and previews of them. */
@injectable()
export class TemplateLibrary {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(Tokens.TemplateStore) private readonly store: TemplateStore,
    @inject(EngineTokens.TemplateRenderer) private readonly renderer: TemplateRenderer,
    @inject(ChannelRegistryToken) private readonly channels: ChannelRegistry,
    @inject(ProfileService) private readonly profiles: ProfileService,
    @inject(Tokens.Clock) private readonly clock: Clock,
  ) {}

  async get(id: string): Promise<TemplateDefinition | null> {
    return this.store.get(this.ws, id);
  }

  /**
   * Stores a template once its channel is registered and every Liquid field parses. Throws ValidationError
   * naming the field. A template equal to the stored one (keys in any order) writes nothing.
   */
  async put(input: z.input<typeof TemplateDefinition>): Promise<TemplateDefinition> {
    const parsed = TemplateDefinition.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod("template", parsed.error);
    const template = parsed.data;
    const issues: FieldIssue[] = [];
    if (!this.channels.has(template.channel)) {
      issues.push({ path: "channel", message: `unknown channel "${template.channel}" (registered: ${this.channels.ids().join(", ") || "none"})` });
    }
    issues.push(...this.renderer.check(template.content, "content"));
    if (issues.length > 0) throw new ValidationError("template", issues);
    if (sameDefinition(await this.store.get(this.ws, template.id), template)) return template;
    await this.store.put(this.ws, template, this.clock.now());
    return template;
  }

  /** Deletes a template; NotFoundError when there is none. */
  async delete(id: string): Promise<void> {
    await this.require(id);
    await this.store.delete(this.ws, id);
  }

  /** Renders a stored template as a send would, and reports what its channel would refuse. */
  async preview(id: string, input: TemplatePreviewInput = {}): Promise<TemplatePreview> {
    const template = await this.require(id);
    let profile: Record<string, unknown> = { id: "preview", userId: null, traits: {}, email: null, phone: null, timezone: null, locale: null };
    if (input.userId !== undefined) {
      const real = await this.profiles.find({ userId: input.userId });
      if (!real) throw new NotFoundError("user", input.userId);
      profile = profileScope(real);
    }
    if (input.profile) profile = { ...profile, ...input.profile };
    const scope = {
      profile,
      event: input.event ?? {},
      vars: input.vars ?? {},
      journey: { id: "preview", version: 0, stepId: "preview" },
      now: new Date(this.clock.now()).toISOString(),
    };
    try {
      const channel = this.channels.get(template.channel);
      const content = await this.renderer.render(template.content, scope, channel?.htmlFields);
      const parsed = channel?.contentSchema.safeParse(content);
      const errors = parsed && !parsed.success ? issuesFromZod(parsed.error) : [];
      return { channel: template.channel, content, aborted: null, errors };
    } catch (e) {
      if (!(e instanceof TemplateAbort)) throw e;
      return { channel: template.channel, content: null, aborted: e.reason, errors: [] };
    }
  }

  private async require(id: string): Promise<TemplateDefinition> {
    const t = await this.store.get(this.ws, id);
    if (!t) throw new NotFoundError("template", id);
    return t;
  }
}
