/**
 * Which of `count` partitions a key belongs to: FNV-1a over the key's UTF-16 code units. Stable across
 * processes and restarts, which is what keeps one key's jobs in one partition and so in order.
 */
export function partitionOf(key: string, count: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % count;
}
