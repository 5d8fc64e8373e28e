import { EngineTokens } from "../engine-tokens.js";
import { inject, injectable } from "tsyringe";
import type { Message } from "../../domain/message.js";
import type { EnrollmentStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import type { NudgeOptionsResolved } from "../options.js";
import { describeMs } from "./dispatch-settings.js";

/**
 * What a deferred or retrying message checks when its timer fires, besides the policies (which run
 * again, consent included): it is not too old, and its journey has not let the person go meanwhile.
 */
@injectable()
export class SendTimeRecheck {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(EngineTokens.Options) private readonly options: NudgeOptionsResolved,
    @inject(Tokens.EnrollmentStore) private readonly enrollments: EnrollmentStore,
  ) {}

  /** A reason to drop the message now, or null to go on. */
  async check(message: Message, now: number): Promise<{ policy: string; reason: string } | null> {
    const maxAge = this.options.dispatch.maxDeferAgeMs;
    if (now - message.createdAt > maxAge) {
      return { policy: "max-defer-age", reason: `still not sent ${describeMs(now - message.createdAt)} after it was created (limit ${describeMs(maxAge)})` };
    }
    if (message.enrollmentId !== null) {
      const enrollment = await this.enrollments.get(this.ws, message.enrollmentId);
      if (enrollment?.state === "exited") {
        return { policy: "journey-exit", reason: `the person left journey "${enrollment.journeyId}" while the message waited (${enrollment.exitReason ?? "exit rule"})` };
      }
    }
    return null;
  }
}
