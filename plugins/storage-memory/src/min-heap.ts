/**
 * A binary min-heap of (key, id, version) in three parallel arrays: no object per entry, because the
 * timer store pushes one per schedule and a million-timer heap should not feed the garbage collector.
 * Hand-written: push and pop are all the store needs (stale entries are skipped by the caller).
 */
export class MinHeap {
  private readonly keys: number[] = [];
  private readonly ids: string[] = [];
  private readonly versions: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  peekKey(): number | undefined {
    return this.keys[0];
  }

  push(key: number, id: string, version: number): void {
    this.keys.push(key);
    this.ids.push(id);
    this.versions.push(version);
    let i = this.keys.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.keys[parent]! <= key) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Removes the smallest entry; returns its id and version, or null when empty. */
  pop(): { id: string; version: number } | null {
    const n = this.keys.length;
    if (n === 0) return null;
    const top = { id: this.ids[0]!, version: this.versions[0]! };
    this.swap(0, n - 1);
    this.keys.pop();
    this.ids.pop();
    this.versions.pop();
    const size = n - 1;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < size && this.keys[l]! < this.keys[min]!) min = l;
      if (r < size && this.keys[r]! < this.keys[min]!) min = r;
      if (min === i) break;
      this.swap(i, min);
      i = min;
    }
    return top;
  }

  private swap(a: number, b: number): void {
    const k = this.keys[a]!;
    this.keys[a] = this.keys[b]!;
    this.keys[b] = k;
    const id = this.ids[a]!;
    this.ids[a] = this.ids[b]!;
    this.ids[b] = id;
    const v = this.versions[a]!;
    this.versions[a] = this.versions[b]!;
    this.versions[b] = v;
  }
}
