interface Pending {
  fn: () => unknown;
  resolve: (value: unknown) => void;
  reject: (e: unknown) => void;
}

/** What one write of a group came to: its value, or the error that rolled back its savepoint. */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * Group commit: writes submitted in the same window run in one transaction, so one fsync covers all of
 * them, and each caller hears back only after that COMMIT. better-sqlite3 is synchronous: while a
 * commit runs nothing else runs, and every write that arrives meanwhile lands in the next group.
 * Hand-written: it is bound to the driver's synchronous transactions (each write runs in its own
 * savepoint); batching libraries are built for asynchronous sinks.
 */
export class GroupCommit {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | NodeJS.Immediate | null = null;

  constructor(
    /** Runs the writes in one transaction and returns one outcome each; throws if the transaction failed as a whole. */
    private readonly commit: (writes: (() => unknown)[]) => Outcome[],
    private readonly options: { windowMs: number; maxBatch: number },
  ) {}

  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.length >= this.options.maxBatch) this.flush();
      else if (this.timer === null) {
        this.timer = this.options.windowMs > 0 ? setTimeout(() => this.flush(), this.options.windowMs) : setImmediate(() => this.flush());
      }
    });
  }

  /** Commits what is pending now. */
  flush(): void {
    if (this.timer !== null) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
      this.timer = null;
    }
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    let outcomes: Outcome[];
    try {
      outcomes = this.commit(batch.map((p) => p.fn));
    } catch (e) {
      // Nothing of the group was committed: every caller hears it.
      for (const p of batch) p.reject(e);
      return;
    }
    batch.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.ok) p.resolve(o.value);
      else p.reject(o.error);
    });
  }
}
