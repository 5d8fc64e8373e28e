import { EngineTokens } from "../engine-tokens.js";
import { inject, injectable } from "tsyringe";
import type { Decision, Delivery, Message } from "../../domain/message.js";
import type { Clock } from "../../ports/clock.js";
import type { MessageStore, TimerStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import type { Hooks } from "../hooks.js";

export const MESSAGE_RESUME_TIMER = "message.resume";

export type DecisionDetail = Pick<Decision, "until" | "rule" | "onCapped">;


/**
 * Writes what happened to a message: attempts, decisions, status, and the durable timer that resumes a
 * deferred or retrying one. Everything the log shows goes through here.
 */
@injectable()
export class MessageLog {
  /** Messages the dispatcher holds but the store does not have yet: their first write inserts them. */
  private readonly drafts = new WeakSet<Message>();

  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(Tokens.MessageStore) private readonly messages: MessageStore,
    @inject(Tokens.TimerStore) private readonly timers: TimerStore,
    @inject(Tokens.Clock) private readonly clock: Clock,
    @inject(EngineTokens.Hooks) private readonly hooks: Hooks,
  ) {}

  attempt(message: Message, channel: string, provider: string, status: Delivery["status"], extra?: Partial<Delivery>): Delivery {
    const delivery: Delivery = { attempt: message.attempts.length + 1, channel, provider, at: this.clock.now(), status };
    if (extra !== undefined) Object.assign(delivery, extra);
    message.attempts.push(delivery);
    return delivery;
  }

  decide(message: Message, policy: string, outcome: Decision["outcome"], reason: string, detail: DecisionDetail = {}): void {
    // Flags and explained allows are re-evaluated on every try: record each one once.
    if ((outcome === "flag" || outcome === "allow") && message.decisions.some((d) => d.policy === policy && d.outcome === outcome && d.reason === reason)) return;
    const clean = Object.fromEntries(Object.entries(detail).filter(([, v]) => v !== undefined)) as DecisionDetail;
    message.decisions.push({ at: this.clock.now(), policy, outcome, reason, ...clean });
  }

  /** Marks a message the store does not have yet: its first save inserts it (see `save`). */
  draft(message: Message): void {
    this.drafts.add(message);
  }

  isDraft(message: Message): boolean {
    return this.drafts.has(message);
  }

  /** A draft the store now holds (claimed through MessageStore.insertClaimed). */
  stored(message: Message): void {
    this.drafts.delete(message);
  }

  /** Tells listeners (metrics, upkeep) that a message changed without a write of its own (a claim). */
  announce(message: Message): void {
    this.hooks.emit("message.updated", message);
  }

  /**
   * Saves the message and answers the one stored: the message itself, or, for a draft whose key another
   * caller stored first, that caller's message (nothing of the draft is written).
   */
  async save(message: Message): Promise<Message> {
    message.updatedAt = this.clock.now();
    if (this.drafts.has(message)) {
      const { message: stored, inserted } = await this.messages.insert(message);
      this.drafts.delete(message);
      // Another caller stored this key first: the draft is dropped, and theirs is the message.
      if (!inserted) return stored;
    } else {
      await this.messages.update(message);
    }
    this.hooks.emit("message.updated", message);
    return message;
  }

  // Not async itself: one promise per settled message instead of two.
  finish(message: Message, status: Message["status"]): Promise<Message> {
    message.status = status;
    return this.save(message);
  }

  /** Parks the message until `at` on the durable timer "message.resume" (one per message). */
  async scheduleResume(message: Message, at: number, status: "deferred" | "queued"): Promise<Message> {
    message.notBefore = at;
    await this.timers.schedule({
      workspaceId: this.ws,
      id: `${MESSAGE_RESUME_TIMER}:${message.id}`,
      dueAt: at,
      kind: MESSAGE_RESUME_TIMER,
      payload: { messageId: message.id, profileId: message.profileId },
    });
    return this.finish(message, status);
  }

  /** After a claim was refused because another worker moved the message on: show the stored state. */
  async reload(message: Message): Promise<Message> {
    const stored = await this.messages.get(this.ws, message.id);
    if (stored) Object.assign(message, stored);
    return message;
  }
}
