import { z, type ZodType } from "zod";

/**
 * The top-level fields a content schema takes, across the branches of a union (Kakao: brand | friendtalk |
 * alimtalk); null when the schema cannot say (a custom type zod cannot describe). Read from zod's own JSON
 * Schema export (https://zod.dev/json-schema) rather than by walking zod's internals.
 */
export function contentFields(schema: ZodType): Set<string> | null {
  let json: unknown;
  try {
    json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  } catch {
    return null;
  }
  const fields = new Set<string>();
  let open = false;
  const visit = (node: unknown): void => {
    if (typeof node !== "object" || node === null) return;
    const n = node as { properties?: Record<string, unknown>; oneOf?: unknown[]; anyOf?: unknown[]; allOf?: unknown[]; type?: unknown };
    if (n.properties) for (const k of Object.keys(n.properties)) fields.add(k);
    const branches = [...(n.oneOf ?? []), ...(n.anyOf ?? []), ...(n.allOf ?? [])];
    for (const b of branches) visit(b);
    if (!n.properties && branches.length === 0) open = true;
  };
  visit(json);
  return open && fields.size === 0 ? null : fields;
}
