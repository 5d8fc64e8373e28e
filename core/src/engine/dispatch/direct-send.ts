import { DateTime } from "luxon";
import { inject, injectable } from "tsyringe";
import { z } from "zod";
import { NotFoundError, ValidationError } from "../../errors.js";
import { JsonRecord } from "../../domain/common.js";
import { ChannelContent } from "../../domain/journey.js";
import type { Message } from "../../domain/message.js";
import type { Clock } from "../../ports/clock.js";
import type { ProfileStore } from "../../ports/stores.js";
import { Tokens } from "../../tokens.js";
import type { ChannelRegistry } from "../channel-registry.js";
import { ChannelRegistryToken } from "../engine-tokens.js";
import { profileScope } from "../journeys/scope.js";
import { Dispatcher } from "./dispatcher.js";

/** `nudge.send(...)`: one message outside journeys (receipts, one-time codes), through the same pipeline. */
export const SendRequest = z
  .object({
    userId: z.string().min(1).optional(),
    profileId: z.string().min(1).optional(),
    /** The host's key for this message: sending twice with one key sends once. */
    idempotencyKey: z.string().min(1).max(200),
    channel: z.string().min(1),
    content: JsonRecord.optional(),
    template: z.string().min(1).optional(),
    fallback: z.array(ChannelContent).default([]),
    /** Omitted: transactional unless a channel classifies the content as advertising (then marketing). */
    marketing: z.boolean().optional(),
    topic: z.string().min(1).optional(),
    /** What templates see as `vars`. */
    vars: JsonRecord.default({}),
  })
  .refine((r) => r.userId !== undefined || r.profileId !== undefined, { message: "userId or profileId is required", path: ["userId"] })
  .refine((r) => r.content !== undefined || r.template !== undefined, { message: "content or template is required", path: ["content"] });
export type SendRequestInput = z.input<typeof SendRequest>;

@injectable()
export class DirectSender {
  constructor(
    @inject(Tokens.Workspace) private readonly ws: string,
    @inject(Tokens.ProfileStore) private readonly profiles: ProfileStore,
    @inject(ChannelRegistryToken) private readonly channels: ChannelRegistry,
    @inject(Dispatcher) private readonly dispatcher: Dispatcher,
    @inject(Tokens.Clock) private readonly clock: Clock,
  ) {}

  /** Validates (errors name the field), finds the person, and dispatches. Resolves with the message as it stands. */
  async send(input: unknown): Promise<Message> {
    const parsed = SendRequest.safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod("send request", parsed.error);
    const req = parsed.data;
    const unknown = [req.channel, ...req.fallback.map((f) => f.channel)].findIndex((c) => !this.channels.has(c));
    if (unknown >= 0) {
      const path = unknown === 0 ? "channel" : `fallback[${unknown - 1}].channel`;
      throw new ValidationError("send request", [{ path, message: `unknown channel (registered: ${this.channels.ids().join(", ")})` }]);
    }
    const chain = [req.channel, ...req.fallback.map((f) => f.channel)];
    const conflicts = this.channels.fallbackIssues(chain, (i) => (i === 0 ? "channel" : `fallback[${i - 1}].channel`));
    if (conflicts.length > 0) throw new ValidationError("send request", conflicts);
    const profile =
      req.profileId !== undefined ? await this.profiles.get(this.ws, req.profileId) : await this.profiles.getByUserId(this.ws, req.userId!);
    if (!profile) throw new NotFoundError("profile", req.profileId ?? req.userId!);
    return this.dispatcher.dispatch({
      profile,
      idempotencyKey: `send:${req.idempotencyKey}`,
      spec: { channel: req.channel, content: req.content, template: req.template, fallback: req.fallback, marketing: req.marketing, topic: req.topic },
      scope: { profile: profileScope(profile), vars: req.vars, now: DateTime.fromMillis(this.clock.now(), { zone: "utc" }).toISO()! },
    });
  }
}
