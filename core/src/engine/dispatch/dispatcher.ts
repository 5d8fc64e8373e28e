import { EngineTokens } from "../engine-tokens.js";
import { inject, injectable } from "tsyringe";
import { NudgeError } from "../../errors.js";
import type { ChannelContent } from "../../domain/journey.js";
import type { Message } from "../../domain/message.js";
import type { Profile } from "../../domain/profile.js";
import type { Clock } from "../../ports/clock.js";
import type { MessageStore, ProfileStore, TemplateStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import { TemplateAbort, type TemplateRenderer, type TemplateScope } from "../../template/renderer.js";
import type { NudgeOptionsResolved } from "../options.js";
import { ChannelSender } from "./channel-sender.js";
import { MessageIds } from "./message-ids.js";
import { DuplicateDraft, MessageLog } from "./message-log.js";
import { SendTimeRecheck } from "./send-time-recheck.js";

export { MESSAGE_RESUME_TIMER } from "./message-log.js";

/** What to send: the primary channel's content and the fallback chain. */
export interface SendSpec {
  channel: string;
  content?: Record<string, unknown> | undefined;
  template?: string | undefined;
  fallback?: ChannelContent[];
  marketing: boolean;
  topic?: string | undefined;
}

export interface DispatchRequest {
  profile: Profile;
  /** One logical message per key, whatever retries or crashes happen. */
  idempotencyKey: string;
  spec: SendSpec;
  scope: TemplateScope;
  journey?: { journeyId: string; version: number; stepId: string; enrollmentId: string };
}

const DONE = new Set<Message["status"]>(["sent", "delivered", "failed", "suppressed", "aborted"]);

/**
 * One pipeline for every message: record -> render -> per channel of the chain: policies -> provider
 * (rate-limited, claimed atomically) -> delivery record -> retry or fallback. Every decision lands on
 * the message, so the log answers "why (not)?". The returned Message says what happened: journeys
 * read its status and decisions (see `cappedDecision`).
 */
@injectable()
export class Dispatcher {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(EngineTokens.Options) private readonly options: NudgeOptionsResolved,
    @inject(Tokens.MessageStore) private readonly messages: MessageStore,
    @inject(Tokens.ProfileStore) private readonly profileStore: ProfileStore,
    @inject(Tokens.TemplateStore) private readonly templateStore: TemplateStore,
    @inject(EngineTokens.TemplateRenderer) private readonly renderer: TemplateRenderer,
    @inject(ChannelSender) private readonly sender: ChannelSender,
    @inject(SendTimeRecheck) private readonly recheck: SendTimeRecheck,
    @inject(MessageLog) private readonly log: MessageLog,
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(MessageIds) private readonly ids: MessageIds,
  ) {}

  /** Records and sends a message; a second call with the same key returns the first message. */
  async dispatch(req: DispatchRequest): Promise<Message> {
    const now = this.clock.now();
    const fallback = req.spec.fallback;
    const chain = fallback === undefined || fallback.length === 0 ? [req.spec.channel] : [req.spec.channel, ...fallback.map((f) => f.channel)];
    const draft: Message = {
      workspaceId: this.ws,
      id: this.ids.next(),
      idempotencyKey: req.idempotencyKey,
      profileId: req.profile.id,
      journeyId: req.journey?.journeyId ?? null,
      journeyVersion: req.journey?.version ?? null,
      stepId: req.journey?.stepId ?? null,
      enrollmentId: req.journey?.enrollmentId ?? null,
      channels: chain,
      channel: chain[0]!,
      marketing: req.spec.marketing,
      topic: req.spec.topic ?? null,
      status: "queued",
      recipient: null,
      content: null,
      attempts: [],
      decisions: [],
      notBefore: null,
      createdAt: now,
      updatedAt: now,
      sentAt: null,
    };
    if (this.messages.insertClaimed !== undefined) {
      // Not stored before its first write: the claim inserts it (one write less per send), and a
      // refusal or failure inserts it with its reason. A taken key shows there as DuplicateDraft.
      this.log.draft(draft);
      try {
        return await this.send(draft, req);
      } catch (e) {
        if (!(e instanceof DuplicateDraft)) throw e;
        return this.found(e.stored, req, this.clock.now());
      }
    }
    const { message, inserted } = await this.messages.insert(draft);
    return inserted ? this.send(message, req) : this.found(message, req, now);
  }

  /** Renders the chain and walks it until a channel settles the message. */
  private async send(message: Message, req: DispatchRequest): Promise<Message> {
    try {
      // Content given inline (no stored template to read) renders without a promise.
      message.content = this.needsTemplates(req) ? await this.renderChain(req) : this.renderInline(req);
    } catch (e) {
      if (e instanceof TemplateAbort) {
        // Aborted by its own template: nothing is sent, nothing is paid, no cap counts it.
        this.log.decide(message, "template", "abort", e.reason);
        return this.log.finish(message, "aborted");
      }
      this.log.decide(message, "template", "drop", e instanceof Error ? e.message : String(e));
      return this.log.finish(message, "failed");
    }
    // deliver()'s walk, inline: one async frame less per send.
    for (let i = Math.max(0, message.channels.indexOf(message.channel)); i < message.channels.length; i++) {
      message.channel = message.channels[i]!;
      if ((await this.sender.try(message, req.profile)) === "done") return message;
    }
    return this.exhausted(message);
  }

  /** The message already recorded under the request's key. */
  private found(message: Message, req: DispatchRequest, now: number): Promise<Message> {
    return this.stalledBeforeRender(message, now) ? this.send(message, req) : this.recover(message, req.profile, now);
  }

  /** Continues a deferred or retrying message (timer "message.resume"), re-checking it first. */
  async resume(messageId: string): Promise<Message | null> {
    const message = await this.messages.get(this.ws, messageId);
    if (!message || DONE.has(message.status)) return message;
    const now = this.clock.now();
    if (message.status === "sending") return this.recover(message, null, now);
    const profile = await this.profileStore.get(this.ws, message.profileId);
    if (!profile) {
      this.log.decide(message, "profile", "drop", "the person was deleted");
      return this.log.finish(message, "suppressed");
    }
    const stale = await this.recheck.check(message, now);
    if (stale) {
      this.log.decide(message, stale.policy, "drop", stale.reason);
      return this.log.finish(message, "suppressed");
    }
    return this.deliver(message, profile);
  }

  /**
   * Settles a message a crash left in "sending" once its lease is over: failed, with the reason, and never
   * resent (the provider may have accepted it). Returns whether it settled it.
   */
  async settleInterrupted(message: Message): Promise<boolean> {
    const now = this.clock.now();
    if (message.status !== "sending" || now - message.updatedAt < this.options.dispatch.sendingLeaseMs) return false;
    await this.recover(message, null, now);
    return true;
  }

  /** A message found already recorded under the key: finished, parked, in flight, or interrupted. */
  private async recover(message: Message, profile: Profile | null, now: number): Promise<Message> {
    if (DONE.has(message.status) || message.status === "deferred") return message;
    if (message.status === "sending") {
      if (now - message.updatedAt < this.options.dispatch.sendingLeaseMs) return message; // in flight elsewhere
      // The provider may have accepted it before the crash: a paid message is never sent twice.
      this.log.decide(message, "dispatch", "drop", "interrupted while sending; not resent to avoid a duplicate");
      return this.log.finish(message, "failed");
    }
    // Queued: being rendered or between channels in the first caller (written within the lease), or
    // waiting for its retry timer. Continued here only when its caller died with it.
    if (message.content === null || (message.notBefore !== null && message.notBefore > now) || !profile) return message;
    if (now - message.updatedAt < this.options.dispatch.sendingLeaseMs) return message;
    return this.deliver(message, profile);
  }

  /** A first caller that crashed between insert and render left a queued message without content. */
  private stalledBeforeRender(message: Message, now: number): boolean {
    return message.status === "queued" && message.content === null && now - message.createdAt >= this.options.dispatch.sendingLeaseMs;
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
    out[req.spec.channel] = this.renderer.renderSync(req.spec.content ?? {}, req.scope);
    const fallback = req.spec.fallback;
    if (fallback !== undefined) for (const f of fallback) out[f.channel] = this.renderer.renderSync(f.content ?? {}, req.scope);
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
      out[t.channel] = await this.renderer.render(content ?? {}, req.scope);
    }
    return out;
  }

  /** Tries the chain from the message's current channel; the first channel that settles it ends the walk. */
  private async deliver(message: Message, profile: Profile): Promise<Message> {
    const start = Math.max(0, message.channels.indexOf(message.channel));
    for (let i = start; i < message.channels.length; i++) {
      message.channel = message.channels[i]!;
      if ((await this.sender.try(message, profile)) === "done") return message;
    }
    return this.exhausted(message);
  }

  /** No channel of the chain settled the message. */
  private exhausted(message: Message): Promise<Message> {
    const tried = message.attempts.map((a) => `${a.channel}: ${a.status}${a.errorCode ? ` (${a.errorCode})` : ""}`);
    this.log.decide(message, "fallback", "drop", `no channel of the chain could deliver it (${[...new Set(tried)].join("; ")})`);
    return this.log.finish(message, "failed");
  }
}
