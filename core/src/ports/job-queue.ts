/**
 * Work the engine hands off: processing an accepted event, firing a timer, sending a message.
 * Jobs are data (a name and a JSON payload), so a queue may live in another process (BullMQ).
 */
export interface Job {
  name: string;
  data: Record<string, unknown>;
  /** Jobs with the same key run one at a time, in the order added (one person's events apply in order). */
  key?: string;
}

export type JobHandler = (data: Record<string, unknown>) => Promise<void>;

export interface QueueStats {
  waiting: number;
  active: number;
}

export interface JobQueue {
  /** Declares the handler for a job name. Called by the engine before `start`. */
  process(name: string, handler: JobHandler): void;
  start(): Promise<void>;
  /** Adds a job; waits (back-pressure) when the queue is full rather than growing without bound. */
  add(job: Job): Promise<void>;
  /** Resolves when nothing is waiting or running in this process. */
  onIdle(): Promise<void>;
  stats(): Promise<QueueStats>;
  /** Stops taking jobs, lets running ones finish. Idempotent. */
  close(): Promise<void>;
}
