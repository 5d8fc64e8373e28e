import { EngineTokens } from "../engine-tokens.js";
import { DateTime } from "luxon";
import { inject, injectable } from "tsyringe";
import type { Message } from "../../domain/message.js";
import type { NudgeOptionsResolved } from "../options.js";
import { describeMs } from "./dispatch-settings.js";
import { MessageLog } from "./message-log.js";
import type { StopVerdict } from "./policy-runner.js";

/**
 * Applies a verdict that stops a send: a defer parks the message on its resume timer (unless it would
 * wait past the age limit, then it is dropped at once rather than 72 h later); suppress and drop end it.
 */
@injectable()
export class Verdicts {
  constructor(
    @inject(EngineTokens.Options) private readonly options: NudgeOptionsResolved,
    @inject(MessageLog) private readonly log: MessageLog,
  ) {}

  /** Answers the message stored (see MessageLog.save: another caller's when a draft's key was taken). */
  async apply(message: Message, policy: string, v: StopVerdict): Promise<Message> {
    const detail = { rule: v.rule, onCapped: v.onCapped };
    if (v.outcome !== "defer") {
      this.log.decide(message, policy, v.outcome, v.reason, detail);
      return this.log.finish(message, "suppressed");
    }
    this.log.decide(message, policy, "defer", v.reason, { ...detail, until: v.until });
    const maxAge = this.options.dispatch.maxDeferAgeMs;
    if (v.until > message.createdAt + maxAge) {
      const until = DateTime.fromMillis(v.until, { zone: "utc" }).toISO();
      this.log.decide(message, "max-defer-age", "drop", `it would wait until ${until}, past the ${describeMs(maxAge)} a message may stay deferred`);
      return this.log.finish(message, "suppressed");
    }
    return this.log.scheduleResume(message, v.until, "deferred");
  }
}
