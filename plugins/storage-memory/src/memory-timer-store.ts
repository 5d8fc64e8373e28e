import type { Timer, TimerStore } from "@nudge/core";
import { MinHeap } from "./min-heap.js";
import { clone, Scoped } from "./util.js";

interface Row extends Timer {
  leasedUntil: number;
  /** Bumped on every change: heap entries of an older version are stale and skipped. */
  version: number;
}

/**
 * Timers in a map, with a heap on the instant each becomes claimable (its due time, or the end of its
 * lease), so claiming what is due does not scan every timer: segments keep one per person and segment.
 */
export class MemoryTimerStore implements TimerStore {
  private readonly rows = new Scoped<Row>();
  private readonly heaps = new Map<string, MinHeap>();
  private version = 0;

  private heap(ws: string): MinHeap {
    let h = this.heaps.get(ws);
    if (!h) this.heaps.set(ws, (h = new MinHeap()));
    return h;
  }

  async schedule(timer: Timer): Promise<void> {
    const rows = this.rows.of(timer.workspaceId);
    let row = rows.get(timer.id);
    if (row) {
      // Rescheduling updates the row in place: no old row left for the collector.
      row.dueAt = timer.dueAt;
      row.kind = timer.kind;
      row.payload = clone(timer.payload);
      row.leasedUntil = 0;
      row.version = ++this.version;
    } else {
      row = { ...clone(timer), leasedUntil: 0, version: ++this.version };
      rows.set(timer.id, row);
    }
    const heap = this.heap(timer.workspaceId);
    if (heap.size > 2 * rows.size + 1_000) this.compact(timer.workspaceId);
    else heap.push(row.dueAt, row.id, row.version);
  }

  async cancel(ws: string, id: string): Promise<void> {
    this.rows.of(ws).delete(id);
  }

  async get(ws: string, id: string): Promise<Timer | null> {
    const r = this.rows.of(ws).get(id);
    return r ? strip(r) : null;
  }

  async claimDue(ws: string, now: number, limit: number, leaseMs: number): Promise<Timer[]> {
    const rows = this.rows.of(ws);
    const heap = this.heap(ws);
    const due: Row[] = [];
    while (due.length < limit && heap.size > 0 && heap.peekKey()! <= now) {
      const entry = heap.pop()!;
      const r = rows.get(entry.id);
      if (!r || r.version !== entry.version) continue; // cancelled, completed or rescheduled since
      r.leasedUntil = now + leaseMs;
      r.version = ++this.version;
      heap.push(r.leasedUntil, r.id, r.version);
      due.push(r);
    }
    return due.sort((a, b) => a.dueAt - b.dueAt).map(strip);
  }

  async complete(ws: string, id: string, claimedDueAt: number): Promise<void> {
    const rows = this.rows.of(ws);
    const r = rows.get(id);
    if (r && r.dueAt === claimedDueAt && r.leasedUntil > 0) rows.delete(id);
  }

  async nextDueAt(ws: string): Promise<number | null> {
    let min: number | null = null;
    for (const r of this.rows.of(ws).values()) if (min === null || r.dueAt < min) min = r.dueAt;
    return min;
  }

  /** Rebuilds the heap from the live rows once stale entries outnumber them. */
  private compact(ws: string): void {
    const heap = new MinHeap();
    for (const r of this.rows.of(ws).values()) heap.push(Math.max(r.dueAt, r.leasedUntil), r.id, r.version);
    this.heaps.set(ws, heap);
  }
}

function strip(r: Row): Timer {
  return { workspaceId: r.workspaceId, id: r.id, dueAt: r.dueAt, kind: r.kind, payload: clone(r.payload) };
}
