import type { SegmentDefinition } from "../../domain/segment.js";
import { ANY_EVENT, depsOf, hintsOf, polaritiesOf, type Polarity, type SegmentCause, type SegmentDeps } from "./condition-analysis.js";
import type { ReadHint } from "./timeline-reads.js";

export type { Polarity, SegmentCause, SegmentDeps } from "./condition-analysis.js";

/**
 * The segments of a workspace, indexed by what can change them, in dependency order (a segment
 * after the segments it refers to). An event re-evaluates only the segments that name it; a
 * membership change then re-evaluates the segments that refer to the changed one.
 */
export class SegmentIndex {
  /** Dependencies first. */
  readonly ordered: SegmentDefinition[];
  readonly deps = new Map<string, SegmentDeps>();
  private readonly byEvent = new Map<string, string[]>();
  private readonly anyEvent: string[] = [];
  private readonly byTrait = new Map<string, string[]>();
  private readonly byCause = new Map<SegmentCause, string[]>();
  private readonly dependents = new Map<string, string[]>();
  private readonly polarities = new Map<string, Map<string, Polarity>>();
  /** The widest timeline read per event name and filter, across every segment (see TimelineReads). */
  readonly hints = new Map<string, ReadHint>();

  constructor(definitions: SegmentDefinition[]) {
    for (const d of definitions) {
      this.deps.set(d.id, depsOf(d.condition));
      this.polarities.set(d.id, polaritiesOf(d.condition));
      hintsOf(d.condition, this.hints);
    }
    const cycle = SegmentIndex.findCycle(definitions);
    if (cycle) throw new Error(`segments refer to each other in a cycle: ${cycle.join(" -> ")}`);
    this.ordered = topological(definitions, this.deps);
    for (const d of this.ordered) {
      const deps = this.deps.get(d.id)!;
      for (const e of deps.events) push(this.byEvent, e, d.id);
      if (deps.anyEvent) this.anyEvent.push(d.id);
      for (const t of deps.traits) push(this.byTrait, t, d.id);
      if (deps.received) push(this.byCause, "received", d.id);
      if (deps.converted) push(this.byCause, "converted", d.id);
      for (const s of deps.segments) push(this.dependents, s, d.id);
    }
  }

  get size(): number {
    return this.ordered.length;
  }

  get ids(): string[] {
    return this.ordered.map((d) => d.id);
  }

  private readonly eventCache = new Map<string, string[]>();

  /** Segments an event can change; for identify, also those reading the traits it sets. */
  forEvent(name: string, traitNames: readonly string[] = []): string[] {
    let ids = this.eventCache.get(name);
    if (!ids) {
      ids = [...new Set([...(this.byEvent.get(name) ?? []), ...this.anyEvent])];
      // Bounded: event names come from callers.
      if (this.eventCache.size < 10_000) this.eventCache.set(name, ids);
    }
    if (traitNames.length === 0) return ids;
    const out = new Set(ids);
    for (const t of traitNames) for (const id of this.byTrait.get(t) ?? []) out.add(id);
    return [...out];
  }

  /** How one more `name` event can move the segment (see Polarity). */
  polarity(segmentId: string, name: string): Polarity {
    const p = this.polarities.get(segmentId);
    const a = p?.get(name);
    const b = p?.get(ANY_EVENT);
    if (a === undefined) return b ?? "mixed";
    return b === undefined || a === b ? a : "mixed";
  }

  forCause(cause: SegmentCause): string[] {
    return this.byCause.get(cause) ?? [];
  }

  dependentsOf(segmentId: string): string[] {
    return this.dependents.get(segmentId) ?? [];
  }

  /** The first cycle of `segment` references found (["a", "b", "a"]), or null. */
  static findCycle(definitions: SegmentDefinition[]): string[] | null {
    const refs = new Map(definitions.map((d) => [d.id, [...depsOf(d.condition).segments]]));
    const state = new Map<string, "visiting" | "done">();
    const path: string[] = [];
    const visit = (id: string): string[] | null => {
      if (state.get(id) === "done") return null;
      if (state.get(id) === "visiting") return [...path.slice(path.indexOf(id)), id];
      state.set(id, "visiting");
      path.push(id);
      for (const next of refs.get(id) ?? []) {
        const found = visit(next);
        if (found) return found;
      }
      path.pop();
      state.set(id, "done");
      return null;
    };
    for (const d of definitions) {
      const found = visit(d.id);
      if (found) return found;
    }
    return null;
  }
}

function push<K>(m: Map<K, string[]>, key: K, id: string): void {
  const list = m.get(key);
  if (list) list.push(id);
  else m.set(key, [id]);
}

/** Depth-first post-order: a segment comes after the ones it refers to (unknown references are skipped). */
function topological(definitions: SegmentDefinition[], deps: Map<string, SegmentDeps>): SegmentDefinition[] {
  const byId = new Map(definitions.map((d) => [d.id, d]));
  const out: SegmentDefinition[] = [];
  const seen = new Set<string>();
  const visit = (d: SegmentDefinition): void => {
    if (seen.has(d.id)) return;
    seen.add(d.id);
    for (const ref of deps.get(d.id)!.segments) {
      const target = byId.get(ref);
      if (target) visit(target);
    }
    out.push(d);
  };
  [...definitions].sort((a, b) => (a.id < b.id ? -1 : 1)).forEach(visit);
  return out;
}
