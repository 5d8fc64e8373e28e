import { inject, injectable } from "tsyringe";
import { MESSAGE_CLICKED_EVENT, type BranchCondition } from "../../domain/journey.js";
import type { Profile } from "../../domain/profile.js";
import type { EventStore, MessageStore, SegmentStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import { compare, readPath } from "../compare.js";
import { ctx } from "./enrollment-context.js";
import type { StepRun } from "./steps/step-handler.js";

/**
 * Evaluates branch conditions: traits and event properties in memory; segment membership and message
 * engagement with one store read each, only when a condition asks (all/any stop at the first answer).
 */
@injectable()
export class BranchConditions {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(Tokens.SegmentStore) private readonly segments: SegmentStore,
    @inject(Tokens.MessageStore) private readonly messages: MessageStore,
    @inject(Tokens.EventStore) private readonly events: EventStore,
  ) {}

  async holds(c: BranchCondition, run: StepRun, profile: Profile): Promise<boolean> {
    switch (c.type) {
      case "trait":
        return compare(readPath(profile.traits, c.trait), c.op, c.value);
      case "event": {
        const context = ctx(run.enrollment);
        const source = c.from === undefined ? context.trigger : context.events?.[c.from];
        return compare(readPath(source?.properties, c.property), c.op, c.value);
      }
      case "segment":
        return (await this.segments.isMember(this.ws, c.segment, profile.id)) === c.member;
      case "engagement":
        return this.engaged(c.action, c.step, run, profile);
      case "all":
        for (const sub of c.conditions) if (!(await this.holds(sub, run, profile))) return false;
        return true;
      case "any":
        for (const sub of c.conditions) if (await this.holds(sub, run, profile)) return true;
        return false;
      case "not":
        return !(await this.holds(c.condition, run, profile));
    }
  }

  private async engaged(action: string, step: string | undefined, run: StepRun, profile: Profile): Promise<boolean> {
    const context = ctx(run.enrollment);
    const key = step === undefined ? context.lastMessage : context.messages?.[step];
    if (key === undefined) return false;
    const message = await this.messages.getByKey(this.ws, key);
    if (!message) return false;
    switch (action) {
      case "sent":
        return message.status === "sent" || message.status === "delivered";
      case "delivered":
      case "failed":
      case "suppressed":
        return message.status === action;
      default: {
        // Clicks come back through the click redirect as events naming the message.
        const where = [{ property: "messageId", op: "eq" as const, value: message.id }];
        const query = { profileId: profile.id, name: MESSAGE_CLICKED_EVENT, from: message.createdAt, to: run.now + 1, where };
        return (await this.events.count(this.ws, query)) > 0;
      }
    }
  }
}
