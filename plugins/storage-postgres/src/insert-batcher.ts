import { StorageUnavailableError } from "@nudge/core";

interface Submission<T, R> {
  items: T[];
  resolve: (results: R[]) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit for an async driver: while `maxInFlight` writes are on their way, new submissions wait,
 * and the next write carries all of them (up to `maxBatch` rows). Light load goes out at once; heavy
 * load turns into few, large statements, one COMMIT each, and every caller hears back after its COMMIT.
 * Hand-written: the few lines are tied to the fallback below, which generic batchers do not offer.
 */
export class InsertBatcher<T, R> {
  private queue: Submission<T, R>[] = [];
  private inFlight = 0;
  private scheduled = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly options: { maxInFlight: number; maxBatch: number },
  ) {}

  submit(items: T[]): Promise<R[]> {
    return new Promise<R[]>((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      // Deferred to the end of this turn's microtasks, so callers resuming together share one INSERT.
      if (!this.scheduled) {
        this.scheduled = true;
        queueMicrotask(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  /** Resolves once nothing is queued or in flight. */
  drain(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private pump(): void {
    while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) {
      const batch: Submission<T, R>[] = [];
      let size = 0;
      while (this.queue.length > 0 && (batch.length === 0 || size + this.queue[0]!.items.length <= this.options.maxBatch)) {
        const s = this.queue.shift()!;
        batch.push(s);
        size += s.items.length;
      }
      this.inFlight++;
      void this.send(batch).finally(() => {
        this.inFlight--;
        this.pump();
        if (this.queue.length === 0 && this.inFlight === 0) for (const r of this.idle.splice(0)) r();
      });
    }
  }

  private async send(batch: Submission<T, R>[]): Promise<void> {
    try {
      const results = await this.write(batch.flatMap((s) => s.items));
      let at = 0;
      for (const s of batch) {
        s.resolve(results.slice(at, at + s.items.length));
        at += s.items.length;
      }
    } catch (e) {
      // Out of reach (after the database layer's retries): everyone hears it. Otherwise one bad
      // submission must not fail its neighbours, so each is sent on its own.
      if (e instanceof StorageUnavailableError || batch.length === 1) {
        for (const s of batch) s.reject(e);
        return;
      }
      for (const s of batch) {
        try {
          s.resolve(await this.write(s.items));
        } catch (err) {
          s.reject(err);
        }
      }
    }
  }
}
