/**
 * Exponential backoff with jitter: attempt 1 waits about base, attempt n about base * 2^(n-1), capped.
 * `jitter` is the random share of the delay (default half fixed, half random: never zero, never in
 * lock-step with other senders); `random` is injectable so tests get a fixed schedule.
 */
export function backoffDelay(attempt: number, options: { baseMs: number; maxMs: number; jitter?: number; random?: () => number }): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
  const r = jitter === 0 ? 0 : (options.random ?? Math.random)();
  return Math.round(ceiling * (1 - jitter) + ceiling * jitter * r);
}
