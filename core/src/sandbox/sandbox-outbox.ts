/** One message a sandbox provider "sent": what a vendor would have received. */
export interface SandboxRecord {
  channel: string;
  to: string;
  content: unknown;
  messageId: string;
  idempotencyKey: string;
  attempt: number;
  at: number;
  providerMessageId: string;
  messageType?: string;
}

/** Every sandbox send of one instance, across channels, in order. Bounded: the oldest are dropped. */
export class SandboxOutbox {
  private readonly records: SandboxRecord[] = [];
  private readonly listeners = new Set<(r: SandboxRecord) => void>();

  constructor(private readonly capacity = 10_000) {}

  add(record: SandboxRecord): void {
    this.records.push(record);
    if (this.records.length > this.capacity) this.records.shift();
    for (const l of this.listeners) l(record);
  }

  list(filter: { channel?: string; to?: string } = {}): SandboxRecord[] {
    return this.records.filter(
      (r) => (filter.channel === undefined || r.channel === filter.channel) && (filter.to === undefined || r.to === filter.to),
    );
  }

  onMessage(listener: (r: SandboxRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clear(): void {
    this.records.length = 0;
  }
}
