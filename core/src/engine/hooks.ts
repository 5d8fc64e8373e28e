import type { NudgeEvent } from "../domain/event.js";
import type { Message } from "../domain/message.js";
import type { Enrollment } from "../domain/journey.js";
import type { SandboxRecord } from "../sandbox/sandbox-outbox.js";
import type { JourneyStepRecord } from "./journeys/step-record.js";

/** What an instance tells its host and its plugins about, synchronously after the fact is stored. */
export interface HookEvents {
  "event.accepted": NudgeEvent;
  "message.updated": Message;
  "enrollment.updated": Enrollment;
  /** A journey step ran for one person: which, why now, and what it decided. */
  "journey.step": JourneyStepRecord;
  "segment.entered": { workspace: string; segmentId: string; profileId: string; at: number };
  "segment.exited": { workspace: string; segmentId: string; profileId: string; at: number };
  "sandbox.message": SandboxRecord;
}

export type HookName = keyof HookEvents;

type Listener = (payload: never) => void;
const NONE: readonly Listener[] = Object.freeze([]);

/**
 * Typed hooks, one set per instance. A throwing listener is swallowed, never rethrown: a host's listener
 * must not break the engine.
 *
 * Hand-written rather than node's EventEmitter: its emit path copies the listener array on every call
 * (`listeners()`), and "message.updated" fires several times per send. Here each name holds an array that
 * is replaced, never changed, when a listener comes or goes (copy on write), so emitting allocates
 * nothing, and a listener removed or added during an emit does not change that emit's list.
 */
export class Hooks {
  private readonly lists = new Map<HookName, readonly Listener[]>();

  on<K extends HookName>(name: K, listener: (payload: HookEvents[K]) => void): () => void {
    const fn = listener as Listener;
    this.lists.set(name, [...this.listeners(name), fn]);
    let on = true;
    return () => {
      if (!on) return;
      on = false;
      const list = this.listeners(name);
      const at = list.indexOf(fn);
      if (at < 0) return;
      const next = list.slice();
      next.splice(at, 1);
      if (next.length === 0) this.lists.delete(name);
      else this.lists.set(name, next);
    };
  }

  /** Whether anyone listens: lets an emitter skip building a payload nobody reads. */
  has(name: HookName): boolean {
    return this.lists.has(name);
  }

  emit<K extends HookName>(name: K, payload: HookEvents[K]): void {
    const list = this.lists.get(name);
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) {
      try {
        (list[i] as (p: HookEvents[K]) => void)(payload);
      } catch {
        // A host's listener must not break the engine.
      }
    }
  }

  private listeners(name: HookName): readonly Listener[] {
    return this.lists.get(name) ?? NONE;
  }
}
