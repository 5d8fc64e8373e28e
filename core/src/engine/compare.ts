import type { PropertyFilter } from "../domain/segment.js";

/** Reads a dot path ("address.city") from a record. */
export function readPath(record: Record<string, unknown> | undefined, path: string): unknown {
  let cur: unknown = record;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export type CompareOp = PropertyFilter["op"];

/** The comparison operators shared by trigger filters, segment conditions and branches. */
export function compare(actual: unknown, op: CompareOp, expected: unknown): boolean {
  switch (op) {
    case "exists":
      return actual !== undefined && actual !== null;
    case "eq":
      return actual === expected;
    case "neq":
      return actual !== expected;
    case "gt":
    case "gte":
    case "lt":
    case "lte": {
      if (typeof actual !== typeof expected || (typeof actual !== "number" && typeof actual !== "string")) return false;
      const a = actual as number | string;
      const b = expected as number | string;
      return op === "gt" ? a > b : op === "gte" ? a >= b : op === "lt" ? a < b : a <= b;
    }
    case "in":
      return Array.isArray(expected) && expected.includes(actual as never);
    case "contains":
      if (typeof actual === "string") return typeof expected === "string" && actual.includes(expected);
      if (Array.isArray(actual)) return actual.includes(expected as never);
      return false;
  }
}

export function matchesFilters(properties: Record<string, unknown>, filters: readonly PropertyFilter[] | undefined): boolean {
  if (!filters) return true;
  return filters.every((f) => compare(readPath(properties, f.property), f.op, f.value));
}
