/** An item of a batch with the identities it names. */
export interface Identified {
  userId?: string | undefined;
  anonymousId?: string | undefined;
}

/**
 * Splits a batch into chains that may run concurrently: items naming the same userId or anonymousId,
 * directly or through an identify that links the two, share a chain and keep their order. Different
 * people then proceed side by side, which lets a store commit their events together.
 */
export function chains<T>(items: readonly T[], ids: (item: T) => Identified = (item) => item as Identified): T[][] {
  // Most batches link nothing (no item names both ids): an item's one id is then its person.
  if (items.every((item) => ids(item).userId === undefined || ids(item).anonymousId === undefined)) return byOneId(items, ids);
  // Union-find over identity keys, so an identify { userId, anonymousId } joins the two histories.
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.get(root) !== root) root = parent.get(root)!;
    for (let cur = k; cur !== root; ) {
      const next = parent.get(cur)!;
      parent.set(cur, root);
      cur = next;
    }
    return root;
  };
  const keysOf = (item: T) => {
    const { userId, anonymousId } = ids(item);
    return [userId === undefined ? null : `u:${userId}`, anonymousId === undefined ? null : `a:${anonymousId}`].filter((k) => k !== null);
  };
  for (const item of items) {
    const keys = keysOf(item);
    for (const k of keys) if (!parent.has(k)) parent.set(k, k);
    for (const k of keys.slice(1)) parent.set(find(k), find(keys[0]!));
  }
  const byRoot = new Map<string, T[]>();
  for (const item of items) {
    const root = find(keysOf(item)[0]!);
    const chain = byRoot.get(root);
    if (chain) chain.push(item);
    else byRoot.set(root, [item]);
  }
  return [...byRoot.values()];
}

/** Chains of a batch where every item names one id: grouped by it, in order of first appearance. */
function byOneId<T>(items: readonly T[], ids: (item: T) => Identified): T[][] {
  const byUser = new Map<string, T[]>();
  const byAnonymous = new Map<string, T[]>();
  const out: T[][] = [];
  for (const item of items) {
    const { userId, anonymousId } = ids(item);
    const map = userId !== undefined ? byUser : byAnonymous;
    const key = (userId ?? anonymousId)!;
    const chain = map.get(key);
    if (chain) chain.push(item);
    else {
      const fresh = [item];
      map.set(key, fresh);
      out.push(fresh);
    }
  }
  return out;
}

/**
 * Runs each chain's items in order, up to `concurrency` chains at once. Waits for every started item
 * before rethrowing the first failure, so no write is still in flight when the caller answers.
 */
export async function runChains<T, R>(groups: T[][], concurrency: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (failure === null && next < groups.length) {
      const chain = groups[next++]!;
      for (const item of chain) {
        if (failure !== null) return;
        try {
          results.push(await run(item));
        } catch (error) {
          failure ??= { error };
          return;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, groups.length) }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
  return results;
}
