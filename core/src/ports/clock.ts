/** The time source. Journeys wait hours and days; tests move a FakeClock instead of sleeping. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Called after the clock jumps (fake clocks); the engine then fires due timers. Returns an unsubscribe. */
  onAdvance?(listener: (now: number) => void): () => void;
}

export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
}

/** A clock that moves only when told. `advance` notifies the engine, which runs what fell due. */
export class FakeClock implements Clock {
  private current: number;
  private readonly listeners = new Set<(now: number) => void>();

  constructor(start: number | string | Date = "2026-01-05T00:00:00Z") {
    this.current = typeof start === "number" ? start : new Date(start).getTime();
  }

  now(): number {
    return this.current;
  }

  set(to: number | string | Date): void {
    const next = typeof to === "number" ? to : new Date(to).getTime();
    if (next < this.current) throw new Error("FakeClock cannot go backwards");
    this.current = next;
    for (const l of this.listeners) l(this.current);
  }

  advance(ms: number): void {
    this.set(this.current + ms);
  }

  onAdvance(listener: (now: number) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
