import type { JsonSchema } from "./operations.js";
import type { Random } from "./random.js";

/** Ids the whole run shares: hostile requests name the same people and objects the checks read back. */
export const ID_POOL = ["fz-ada", "fz-bo", "fz-cyd", "fz-dee", "fz-eun"] as const;
const WORDS = ["plan", "pro", "free", "signed_up", "hello {{ profile.traits.plan }}", "sandbox", "ko-KR", "Asia/Seoul", "", "💥", "ß", "名前"];
const ID_FIELDS = new Set(["userId", "anonymousId", "id", "journeyId", "segment"]);
const MAX_DEPTH = 6;

/** A string for a field, as plausible as the schema lets it be (patterns the router uses are special-cased). */
function stringFor(schema: JsonSchema, name: string, r: Random): string {
  if (ID_FIELDS.has(name)) return r.pick(ID_POOL);
  if (schema.format === "date-time") return new Date(Date.UTC(2026, 0, 5, r.int(24))).toISOString();
  if (schema.format === "uri") return `https://example.com/${r.int(100)}`;
  if (schema.pattern?.startsWith("^P(")) return r.pick(["PT1H", "P3D", "PT30M"]);
  if (schema.pattern?.includes("2[0-3]")) return r.pick(["09:30", "23:59"]);
  if (schema.pattern) return `fz_${r.int(1000)}`;
  if (name === "channel") return "sandbox";
  if (name === "email") return "fz@example.com";
  const word = r.pick(WORDS);
  return word.length >= (schema.minLength ?? 0) ? word.slice(0, schema.maxLength ?? 200) : `fz-${r.int(1000)}`;
}

function typeOf(schema: JsonSchema, r: Random): string | undefined {
  if (Array.isArray(schema.type)) return r.pick(schema.type);
  if (schema.type) return schema.type;
  if (schema.properties || schema.additionalProperties !== undefined) return "object";
  if (schema.items) return "array";
  return undefined;
}

/**
 * A value for a JSON Schema: required properties always, optional ones at random, one branch of each
 * oneOf/anyOf. It aims near the valid, so hostile values planted in it reach handlers and stores; it
 * does not promise validity (journeys have rules no schema states).
 */
export function sample(schema: JsonSchema, resolve: (s: JsonSchema) => JsonSchema, r: Random, name = "", depth = 0): unknown {
  const s = resolve(schema);
  if (s.const !== undefined) return s.const;
  if (s.enum) return r.pick(s.enum);
  // An empty branch is what zod could not describe (a Date): a value for it would be any JSON.
  const branches = (s.oneOf ?? s.anyOf ?? s.allOf)?.filter((b) => Object.keys(b).length > 0);
  if (branches && branches.length > 0) return sample(r.pick(branches), resolve, r, name, depth + 1);
  switch (typeOf(s, r)) {
    case "string":
      return stringFor(s, name, r);
    case "integer":
      return Math.max(s.minimum ?? 0, Math.min(s.maximum ?? 1_000, r.int(100)));
    case "number":
      return Math.max(s.minimum ?? -1e6, Math.min(s.maximum ?? 1e6, r.chance(0.5) ? r.int(100) : r.next() * 1e3));
    case "boolean":
      return r.chance(0.5);
    case "null":
      return null;
    case "array": {
      if (depth > MAX_DEPTH) return [];
      const n = Math.min(s.maxItems ?? 3, (s.minItems ?? 0) + r.int(3));
      return Array.from({ length: n }, () => sample(s.items ?? {}, resolve, r, name, depth + 1));
    }
    case "object": {
      const out: Record<string, unknown> = {};
      if (depth > MAX_DEPTH) return out;
      const required = new Set(s.required ?? []);
      for (const [key, prop] of Object.entries(s.properties ?? {})) {
        if (required.has(key) || r.chance(0.5)) out[key] = sample(prop, resolve, r, key, depth + 1);
      }
      if (s.additionalProperties !== undefined && s.additionalProperties !== false) {
        for (let i = r.int(3); i > 0; i--) out[r.pick(["plan", "score", "tags", "nested", "n"])] = free(r, depth + 1);
      }
      return out;
    }
    default:
      return free(r, depth + 1);
  }
}

/** Any JSON value (properties, traits, context): the shapes callers send. */
function free(r: Random, depth: number): unknown {
  switch (r.int(depth > 3 ? 4 : 6)) {
    case 0:
      return r.pick(WORDS);
    case 1:
      return r.chance(0.5) ? r.int(1000) : r.next();
    case 2:
      return r.chance(0.5);
    case 3:
      return null;
    case 4:
      return [free(r, depth + 1), free(r, depth + 1)];
    default:
      return { k: free(r, depth + 1), plan: r.pick(WORDS) };
  }
}
