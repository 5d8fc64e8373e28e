import { EngineTokens } from "../engine-tokens.js";
import { inject, injectable } from "tsyringe";
import type { Message } from "../../domain/message.js";
import type { Clock } from "../../ports/clock.js";
import type { MessageStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import { TemplateAbort } from "../../template/renderer.js";
import type { DispatchRequest } from "./dispatch-request.js";
import type { NudgeOptionsResolved } from "../options.js";
import { ChainRenderer } from "./chain-renderer.js";
import { ChannelSender } from "./channel-sender.js";
import { MessageIds } from "./message-ids.js";
import { MessageLog } from "./message-log.js";
import { MessageRecovery } from "./message-recovery.js";

export { MESSAGE_RESUME_TIMER } from "./message-log.js";

export type { DispatchRequest, SendSpec } from "./dispatch-request.js";

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
    @inject(ChainRenderer) private readonly content: ChainRenderer,
    @inject(ChannelSender) private readonly sender: ChannelSender,
    @inject(MessageRecovery) private readonly recovery: MessageRecovery,
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
      marketing: req.spec.marketing ?? false,
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
      // refusal or failure inserts it with its reason. That write answers the stored message: another
      // caller's when the key was taken (send() then continues with it, as for an insert that found it).
      this.log.draft(draft);
      return this.send(draft, req);
    }
    const { message, inserted } = await this.messages.insert(draft);
    return inserted ? this.send(message, req) : this.found(message, req, now);
  }

  /** Renders the chain and walks it until a channel settles the message. */
  private async send(message: Message, req: DispatchRequest): Promise<Message> {
    try {
      // Content given inline (no stored template to read) renders without a promise.
      const rendered = this.content.render(req);
      message.content = rendered instanceof Promise ? await rendered : rendered;
    } catch (e) {
      if (e instanceof TemplateAbort) {
        // Aborted by its own template: nothing is sent, nothing is paid, no cap counts it.
        this.log.decide(message, "template", "abort", e.reason);
        return this.settle(message, await this.log.finish(message, "aborted"), req);
      }
      this.log.decide(message, "template", "drop", e instanceof Error ? e.message : String(e));
      return this.settle(message, await this.log.finish(message, "failed"), req);
    }
    // Advertising is what the content is, whatever the flag says: derived here, once, for the whole chain.
    const ad = message.marketing ? null : this.content.advertising(message.channels, message.content);
    if (ad !== null) {
      const what = `content is advertising: ${ad.reason} (${ad.channel})`;
      if (req.spec.marketing === false) {
        this.log.decide(message, "classification", "suppress", `${what}, but the send declares marketing: false: not sent`, { rule: "advertising-content" });
        return this.settle(message, await this.log.finish(message, "suppressed"), req);
      }
      message.marketing = true;
      this.log.decide(message, "classification", "flag", `${what}: sent as marketing (the send did not declare it)`, { rule: "advertising-content" });
    }
    // deliver()'s walk, inline: one async frame less per send.
    for (let i = Math.max(0, message.channels.indexOf(message.channel)); i < message.channels.length; i++) {
      message.channel = message.channels[i]!;
      const outcome = await this.sender.try(message, req.profile);
      if (outcome === "done") return message;
      if (outcome !== "next") return this.found(outcome.taken, req, this.clock.now());
    }
    return this.recovery.exhausted(message);
  }

  /** A draft's settling write answered another caller's message when its key was taken: continue with that one. */
  private settle(message: Message, stored: Message, req: DispatchRequest): Message | Promise<Message> {
    return stored === message ? message : this.found(stored, req, this.clock.now());
  }

  /** The message already recorded under the request's key. */
  private found(message: Message, req: DispatchRequest, now: number): Promise<Message> {
    return this.stalledBeforeRender(message, now) ? this.send(message, req) : this.recovery.recover(message, req.profile, now);
  }

  /** A first caller that crashed between insert and render left a queued message without content. */
  private stalledBeforeRender(message: Message, now: number): boolean {
    return message.status === "queued" && message.content === null && now - message.createdAt >= this.options.dispatch.sendingLeaseMs;
  }

}
