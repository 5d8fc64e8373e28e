import { injectable } from "tsyringe";
import type { NudgeEvent } from "../../domain/event.js";

/** Events kept for their processing job at most: beyond this, the oldest are dropped and read from the store. */
const CAPACITY = 20_000;

/**
 * Events just accepted by this instance, handed to their processing job so it need not read back what
 * was written a moment ago. Each is taken once: a second job for the same event (a retry, a replay)
 * reads the store, which knows whether it was processed meanwhile. A person merged into another or
 * erased is forgotten here too, so a job never sees an event under a profile that no longer holds it.
 * Per instance, never shared.
 */
@injectable()
export class RecentEvents {
  private readonly events = new Map<string, NudgeEvent>();
  private readonly byProfile = new Map<string, Set<string>>();

  put(event: NudgeEvent): void {
    if (this.events.size >= CAPACITY) this.drop(this.events.keys().next().value!);
    this.events.set(event.messageId, event);
    let ids = this.byProfile.get(event.profileId);
    if (!ids) this.byProfile.set(event.profileId, (ids = new Set()));
    ids.add(event.messageId);
  }

  /** The event, if this instance accepted it and nobody took it yet. */
  take(messageId: string): NudgeEvent | undefined {
    const event = this.events.get(messageId);
    if (event) this.drop(messageId);
    return event;
  }

  /** Forgets a person's events: their store rows moved to another profile, or were deleted. */
  forgetProfile(profileId: string): void {
    for (const id of this.byProfile.get(profileId) ?? []) this.events.delete(id);
    this.byProfile.delete(profileId);
  }

  get size(): number {
    return this.events.size;
  }

  private drop(messageId: string): void {
    const event = this.events.get(messageId);
    if (!event) return;
    this.events.delete(messageId);
    const ids = this.byProfile.get(event.profileId);
    ids?.delete(messageId);
    if (ids?.size === 0) this.byProfile.delete(event.profileId);
  }
}
