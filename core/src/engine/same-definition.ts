import { isDeepStrictEqual } from "node:util";

/**
 * Whether two definitions (journey, segment, template) say the same thing: compared as the JSON a store
 * keeps them as (undefined fields dropped), object keys in any order (PostgreSQL's jsonb hands keys back
 * in its own order), arrays in order. `util.isDeepStrictEqual` compares own keys as a set
 * (https://nodejs.org/api/assert.html#comparison-details_1), so no hand-written walk is needed.
 */
export function sameDefinition(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(asStored(a), asStored(b));
}

function asStored(value: unknown): unknown {
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}
